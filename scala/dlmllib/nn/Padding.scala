package dlmllib.nn

/** Spatial padding of a convolution, with Keras semantics. */
sealed trait Padding extends Serializable {

  /** The name in the layer-spec DSL. */
  def name: String

  /** Output length along one axis of length `in` for a window of `kernel` moved by `stride`, or a
    * non-positive number when the input is too short.
    */
  def outputLength(in: Int, kernel: Int, stride: Int): Int

  /** Zeros added before the first element along that axis. */
  def padBefore(in: Int, kernel: Int, stride: Int): Int

  override def toString: String = name
}

/** No padding: windows lie inside the input; out = floor((in - kernel) / stride) + 1. */
case object Valid extends Padding {
  val name = "valid"
  def outputLength(in: Int, kernel: Int, stride: Int): Int =
    if (in < kernel) 0 else (in - kernel) / stride + 1
  def padBefore(in: Int, kernel: Int, stride: Int): Int = 0
}

/** Zero padding so that out = ceil(in / stride); the odd zero goes after (as in Keras and
  * TensorFlow).
  */
case object Same extends Padding {
  val name = "same"
  def outputLength(in: Int, kernel: Int, stride: Int): Int = (in + stride - 1) / stride
  def padBefore(in: Int, kernel: Int, stride: Int): Int = {
    val out = outputLength(in, kernel, stride)
    math.max((out - 1) * stride + kernel - in, 0) / 2
  }
}

object Padding {
  val all: Seq[Padding] = Seq(Valid, Same)

  /** The padding of a DSL name (case-insensitive). */
  def fromName(s: String): Padding =
    all
      .find(_.name == s.trim.toLowerCase(java.util.Locale.ROOT))
      .getOrElse(
        throw new IllegalArgumentException(
          s"unknown padding '$s'; expected one of ${all.map(_.name).mkString(", ")}"
        )
      )
}
