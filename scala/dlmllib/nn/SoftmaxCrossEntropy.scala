package dlmllib.nn

/** Softmax followed by cross-entropy, on logits. The target of each sample is its class index (0
  * until width) as a float. Loss: mean over the batch of `logsumexp(z) - z(target)`.
  */
object SoftmaxCrossEntropy extends Loss {

  def lossAndGradient(
      output: Array[Float],
      target: Array[Float],
      batch: Int,
      width: Int,
      gradient: Array[Float]
  ): Double = {
    Softmax(output, batch, width, gradient)
    val scale = 1f / batch
    var loss = 0.0
    var n = 0
    while (n < batch) {
      val t = target(n)
      val k = t.toInt
      if (k != t || k < 0 || k >= width)
        throw new IllegalArgumentException(
          s"softmax cross-entropy expects class indices 0 to ${width - 1}, found $t for sample $n"
        )
      val row = n * width
      // log of the softmax probability, from the logits to stay finite when p underflows
      var max = Float.NegativeInfinity
      var j = 0
      while (j < width) { if (output(row + j) > max) max = output(row + j); j += 1 }
      var sum = 0.0
      j = 0
      while (j < width) { sum += math.exp((output(row + j) - max).toDouble); j += 1 }
      loss += max + math.log(sum) - output(row + k)
      gradient(row + k) -= 1f
      j = 0
      while (j < width) { gradient(row + j) *= scale; j += 1 }
      n += 1
    }
    loss / batch
  }

  /** A class index per sample. */
  override def targetWidth(width: Int): Int = 1

  override def toString: String = "SoftmaxCrossEntropy"
}
