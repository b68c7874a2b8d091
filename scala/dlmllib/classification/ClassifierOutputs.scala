package dlmllib.classification

import org.apache.spark.ml.linalg.{DenseVector, Vector, Vectors}

/** The prediction columns of the dlmllib classifiers, from the network's logits. */
private[dlmllib] object ClassifierOutputs {

  /** The logits of the sample at `offset` of `output`, as a Vector. */
  def raw(output: Array[Float], offset: Int, numClasses: Int): Vector = {
    val v = new Array[Double](numClasses)
    var k = 0
    while (k < numClasses) { v(k) = output(offset + k); k += 1 }
    Vectors.dense(v)
  }

  /** Softmax, stable against large logits. */
  def softmaxInPlace(raw: Vector): Vector = raw match {
    case d: DenseVector =>
      val v = d.values
      val m = v.max
      var sum = 0.0
      var k = 0
      while (k < v.length) { v(k) = math.exp(v(k) - m); sum += v(k); k += 1 }
      k = 0
      while (k < v.length) { v(k) /= sum; k += 1 }
      d
    case other => softmaxInPlace(other.toDense)
  }
}
