package dlmllib.nn

/** Row-wise softmax of batch-major logits, numerically stable (shifted by each row's maximum). */
object Softmax {

  /** Writes the probabilities of `batch` rows of `width` logits into `out` (may be `logits`). */
  def apply(logits: Array[Float], batch: Int, width: Int, out: Array[Float]): Unit = {
    var n = 0
    while (n < batch) {
      val row = n * width
      var max = Float.NegativeInfinity
      var j = 0
      while (j < width) { if (logits(row + j) > max) max = logits(row + j); j += 1 }
      var sum = 0.0
      j = 0
      while (j < width) {
        val e = math.exp((logits(row + j) - max).toDouble)
        out(row + j) = e.toFloat
        sum += e
        j += 1
      }
      val inv = (1.0 / sum).toFloat
      j = 0
      while (j < width) { out(row + j) *= inv; j += 1 }
      n += 1
    }
  }

  /** Replaces logits by probabilities. */
  def inPlace(logits: Array[Float], batch: Int, width: Int): Unit =
    apply(logits, batch, width, logits)
}
