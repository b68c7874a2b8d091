package dlmllib.classification

import dlmllib.nn.Network
import dlmllib.param.RNNParams
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

/** A recurrent network classifier of sequences (many-to-one). featuresCol holds
  * `array<array<double>>` (one inner array per step), `array<double>` (one feature per step), token
  * ids with `vocabSize` > 0, or flat Vectors with `inputShape` = `[timesteps, features]`; arrays
  * may differ in length (padded and masked, never truncated). The network is [embedding] →
  * numLayers recurrent layers of cellType → [dropout] → a dense output layer of numClasses units,
  * trained with softmax cross-entropy on the last valid step's state.
  */
class RNNClassifier(override val uid: String)
    extends ProbabilisticClassifier[Vector, RNNClassifier, RNNClassificationModel]
    with RNNParams
    with DefaultParamsWritable {

  def this() = this(Identifiable.randomUID("rnnClassifier"))

  override def copy(extra: ParamMap): RNNClassifier = defaultCopy(extra)

  override protected def validateAndTransformSchema(
      schema: StructType,
      fitting: Boolean,
      featuresDataType: DataType
  ): StructType = super.validateAndTransformSchema(
    schema,
    fitting,
    RNNInput.columnType(schema, $(featuresCol), $(vocabSize))
  )

  override protected def train(dataset: Dataset[_]): RNNClassificationModel = {
    val numClasses = Labels.numClasses(dataset, $(labelCol))
    val shape = RNNInput.shape(dataset, $(featuresCol), get(inputShape), $(vocabSize))
    val network = RNNInput.network(this, shape, numClasses)
    val reader = RNNInput.reader(dataset.schema, $(featuresCol), shape, $(vocabSize))
    val trained = NetworkFitting.fit(
      dataset,
      this,
      $(labelCol),
      reader,
      network,
      Classification(numClasses),
      "RNNClassifier"
    )
    new RNNClassificationModel(uid, network, trained.weights, numClasses)
      .setSummary(Some(new NetworkTrainingSummary(trained.history)))
  }
}

object RNNClassifier extends DefaultParamsReadable[RNNClassifier] {
  override def load(path: String): RNNClassifier = super.load(path)
}

/** A trained [[RNNClassifier]]: adds rawPrediction (the logits), probability (their softmax) and
  * prediction, computed in batches of batchSize per partition. Sequences longer than any seen in
  * training are read in full.
  */
class RNNClassificationModel(
    override val uid: String,
    val network: Network,
    val weights: Array[Float],
    override val numClasses: Int
) extends ProbabilisticClassificationModel[Vector, RNNClassificationModel]
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

  override def predictRaw(features: Vector): Vector =
    ClassifierOutputs.raw(forwardOne(features), 0, numClasses)

  override protected def raw2probabilityInPlace(rawPrediction: Vector): Vector =
    ClassifierOutputs.softmaxInPlace(rawPrediction)

  override def transform(dataset: Dataset[_]): DataFrame =
    ClassifierOutputs.transform(this, dataset, transformSchema(dataset.schema, logging = true))

  /** Spark's classification metrics of this model on `dataset` (which needs labelCol). */
  def evaluate(dataset: Dataset[_]): NetworkClassificationSummary =
    NetworkClassificationSummary(transform(dataset), $(predictionCol), $(labelCol))

  override def copy(extra: ParamMap): RNNClassificationModel =
    copyValues(new RNNClassificationModel(uid, network, weights, numClasses), extra)
      .setParent(parent)
      .setSummary(if (hasSummary) Some(summary) else None)

  override def write: MLWriter = new NetworkModelIO.Writer(this, network, weights, numClasses)

  override def toString: String =
    s"RNNClassificationModel: uid=$uid, numClasses=$numClasses, network=${network.toSpec}"
}

object RNNClassificationModel extends MLReadable[RNNClassificationModel] {
  override def read: MLReader[RNNClassificationModel] = new MLReader[RNNClassificationModel] {
    override def load(path: String): RNNClassificationModel = {
      val name = classOf[RNNClassificationModel].getName
      val saved = NetworkModelIO.load(path, sparkSession, name)
      val model =
        new RNNClassificationModel(saved.uid, saved.network, saved.weights, saved.numClasses)
      NetworkModelIO.loadParams(model, path, sparkSession, name)
      model
    }
  }

  override def load(path: String): RNNClassificationModel = super.load(path)
}
