package dlmllib.regression

import dlmllib.nn.Network
import dlmllib.param.CNNParams
import dlmllib.train._
import dlmllib.util.NetworkModelIO
import org.apache.spark.ml.{PredictionModel, Predictor}
import org.apache.spark.ml.linalg.Vector
import org.apache.spark.ml.param.ParamMap
import org.apache.spark.ml.util._
import org.apache.spark.sql.{DataFrame, Dataset}
import org.apache.spark.sql.types.{DataType, StructType}

/** A convolutional network regressor of one value. featuresCol as for
  * [[dlmllib.classification.CNNClassifier]]; the network is the `layers` preset or spec followed by
  * a dense output layer of one unit, trained with mean squared error.
  */
class CNNRegressor(override val uid: String)
    extends Predictor[Vector, CNNRegressor, CNNRegressionModel]
    with CNNParams
    with DefaultParamsWritable {

  def this() = this(Identifiable.randomUID("cnnRegressor"))

  override def copy(extra: ParamMap): CNNRegressor = defaultCopy(extra)

  override protected def validateAndTransformSchema(
      schema: StructType,
      fitting: Boolean,
      featuresDataType: DataType
  ): StructType =
    super.validateAndTransformSchema(schema, fitting, CNNInput.columnType(schema, $(featuresCol)))

  override protected def train(dataset: Dataset[_]): CNNRegressionModel = {
    Labels.checkNumeric(dataset, $(labelCol))
    val shape = CNNInput.shape(dataset, $(featuresCol), get(inputShape))
    val network = CNNInput.network($(layers), shape, Regression.outputUnits)
    val reader = CNNInput.reader(dataset.schema, $(featuresCol), shape)
    val trained =
      NetworkFitting.fit(dataset, this, $(labelCol), reader, network, Regression, "CNNRegressor")
    new CNNRegressionModel(uid, network, trained.weights)
      .setSummary(Some(new NetworkTrainingSummary(trained.history)))
  }
}

object CNNRegressor extends DefaultParamsReadable[CNNRegressor] {
  override def load(path: String): CNNRegressor = super.load(path)
}

/** A trained [[CNNRegressor]]: adds prediction, computed in batches of batchSize per partition. */
class CNNRegressionModel(override val uid: String, val network: Network, val weights: Array[Float])
    extends PredictionModel[Vector, CNNRegressionModel]
    with CNNParams
    with NetworkModel
    with MLWritable {

  override def numFeatures: Int = network.inputShape.size

  override protected def featuresReader(schema: StructType): InputReader =
    CNNInput.reader(schema, $(featuresCol), network.inputShape)

  override protected def validateAndTransformSchema(
      schema: StructType,
      fitting: Boolean,
      featuresDataType: DataType
  ): StructType =
    super.validateAndTransformSchema(schema, fitting, CNNInput.columnType(schema, $(featuresCol)))

  override def predict(features: Vector): Double = forwardOne(features)(0).toDouble

  override def transform(dataset: Dataset[_]): DataFrame =
    RegressorOutputs.transform(this, dataset, transformSchema(dataset.schema, logging = true))

  /** Regression metrics of this model on `dataset` (which needs labelCol). */
  def evaluate(dataset: Dataset[_]): NetworkRegressionSummary =
    new NetworkRegressionSummary(transform(dataset), $(predictionCol), $(labelCol))

  override def copy(extra: ParamMap): CNNRegressionModel =
    copyValues(new CNNRegressionModel(uid, network, weights), extra)
      .setParent(parent)
      .setSummary(if (hasSummary) Some(summary) else None)

  override def write: MLWriter = new NetworkModelIO.Writer(this, network, weights, 0)

  override def toString: String = s"CNNRegressionModel: uid=$uid, network=${network.toSpec}"
}

object CNNRegressionModel extends MLReadable[CNNRegressionModel] {
  override def read: MLReader[CNNRegressionModel] = new MLReader[CNNRegressionModel] {
    override def load(path: String): CNNRegressionModel = {
      val saved = NetworkModelIO.load(path, sparkSession, classOf[CNNRegressionModel].getName)
      val model = new CNNRegressionModel(saved.uid, saved.network, saved.weights)
      NetworkModelIO.loadParams(model, path, sparkSession, classOf[CNNRegressionModel].getName)
      model
    }
  }

  override def load(path: String): CNNRegressionModel = super.load(path)
}
