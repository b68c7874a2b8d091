package dlmllib.optim

/** Plain stochastic gradient descent: `w -= lr * g`. Stateless. */
case object Sgd extends Optimizer {

  def stateSize(numWeights: Int): Int = 0

  def update(
      weights: Array[Float],
      gradient: Array[Float],
      state: Array[Float],
      step: Long,
      learningRate: Float
  ): Unit = {
    var i = 0
    while (i < weights.length) { weights(i) -= learningRate * gradient(i); i += 1 }
  }
}
