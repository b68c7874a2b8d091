package dlmllib.data

import dlmllib.engine.{Batch, Task}
import org.apache.spark.sql.Row

/** Turns rows into float32 mini-batches, once, before training: rows are read with the
  * [[InputReader]] and cut into batches of `batchSize` (the last one may be smaller).
  */
object Stacker {

  /** A `(features, label)` row with where it stood in the input (partition, index in it), so that
    * errors name a row the user can find, also after the rows were spread over partitions.
    */
  type Sourced = (Row, Int, Int)

  /** Reads `(features, label)` rows; returns features (n × sample size), targets, lengths (null
    * unless the reader is variable-length) and n.
    */
  def read(
      rows: Iterator[Sourced],
      reader: InputReader,
      task: Task,
      labelColumn: String
  ): (Array[Float], Array[Float], Array[Int], Int) = {
    val size = reader.shape.size
    var features = new Array[Float](size * 64)
    var targets = new Array[Float](64)
    var lengths = if (reader.variableLength) new Array[Int](64) else null
    var n = 0
    rows.foreach { case (row, partition, index) =>
      if (n == targets.length) {
        features = java.util.Arrays.copyOf(features, features.length * 2)
        targets = java.util.Arrays.copyOf(targets, targets.length * 2)
        if (lengths != null) lengths = java.util.Arrays.copyOf(lengths, lengths.length * 2)
      }
      val i = n
      def where = s"row $index of partition $partition"
      val len = reader.read(row.get(0), features, i * size, where)
      if (lengths != null) lengths(i) = len
      if (row.isNullAt(1)) InputReader.nullValue(labelColumn, where)
      targets(i) = task.target(row.getDouble(1), labelColumn, where)
      n += 1
    }
    (features, targets, lengths, n)
  }

  /** Cuts samples, in the order of `order`, into batches of at most `batchSize`. */
  def batches(
      features: Array[Float],
      targets: Array[Float],
      lengths: Array[Int],
      sampleSize: Int,
      order: Array[Int],
      batchSize: Int
  ): Array[Batch] = {
    val n = order.length
    Array.tabulate((n + batchSize - 1) / batchSize) { b =>
      val start = b * batchSize
      val size = math.min(batchSize, n - start)
      val x = new Array[Float](size * sampleSize)
      val y = new Array[Float](size)
      val len = if (lengths == null) null else new Array[Int](size)
      var k = 0
      while (k < size) {
        val s = order(start + k)
        System.arraycopy(features, s * sampleSize, x, k * sampleSize, sampleSize)
        y(k) = targets(s)
        if (len != null) len(k) = lengths(s)
        k += 1
      }
      Batch(x, y, size, len)
    }
  }

  /** Partition `partition`'s rows as they stand, with their positions. */
  def sourced(rows: Iterator[Row], partition: Int): Iterator[Sourced] =
    rows.zipWithIndex.map { case (row, i) => (row, partition, i) }

  /** Rows, already in a random order (see `distributed.Fitting`), read and cut into batches. */
  def stack(
      rows: Iterator[Sourced],
      reader: InputReader,
      task: Task,
      labelColumn: String,
      batchSize: Int
  ): Array[Batch] = {
    val (features, targets, lengths, n) = read(rows, reader, task, labelColumn)
    batches(features, targets, lengths, reader.shape.size, Array.tabulate(n)(identity), batchSize)
  }
}
