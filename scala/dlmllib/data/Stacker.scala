package dlmllib.data

import java.io.{ObjectInputStream, ObjectOutputStream}

import dlmllib.engine.{Batch, BulkArrays, Task}

/** Turns rows into float32 mini-batches, once, before training: each row is read with the
  * [[InputReader]] into a [[Stacker.Sample]] where it stands (so that the rows travel through the
  * shuffle that spreads them as flat floats, not as boxed Rows), and samples are cut into batches
  * of `batchSize` (the last one may be smaller).
  */
object Stacker {

  /** One row read: its features (sample size, padded for variable-length input), its target and its
    * valid length (the number of steps, or 0 when the reader is not variable-length).
    */
  final case class Sample(features: Array[Float], target: Float, length: Int) {
    // The shuffle that spreads the samples writes their features in bulk.
    private def writeReplace(): AnyRef = new SerializedSample(this)
  }

  /** What Java serialization writes for a [[Sample]]: its features in bulk ([[BulkArrays]]). */
  private final class SerializedSample(@transient private var sample: Sample) extends Serializable {
    private def writeObject(out: ObjectOutputStream): Unit = {
      out.defaultWriteObject()
      out.writeFloat(sample.target)
      out.writeInt(sample.length)
      BulkArrays.writeFloats(out, sample.features)
    }

    private def readObject(in: ObjectInputStream): Unit = {
      in.defaultReadObject()
      val (target, length) = (in.readFloat(), in.readInt())
      sample = Sample(BulkArrays.readFloats(in), target, length)
    }

    private def readResolve(): AnyRef = sample
  }

  /** Reads the features and label (null for null) of the row that stood at `index` of input
    * partition `partition` (errors name that place).
    */
  def sample(
      features: Any,
      label: java.lang.Double,
      reader: InputReader,
      task: Task,
      labelColumn: String,
      partition: Int,
      index: Int
  ): Sample = {
    def where = s"row $index of partition $partition"
    val out = new Array[Float](reader.shape.size)
    val length = reader.read(features, out, 0, where)
    if (label == null) InputReader.nullValue(labelColumn, where)
    val target = task.target(label, labelColumn, where)
    Sample(out, target, if (reader.variableLength) length else 0)
  }

  /** Samples, already in a random order (see `distributed.Fitting`), cut into batches of at most
    * `batchSize`; lengths are kept when `variableLength`.
    */
  def stack(
      samples: Iterator[Sample],
      sampleSize: Int,
      variableLength: Boolean,
      batchSize: Int
  ): Array[Batch] =
    samples
      .grouped(batchSize)
      .map { group =>
        val size = group.length
        val x = new Array[Float](size * sampleSize)
        val y = new Array[Float](size)
        val len = if (variableLength) new Array[Int](size) else null
        var k = 0
        group.foreach { s =>
          System.arraycopy(s.features, 0, x, k * sampleSize, sampleSize)
          y(k) = s.target
          if (len != null) len(k) = s.length
          k += 1
        }
        Batch(x, y, size, len)
      }
      .toArray
}
