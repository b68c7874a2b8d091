package dlmllib.ml

import java.util.concurrent.Callable

import dlmllib.data.{FeatureRows, FlatReader, InputReader}
import dlmllib.distributed.Cores
import dlmllib.engine.{BulkFloats, Workers}
import dlmllib.nn.{Arguments, Network, Shape}
import dlmllib.param.TrainingParams
import org.apache.spark.TaskContext
import org.apache.spark.broadcast.Broadcast
import org.apache.spark.ml.dlmllib.NetworkPredictorParams
import org.apache.spark.ml.linalg.Vector
import org.apache.spark.sql.{DataFrame, Dataset, Encoders, Row}
import org.apache.spark.sql.catalyst.CatalystTypeConverters
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow
import org.apache.spark.sql.dlmllib.InternalFrames
import org.apache.spark.sql.functions.col
import org.apache.spark.sql.types.{StructField, StructType}

/** What the four dlmllib Models share: the network and its weights, a batched forward pass per
  * partition for `transform` and a forward pass for one sample. Their training params are
  * read-only, except batchSize, which `transform` uses. The CNN or RNN flavour supplies
  * [[featuresReader]] and `featuresType`.
  */
trait NetworkModel extends TrainingParams with NetworkPredictorParams {

  /** The trained network, output layer included. */
  def network: Network

  /** The network's flat weight vector. */
  def weights: Array[Float]

  /** The reader of the features column of `schema` for this network's input shape. */
  protected def featuresReader(schema: StructType): InputReader

  /** Rows per batch of `transform` (as the training batch size, unless set after training). */
  def setBatchSize(value: Int): this.type = set(batchSize, value)

  /** `dataset` with `fields` appended, computed by `outputs` from each row's network output (the
    * output buffer and the row's offset in it), in batches of batchSize per partition. The input
    * columns pass through as Spark holds them ([[FeatureRows.appended]]); a streaming Dataset,
    * whose rows exist only inside its query, goes through Rows. With a variable-length reader, a
    * batch holding a sequence longer than the network's input runs on the same layers and weights
    * built for that length (see [[NetworkModel.resized]]).
    */
  private[dlmllib] def transformBatched(
      dataset: Dataset[_],
      fields: Seq[StructField],
      outputs: (Array[Float], Int) => Seq[Any]
  ): DataFrame = {
    val df = dataset.toDF()
    val schema = StructType(df.schema.fields ++ fields)
    val score = new NetworkModel.Scoring(
      network,
      featuresReader(df.schema),
      df.sparkSession.sparkContext.broadcast(new BulkFloats(weights)),
      getBatchSize
    )
    if (df.isStreaming) {
      val column = df.schema.fieldIndex(score.reader.column)
      df.mapPartitions(rows =>
        score(rows, (r: Row) => r.get(column), threads = 1) { (row, out, offset) =>
          Row.fromSeq(row.toSeq ++ outputs(out, offset))
        }
      )(Encoders.row(schema))
    } else {
      val types = df.schema.fields.map(_.dataType)
      val toSpark = fields.map(f => CatalystTypeConverters.createToCatalystConverter(f.dataType))
      InternalFrames.deferred(df.sparkSession, schema) {
        val (rows, features) = FeatureRows.appended(df, Seq(col("*")), score.reader.column)
        val threads = Cores.perPartition(df.sparkSession.sparkContext, rows.getNumPartitions)
        rows.mapPartitions { in =>
          score(in.map(_.copy()), features, Cores.onThisMachine(threads)) { (row, out, offset) =>
            val values = new Array[Any](schema.length)
            var i = 0
            while (i < types.length) { values(i) = row.get(i, types(i)); i += 1 }
            outputs(out, offset).zip(toSpark).foreach { case (v, convert) =>
              values(i) = convert(v); i += 1
            }
            new GenericInternalRow(values)
          }
        }
      }
    }
  }

  /** The reader of one Vector passed to predict: by default flat, of the network's input shape. */
  protected def vectorReader: InputReader = FlatReader("features", network.inputShape)

  /** The network's output for one sample passed as a Vector (read by [[vectorReader]]). */
  protected def forwardOne(features: Vector): Array[Float] = {
    val reader = vectorReader
    val net = NetworkModel.resized(network, reader.shape)
    val input = new Array[Float](reader.shape.size)
    reader.read(features, input, 0, "the vector passed to predict")
    net.executor(1).forward(weights, input, 1, training = false).take(net.outputShape.size)
  }
}

object NetworkModel {

  /** The network of a model made by a no-argument constructor, which Java's ServiceLoader requires
    * of the classes that resources/META-INF/services registers for Spark Connect (it never uses
    * it).
    */
  def empty: Network = new Network(Shape.of(1), IndexedSeq.empty)

  /** `network`'s layers for inputs of `shape`, with the same weights: a recurrent network's weights
    * do not depend on the number of time steps. Throws when they would.
    */
  def resized(network: Network, shape: Shape): Network =
    if (shape == network.inputShape) network
    else {
      val other = new Network(shape, network.layers)
      Arguments.check(
        other.numWeights == network.numWeights,
        s"the network ${network.toSpec} was trained on inputs of shape ${network.inputShape}; " +
          s"on inputs of shape $shape it would need ${other.numWeights} weights instead of " +
          s"${network.numWeights}"
      )
      other
    }

  /** Runs rows through the network in batches of `batchSize`, reading their features into a reused
    * buffer, and emits one result per row from its output.
    */
  private[ml] final class Scoring(
      network: Network,
      val reader: InputReader,
      weights: Broadcast[BulkFloats],
      batchSize: Int
  ) extends Serializable {
    private val width = network.outputShape.size

    /** `emit(row, output buffer, the row's offset in it)` for each of `rows`, in order, each batch
      * on up to `threads` threads.
      */
    def apply[T, U](rows: Iterator[T], features: T => Any, threads: Int)(
        emit: (T, Array[Float], Int) => U
    ) = {
      var runner = new BatchRunner(resized(network, reader.shape), reader, batchSize, threads)
      var seen = 0L
      rows.grouped(batchSize).flatMap { group =>
        if (reader.variableLength) {
          val longest = group.iterator.map(r => reader.steps(features(r))).max
          if (longest > runner.reader.shape(0)) {
            val longer = reader.padTo(longest)
            runner = new BatchRunner(resized(network, longer.shape), longer, batchSize, threads)
          }
        }
        val outs = runner.forward(weights.value.values, group.iterator.map(features), seen)
        seen += group.size
        val rows = runner.sliceRows
        group.indices.iterator.map(k => emit(group(k), outs(k / rows), (k % rows) * width))
      }
    }
  }

  /** Reads rows into reused buffers and runs the network forward over them, on up to `threads`
    * threads: the batch is cut into slices of [[sliceRows]] rows, each with its buffers and
    * executor, run at once ([[Workers]]).
    */
  private final class BatchRunner(
      network: Network,
      val reader: InputReader,
      batchSize: Int,
      threads: Int
  ) {

    /** Row k of a batch is row k % sliceRows of slice k / sliceRows. */
    val sliceRows: Int = (batchSize + threads - 1) / threads
    private val sampleSize = reader.shape.size
    private val slices = Array.fill((batchSize + sliceRows - 1) / sliceRows)(new Slice)

    private final class Slice extends Callable[Array[Float]] {
      private val executor = network.executor(sliceRows)
      val input = new Array[Float](sliceRows * sampleSize)
      val lengths: Array[Int] = if (reader.variableLength) new Array[Int](sliceRows) else null
      var rows = 0
      var weights: Array[Float] = _

      def call(): Array[Float] = executor.forward(weights, input, rows, training = false, lengths)
    }

    /** The output buffers of the slices of `values` (at most batchSize), the first being row
      * `first` of the partition.
      */
    def forward(weights: Array[Float], values: Iterator[Any], first: Long): Seq[Array[Float]] = {
      var k = 0
      values.foreach { value =>
        val slice = slices(k / sliceRows)
        val i = k % sliceRows
        val len = reader.read(
          value,
          slice.input,
          i * sampleSize,
          s"row ${first + k} of partition ${TaskContext.getPartitionId()}"
        )
        if (slice.lengths != null) slice.lengths(i) = len
        k += 1
      }
      val used = slices.take((k + sliceRows - 1) / sliceRows)
      used.indices.foreach { j =>
        used(j).weights = weights
        used(j).rows = math.min(sliceRows, k - j * sliceRows)
      }
      Workers.all(used.toSeq)
    }
  }
}
