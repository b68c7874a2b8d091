package dlmllib.train

import dlmllib.nn.Network
import dlmllib.param.TrainingParams
import org.apache.spark.SparkException
import org.apache.spark.ml.linalg.Vector
import org.apache.spark.sql.{DataFrame, Dataset, Encoders, Row}
import org.apache.spark.sql.types.{StructField, StructType}

/** What the four dlmllib Models share: the network and its weights, the training summary, a batched
  * forward pass per partition for `transform` and a forward pass for one sample.
  */
trait NetworkModel extends TrainingParams {

  /** The trained network, output layer included. */
  def network: Network

  /** The network's flat weight vector. */
  def weights: Array[Float]

  /** The reader of the features column of `schema` for this network's input shape. */
  protected def featuresReader(schema: StructType): InputReader

  private var trainingSummary: Option[NetworkTrainingSummary] = None

  /** True when this model was just trained (a loaded model has no summary). */
  def hasSummary: Boolean = trainingSummary.isDefined

  /** Per-epoch losses, validation metrics and times of the training run. */
  def summary: NetworkTrainingSummary = trainingSummary.getOrElse(
    throw new SparkException(s"No training summary available for this ${getClass.getSimpleName}")
  )

  private[dlmllib] def setSummary(summary: Option[NetworkTrainingSummary]): this.type = {
    trainingSummary = summary
    this
  }

  /** `dataset` with `fields` appended, computed by `outputs` from each row's network output (the
    * output buffer and the row's offset in it), in batches of batchSize per partition.
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
    val w = df.sparkSession.sparkContext.broadcast(weights)
    val batchSize = getBatchSize
    val sampleSize = net.inputShape.size
    val width = net.outputShape.size
    df.mapPartitions { rows =>
      val executor = net.executor(batchSize)
      val input = new Array[Float](batchSize * sampleSize)
      val lengths = if (reader.variableLength) new Array[Int](batchSize) else null
      var seen = 0L
      rows.grouped(batchSize).flatMap { group =>
        var k = 0
        group.foreach { row =>
          val i = seen + k
          val len = reader.read(row.get(column), input, k * sampleSize, s"row $i of this partition")
          if (lengths != null) lengths(k) = len
          k += 1
        }
        seen += group.size
        val out = executor.forward(w.value, input, group.size, training = false, lengths)
        group.indices.map(k => Row.fromSeq(group(k).toSeq ++ outputs(out, k * width)))
      }
    }(Encoders.row(StructType(df.schema.fields ++ fields)))
  }

  /** The network's output for one flat sample (a Vector of the input shape's size). */
  protected def forwardOne(features: Vector): Array[Float] = {
    val reader = dlmllib.train.FlatReader("features", network.inputShape)
    val input = new Array[Float](network.inputShape.size)
    reader.read(features, input, 0, "the vector passed to predict")
    network.executor(1).forward(weights, input, 1, training = false).take(network.outputShape.size)
  }
}
