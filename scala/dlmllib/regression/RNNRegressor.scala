package dlmllib.regression

import dlmllib.nn.Network
import dlmllib.param.RNNParams
import dlmllib.train._
import dlmllib.util.NetworkModelIO
import org.apache.spark.ml.{PredictionModel, Predictor}
import org.apache.spark.ml.linalg.Vector
import org.apache.spark.ml.param.ParamMap
import org.apache.spark.ml.util._
import org.apache.spark.sql.{DataFrame, Dataset}
import org.apache.spark.sql.types.{DataType, StructType}

/** A recurrent network regressor of one value per sequence (many-to-one). featuresCol as for
  * [[dlmllib.classification.RNNClassifier]]; the network is [embedding] → numLayers recurrent
  * layers → [dropout] → a dense output layer of one unit, trained with mean squared error.
  */
class RNNRegressor(override val uid: String)
    extends Predictor[Vector, RNNRegressor, RNNRegressionModel]
    with RNNParams
    with DefaultParamsWritable {

  def this() = this(Identifiable.randomUID("rnnRegressor"))

  override def copy(extra: ParamMap): RNNRegressor = defaultCopy(extra)

  override protected def validateAndTransformSchema(
      schema: StructType,
      fitting: Boolean,
      featuresDataType: DataType
  ): StructType = super.validateAndTransformSchema(
    schema,
    fitting,
    RNNInput.columnType(schema, $(featuresCol), $(vocabSize))
  )

  override protected def train(dataset: Dataset[_]): RNNRegressionModel = {
    Labels.checkNumeric(dataset, $(labelCol))
    val shape = RNNInput.shape(dataset, $(featuresCol), get(inputShape), $(vocabSize))
    val network = RNNInput.network(this, shape, Regression.outputUnits)
    val reader = RNNInput.reader(dataset.schema, $(featuresCol), shape, $(vocabSize))
    val trained =
      NetworkFitting.fit(dataset, this, $(labelCol), reader, network, Regression, "RNNRegressor")
    new RNNRegressionModel(uid, network, trained.weights)
      .setSummary(Some(new NetworkTrainingSummary(trained.history)))
  }
}

object RNNRegressor extends DefaultParamsReadable[RNNRegressor] {
  override def load(path: String): RNNRegressor = super.load(path)
}

/** A trained [[RNNRegressor]]: adds prediction, computed in batches of batchSize per partition.
  * Sequences longer than any seen in training are read in full.
  */
class RNNRegressionModel(override val uid: String, val network: Network, val weights: Array[Float])
    extends PredictionModel[Vector, RNNRegressionModel]
    with RNNParams
    with NetworkModel
    with MLWritable {

  override def numFeatures: Int = network.inputShape.size

  override protected def featuresReader(schema: StructType): InputReader =
    RNNInput.reader(schema, $(featuresCol), network, get(inputShape))

  override protected def vectorReader: InputReader =
    SequenceReader(
      "features",
      RNNInput.vectorShape(network, get(inputShape)),
      RNNInput.vocabSize(network),
      variableLength = false
    )

  override protected def validateAndTransformSchema(
      schema: StructType,
      fitting: Boolean,
      featuresDataType: DataType
  ): StructType = super.validateAndTransformSchema(
    schema,
    fitting,
    RNNInput.columnType(schema, $(featuresCol), RNNInput.vocabSize(network))
  )

  override def predict(features: Vector): Double = forwardOne(features)(0).toDouble

  override def transform(dataset: Dataset[_]): DataFrame =
    RegressorOutputs.transform(this, dataset, transformSchema(dataset.schema, logging = true))

  /** Regression metrics of this model on `dataset` (which needs labelCol). */
  def evaluate(dataset: Dataset[_]): NetworkRegressionSummary =
    new NetworkRegressionSummary(transform(dataset), $(predictionCol), $(labelCol))

  override def copy(extra: ParamMap): RNNRegressionModel =
    copyValues(new RNNRegressionModel(uid, network, weights), extra)
      .setParent(parent)
      .setSummary(if (hasSummary) Some(summary) else None)

  override def write: MLWriter = new NetworkModelIO.Writer(this, network, weights, 0)

  override def toString: String = s"RNNRegressionModel: uid=$uid, network=${network.toSpec}"
}

object RNNRegressionModel extends MLReadable[RNNRegressionModel] {
  override def read: MLReader[RNNRegressionModel] = new MLReader[RNNRegressionModel] {
    override def load(path: String): RNNRegressionModel = {
      val name = classOf[RNNRegressionModel].getName
      val saved = NetworkModelIO.load(path, sparkSession, name)
      val model = new RNNRegressionModel(saved.uid, saved.network, saved.weights)
      NetworkModelIO.loadParams(model, path, sparkSession, name)
      model
    }
  }

  override def load(path: String): RNNRegressionModel = super.load(path)
}
