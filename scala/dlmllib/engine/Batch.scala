package dlmllib.engine

import java.io.{ObjectInputStream, ObjectOutputStream}

import dlmllib.nn.Arguments

/** A mini-batch, stacked once into contiguous float32 buffers: `features` is batch-major (`size` ×
  * sample size: NCHW for images, N×T×F for sequences), `targets` is `size` × target width in
  * whatever layout the loss reads (class indices or values). `lengths` holds the valid length of
  * each sequence, or is null when every sample has the full length. The arrays may be longer than
  * `size` samples; only their heads are read.
  */
final case class Batch(
    features: Array[Float],
    targets: Array[Float],
    size: Int,
    lengths: Array[Int] = null
) {
  Arguments.check(size > 0, s"a batch needs at least one sample, found size $size")
  Arguments.check(
    lengths == null || lengths.length >= size,
    s"a batch of $size samples needs $size lengths, found ${lengths.length}"
  )

  /** Java serialization (of the cached chunks of batches, read back every round) writes the arrays
    * in bulk.
    */
  private def writeReplace(): AnyRef = new Batch.Serialized(this)
}

object Batch {

  /** What Java serialization writes for a [[Batch]]: its arrays in bulk ([[BulkArrays]]). */
  private final class Serialized(@transient private var batch: Batch) extends Serializable {
    private def writeObject(out: ObjectOutputStream): Unit = {
      out.defaultWriteObject()
      out.writeInt(batch.size)
      BulkArrays.writeFloats(out, batch.features)
      BulkArrays.writeFloats(out, batch.targets)
      out.writeBoolean(batch.lengths != null)
      if (batch.lengths != null) BulkArrays.writeInts(out, batch.lengths)
    }

    private def readObject(in: ObjectInputStream): Unit = {
      in.defaultReadObject()
      val size = in.readInt()
      val (features, targets) = (BulkArrays.readFloats(in), BulkArrays.readFloats(in))
      batch =
        Batch(features, targets, size, if (in.readBoolean()) BulkArrays.readInts(in) else null)
    }

    private def readResolve(): AnyRef = batch
  }
}
