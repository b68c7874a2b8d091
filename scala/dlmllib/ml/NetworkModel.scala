package dlmllib.ml

import dlmllib.data.{FlatReader, InputReader}
import dlmllib.engine.BulkFloats
import dlmllib.nn.{Arguments, Network, Shape}
import dlmllib.param.TrainingParams
import org.apache.spark.{SparkException, TaskContext}
import org.apache.spark.ml.dlmllib.NetworkPredictorParams
import org.apache.spark.ml.linalg.Vector
import org.apache.spark.sql.{DataFrame, Dataset, Encoders, Row}
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
    * output buffer and the row's offset in it), in batches of batchSize per partition. With a
    * variable-length reader, a batch holding a sequence longer than the network's input runs on the
    * same layers and weights built for that length (see [[NetworkModel.resized]]).
    */
  private[dlmllib] def transformBatched(
      dataset: Dataset[_],
      fields: Seq[StructField],
      outputs: (Array[Float], Int) => Seq[Any]
  ): DataFrame = {
    val df = dataset.toDF()
    val reader = featuresReader(df.schema)
    val column = df.schema.fieldIndex(reader.column)
    val net = network
    val w = df.sparkSession.sparkContext.broadcast(new BulkFloats(weights))
    val batchSize = getBatchSize
    val width = net.outputShape.size
    df.mapPartitions { rows =>
      var runner =
        new NetworkModel.BatchRunner(NetworkModel.resized(net, reader.shape), reader, batchSize)
      var seen = 0L
      rows.grouped(batchSize).flatMap { group =>
        if (reader.variableLength) {
          val longest = group.iterator.map(r => reader.steps(r.get(column))).max
          if (longest > runner.reader.shape(0)) {
            val longer = reader.padTo(longest)
            runner = new NetworkModel.BatchRunner(
              NetworkModel.resized(net, longer.shape),
              longer,
              batchSize
            )
          }
        }
        val out = runner.forward(w.value.values, group.iterator.map(_.get(column)), seen)
        seen += group.size
        group.indices.map(k => Row.fromSeq(group(k).toSeq ++ outputs(out, k * width)))
      }
    }(Encoders.row(StructType(df.schema.fields ++ fields)))
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

  /** Reads rows into a reused batch buffer and runs the network forward over them. */
  private final class BatchRunner(network: Network, val reader: InputReader, batchSize: Int) {
    private val executor = network.executor(batchSize)
    private val sampleSize = reader.shape.size
    private val input = new Array[Float](batchSize * sampleSize)
    private val lengths = if (reader.variableLength) new Array[Int](batchSize) else null

    /** The outputs of `values` (at most batchSize), the first being row `first` of the partition.
      */
    def forward(weights: Array[Float], values: Iterator[Any], first: Long): Array[Float] = {
      var k = 0
      values.foreach { value =>
        val len = reader.read(
          value,
          input,
          k * sampleSize,
          s"row ${first + k} of partition ${TaskContext.getPartitionId()}"
        )
        if (lengths != null) lengths(k) = len
        k += 1
      }
      executor.forward(weights, input, k, training = false, lengths)
    }
  }
}
