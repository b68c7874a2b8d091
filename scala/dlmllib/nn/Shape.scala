package dlmllib.nn

/** The shape of one sample, batch dimension excluded: `[channels, height, width]` for images (NCHW
  * batches), `[timesteps, features]` for sequences (N×T×F batches), `[n]` for flat vectors.
  */
final case class Shape(dims: IndexedSeq[Int]) {
  Arguments.check(
    dims.nonEmpty && dims.forall(_ > 0),
    s"a shape needs positive dimensions, found $this"
  )

  /** Number of floats in one sample. */
  def size: Int = dims.product

  def rank: Int = dims.length

  def apply(i: Int): Int = dims(i)

  override def toString: String = dims.mkString("[", ", ", "]")
}

object Shape {
  def of(dims: Int*): Shape = Shape(dims.toIndexedSeq)
}
