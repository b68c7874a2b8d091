package dlmllib.nn

/** Mean squared error: the plain mean of `(output - target)²` over the batch AND the outputs (as
  * Keras' and PyTorch's `mse`), so that for one output it is the usual regression MSE. The target
  * of a sample has the output's width.
  */
object MeanSquaredError extends Loss {

  def lossAndGradient(
      output: Array[Float],
      target: Array[Float],
      batch: Int,
      width: Int,
      gradient: Array[Float]
  ): Double = {
    val n = batch * width
    val scale = 2f / n
    var loss = 0.0
    var i = 0
    while (i < n) {
      val d = output(i) - target(i)
      loss += d.toDouble * d
      gradient(i) = scale * d
      i += 1
    }
    loss / n
  }

  override def toString: String = "MeanSquaredError"
}
