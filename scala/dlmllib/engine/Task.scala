package dlmllib.engine

import dlmllib.nn.{Arguments, Loss, MeanSquaredError, SoftmaxCrossEntropy}

/** What a network is trained for: its loss, its output width, how a label becomes a target and how
  * the validation metric is computed.
  */
sealed trait Task extends Serializable {
  def loss: Loss

  /** Units of the output layer appended to the network. */
  def outputUnits: Int

  /** Name of the validation metric in logs and summaries. */
  def metricName: String

  /** The float target of a label; throws IllegalArgumentException for a label the task rejects. */
  def target(label: Double, column: String, row: => String): Float

  /** The metric's contribution of one sample: 1 for a correct class, the squared error else. */
  def metricTerm(output: Array[Float], offset: Int, target: Float): Double

  /** The metric from the sum of the terms over `count` samples. */
  def metric(termSum: Double, count: Long): Double

  /** True when a larger metric is better. */
  def largerIsBetter: Boolean
}

/** Classification into `numClasses` classes with softmax cross-entropy; metric: accuracy. */
final case class Classification(numClasses: Int) extends Task {
  Arguments.check(numClasses >= 2, s"classification needs at least 2 classes, found $numClasses")

  def loss: Loss = SoftmaxCrossEntropy
  def outputUnits: Int = numClasses
  def metricName: String = "accuracy"
  def largerIsBetter: Boolean = true

  def target(label: Double, column: String, row: => String): Float = {
    if (!(label >= 0 && label < numClasses && label == math.floor(label)))
      throw new IllegalArgumentException(
        s"labelCol `$column` must hold class indices 0 to ${numClasses - 1} (whole numbers), " +
          (if (label == math.floor(label)) s"found the label $label"
           else s"found the fractional label $label") +
          s" in $row"
      )
    label.toFloat
  }

  def metricTerm(output: Array[Float], offset: Int, target: Float): Double = {
    var best = 0
    var k = 1
    while (k < numClasses) { if (output(offset + k) > output(offset + best)) best = k; k += 1 }
    if (best == target.toInt) 1.0 else 0.0
  }

  def metric(termSum: Double, count: Long): Double = termSum / count
}

/** Regression of one value with mean squared error; metric: root mean squared error. */
case object Regression extends Task {
  def loss: Loss = MeanSquaredError
  def outputUnits: Int = 1
  def metricName: String = "rmse"
  def largerIsBetter: Boolean = false

  def target(label: Double, column: String, row: => String): Float = {
    if (label.isNaN || label.isInfinite)
      throw new IllegalArgumentException(
        s"labelCol `$column` must hold finite numbers, found $label in $row"
      )
    label.toFloat
  }

  def metricTerm(output: Array[Float], offset: Int, target: Float): Double = {
    val d = output(offset).toDouble - target
    d * d
  }

  def metric(termSum: Double, count: Long): Double = math.sqrt(termSum / count)
}
