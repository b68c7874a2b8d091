package dlmllib.optim

import dlmllib.nn.Arguments

/** L2 regularisation on the weights a mask selects (`Network.regularizationMask`: kernels, not
  * biases or normalisation parameters). The penalty is `regParam / 2 * sum(w^2)`, so its gradient
  * is `regParam * w`.
  */
object L2Regularization {

  /** Adds `regParam * w(i)` to `gradient(i)` where `mask(i)` is 1; returns the penalty. */
  def addGradient(
      weights: Array[Float],
      gradient: Array[Float],
      mask: Array[Float],
      regParam: Double
  ): Double = {
    Arguments.check(
      weights.length == gradient.length && weights.length == mask.length,
      s"weights, gradient and mask must have one length, found ${weights.length}, " +
        s"${gradient.length} and ${mask.length}"
    )
    if (regParam == 0.0) return 0.0
    val r = regParam.toFloat
    var sum = 0.0
    var i = 0
    while (i < weights.length) {
      val w = weights(i) * mask(i)
      gradient(i) += r * w
      sum += w.toDouble * w
      i += 1
    }
    0.5 * regParam * sum
  }
}
