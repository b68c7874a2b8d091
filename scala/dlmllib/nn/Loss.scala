package dlmllib.nn

/** A loss over a batch of network outputs. */
trait Loss extends Serializable {

  /** The floats of one sample's target, for an output of `width`. */
  def targetWidth(width: Int): Int = width

  /** Mean loss over the `batch` samples of `output` (batch × width) against `target`, writing
    * dLoss/dOutput (of that mean) into `gradient`.
    */
  def lossAndGradient(
      output: Array[Float],
      target: Array[Float],
      batch: Int,
      width: Int,
      gradient: Array[Float]
  ): Double
}
