package dlmllib.optim

import dlmllib.nn.Arguments

/** SGD with momentum, in PyTorch's formulation: `v = momentum * v + g`, then `w -= lr * v`, or with
  * Nesterov `w -= lr * (g + momentum * v)`. The state is the velocity `v`, one float per weight.
  */
final case class Momentum(momentum: Double = 0.9, nesterov: Boolean = false) extends Optimizer {
  Arguments.check(
    momentum >= 0.0 && momentum < 1.0,
    s"momentum must be in [0, 1), found $momentum"
  )

  def stateSize(numWeights: Int): Int = numWeights

  def update(
      weights: Array[Float],
      gradient: Array[Float],
      state: Array[Float],
      step: Long,
      learningRate: Float
  ): Unit = {
    val mu = momentum.toFloat
    var i = 0
    while (i < weights.length) {
      val v = mu * state(i) + gradient(i)
      state(i) = v
      weights(i) -= learningRate * (if (nesterov) gradient(i) + mu * v else v)
      i += 1
    }
  }
}
