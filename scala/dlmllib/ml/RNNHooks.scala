package dlmllib.ml

import dlmllib.data.{InputReader, InputStats}
import dlmllib.nn.{Network, Shape}
import dlmllib.rnn.{RNNInput, RNNParams, SequenceReader}
import org.apache.spark.sql.Dataset
import org.apache.spark.sql.types.{ArrayType, DataType, StructType}

/** The input hooks of the RNN Estimators: sequences of arrays, token ids or flat Vectors. */
trait RNNEstimatorInput extends NetworkEstimator with RNNParams {
  override protected def featuresType(schema: StructType): DataType =
    RNNInput.columnType(schema, $(featuresCol), $(vocabSize))

  override protected def sampleShape(dataset: Dataset[_], stats: InputStats): Shape =
    RNNInput.shape(dataset, $(featuresCol), get(inputShape), $(vocabSize), stats.longest)

  override protected def measuresLongest(schema: StructType): Boolean =
    featuresType(schema).isInstanceOf[ArrayType]

  override protected def buildNetwork(shape: Shape, outputUnits: Int): Network =
    RNNInput.network(this, shape, outputUnits)

  override protected def trainingReader(schema: StructType, shape: Shape): InputReader =
    RNNInput.reader(schema, $(featuresCol), shape, $(vocabSize))
}

/** The input hooks of the RNN Models: arrays padded to the network's steps (longer ones are read in
  * full), Vectors of inputShape (else of the network's input shape).
  */
trait RNNModelInput extends NetworkModel with RNNParams {

  /** The `[timesteps, features]` of flat Vectors passed to `transform` or `predict`. */
  def setInputShape(value: Array[Int]): this.type = set(inputShape, value)

  override protected def featuresType(schema: StructType): DataType =
    RNNInput.columnType(schema, $(featuresCol), RNNInput.vocabSize(network))

  override protected def featuresReader(schema: StructType): InputReader =
    RNNInput.reader(schema, $(featuresCol), network, get(inputShape))

  override protected def vectorReader: InputReader =
    SequenceReader(
      "features",
      RNNInput.vectorShape(network, get(inputShape)),
      RNNInput.vocabSize(network),
      variableLength = false
    )
}
