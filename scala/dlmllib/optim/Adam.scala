package dlmllib.optim

import dlmllib.nn.Arguments

/** Adam (Kingma & Ba, 2015) with bias correction. The state is the first moments of every weight
  * followed by the second moments: `2 * numWeights` floats.
  */
final case class Adam(beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8)
    extends Optimizer {
  Arguments.check(beta1 >= 0.0 && beta1 < 1.0, s"beta1 must be in [0, 1), found $beta1")
  Arguments.check(beta2 >= 0.0 && beta2 < 1.0, s"beta2 must be in [0, 1), found $beta2")
  Arguments.check(eps > 0.0, s"eps must be positive, found $eps")

  def stateSize(numWeights: Int): Int = 2 * numWeights

  /** √split: a replica's second moments come from `split` times fewer samples, so once gradient
    * noise dominates them they are `split` times larger and its steps √split times shorter than the
    * whole batch's (the square-root scaling rule for adaptive methods, Malladi et al. 2022).
    * Measured in bench/README.md (PartitionsBench).
    */
  override def replicaRateScale(split: Double): Double = math.sqrt(split)

  def update(
      weights: Array[Float],
      gradient: Array[Float],
      state: Array[Float],
      step: Long,
      learningRate: Float
  ): Unit = {
    Arguments.check(step >= 1, s"Adam's step counts from 1, found $step")
    val n = weights.length
    val b1 = beta1.toFloat
    val b2 = beta2.toFloat
    // Bias corrections folded into the step size, in double for large step counts.
    val c1 = 1.0 - math.pow(beta1, step.toDouble)
    val c2 = 1.0 - math.pow(beta2, step.toDouble)
    val stepSize = (learningRate * math.sqrt(c2) / c1).toFloat
    val epsHat = (eps * math.sqrt(c2)).toFloat
    var i = 0
    while (i < n) {
      val g = gradient(i)
      val m = b1 * state(i) + (1f - b1) * g
      val v = b2 * state(n + i) + (1f - b2) * g * g
      state(i) = m
      state(n + i) = v
      weights(i) -= stepSize * m / (math.sqrt(v).toFloat + epsHat)
      i += 1
    }
  }
}
