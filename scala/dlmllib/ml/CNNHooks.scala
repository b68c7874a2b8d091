package dlmllib.ml

import dlmllib.cnn.{CNNInput, CNNParams}
import dlmllib.data.{InputReader, InputStats}
import dlmllib.nn.{Network, Shape}
import org.apache.spark.sql.Dataset
import org.apache.spark.sql.types.{DataType, StructType}

/** The input hooks of the CNN Estimators: image structs or flat columns of inputShape. */
trait CNNEstimatorInput extends NetworkEstimator with CNNParams {
  override protected def featuresType(schema: StructType): DataType =
    CNNInput.columnType(schema, $(featuresCol))

  override protected def sampleShape(dataset: Dataset[_], stats: InputStats): Shape =
    CNNInput.shape(dataset, $(featuresCol), get(inputShape))

  override protected def buildNetwork(shape: Shape, outputUnits: Int): Network =
    CNNInput.network($(layers), shape, outputUnits)

  override protected def trainingReader(schema: StructType, shape: Shape): InputReader =
    CNNInput.reader(schema, $(featuresCol), shape)
}

/** The input hooks of the CNN Models: the features column read at the network's input shape. */
trait CNNModelInput extends NetworkModel with CNNParams {
  override protected def featuresType(schema: StructType): DataType =
    CNNInput.columnType(schema, $(featuresCol))

  override protected def featuresReader(schema: StructType): InputReader =
    CNNInput.reader(schema, $(featuresCol), network.inputShape)
}
