package dlmllib.classification

import dlmllib.nn.Network
import dlmllib.param.CNNParams
import dlmllib.train._
import dlmllib.util.NetworkModelIO
import org.apache.spark.ml.classification.{
  ProbabilisticClassificationModel,
  ProbabilisticClassifier
}
import org.apache.spark.ml.classification.dlmllib.NetworkClassificationSummary
import org.apache.spark.ml.linalg.Vector
import org.apache.spark.ml.param.ParamMap
import org.apache.spark.ml.util._
import org.apache.spark.sql.{DataFrame, Dataset}
import org.apache.spark.sql.types.{DataType, StructType}

/** A convolutional network classifier. featuresCol holds image structs from
  * `spark.read.format("image")` (any size, all alike) or flat Vectors / numeric arrays with
  * `inputShape` = `[channels, height, width]`; labels are 0 … numClasses − 1. The network is the
  * `layers` preset or spec followed by a dense output layer of numClasses units (from the label
  * metadata, else the largest label + 1), trained with softmax cross-entropy.
  */
class CNNClassifier(override val uid: String)
    extends ProbabilisticClassifier[Vector, CNNClassifier, CNNClassificationModel]
    with CNNParams
    with DefaultParamsWritable {

  def this() = this(Identifiable.randomUID("cnnClassifier"))

  override def copy(extra: ParamMap): CNNClassifier = defaultCopy(extra)

  override protected def validateAndTransformSchema(
      schema: StructType,
      fitting: Boolean,
      featuresDataType: DataType
  ): StructType =
    super.validateAndTransformSchema(schema, fitting, CNNInput.columnType(schema, $(featuresCol)))

  override protected def train(dataset: Dataset[_]): CNNClassificationModel = {
    val numClasses = Labels.numClasses(dataset, $(labelCol))
    val shape = CNNInput.shape(dataset, $(featuresCol), get(inputShape))
    val network = CNNInput.network($(layers), shape, numClasses)
    val reader = CNNInput.reader(dataset.schema, $(featuresCol), shape)
    val trained =
      NetworkFitting.fit(
        dataset,
        this,
        $(labelCol),
        reader,
        network,
        Classification(numClasses),
        "CNNClassifier"
      )
    new CNNClassificationModel(uid, network, trained.weights, numClasses)
      .setSummary(Some(new NetworkTrainingSummary(trained.history)))
  }
}

object CNNClassifier extends DefaultParamsReadable[CNNClassifier] {
  override def load(path: String): CNNClassifier = super.load(path)
}

/** A trained [[CNNClassifier]]: adds rawPrediction (the logits), probability (their softmax) and
  * prediction, computed in batches of batchSize per partition.
  */
class CNNClassificationModel(
    override val uid: String,
    val network: Network,
    val weights: Array[Float],
    override val numClasses: Int
) extends ProbabilisticClassificationModel[Vector, CNNClassificationModel]
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

  override def predictRaw(features: Vector): Vector =
    ClassifierOutputs.raw(forwardOne(features), 0, numClasses)

  override protected def raw2probabilityInPlace(rawPrediction: Vector): Vector =
    ClassifierOutputs.softmaxInPlace(rawPrediction)

  override def transform(dataset: Dataset[_]): DataFrame =
    ClassifierOutputs.transform(this, dataset, transformSchema(dataset.schema, logging = true))

  /** Spark's classification metrics of this model on `dataset` (which needs labelCol). */
  def evaluate(dataset: Dataset[_]): NetworkClassificationSummary =
    NetworkClassificationSummary(transform(dataset), $(predictionCol), $(labelCol))

  override def copy(extra: ParamMap): CNNClassificationModel =
    copyValues(new CNNClassificationModel(uid, network, weights, numClasses), extra)
      .setParent(parent)
      .setSummary(if (hasSummary) Some(summary) else None)

  override def write: MLWriter = new NetworkModelIO.Writer(this, network, weights, numClasses)

  override def toString: String =
    s"CNNClassificationModel: uid=$uid, numClasses=$numClasses, network=${network.toSpec}"
}

object CNNClassificationModel extends MLReadable[CNNClassificationModel] {
  override def read: MLReader[CNNClassificationModel] = new MLReader[CNNClassificationModel] {
    override def load(path: String): CNNClassificationModel = {
      val saved = NetworkModelIO.load(path, sparkSession, classOf[CNNClassificationModel].getName)
      val model =
        new CNNClassificationModel(saved.uid, saved.network, saved.weights, saved.numClasses)
      NetworkModelIO.loadParams(model, path, sparkSession, classOf[CNNClassificationModel].getName)
      model
    }
  }

  override def load(path: String): CNNClassificationModel = super.load(path)
}
