package dlmllib.classification

import dlmllib.distributed.TrainingHistory
import dlmllib.nn.Network
import dlmllib.ml.{HasNetworkSummary, NetworkModel, NetworkModelIO}
import org.apache.spark.ml.classification.ProbabilisticClassificationModel
import org.apache.spark.ml.classification.dlmllib.NetworkClassificationSummary
import org.apache.spark.ml.linalg.Vector
import org.apache.spark.ml.param.ParamMap
import org.apache.spark.ml.util.{MLWritable, MLWriter}
import org.apache.spark.sql.{DataFrame, Dataset}

/** The base of the trained dlmllib classifiers: adds rawPrediction (the logits), probability (their
  * softmax) and prediction, computed in batches of batchSize per partition; evaluates, copies and
  * saves itself. Subclasses add their params, their input hooks and [[newModel]].
  *
  * @tparam M
  *   the concrete Model
  */
abstract class NetworkClassificationModel[M <: NetworkClassificationModel[M]](
    override val uid: String,
    val network: Network,
    val weights: Array[Float],
    override val numClasses: Int
) extends ProbabilisticClassificationModel[Vector, M]
    with NetworkModel
    with HasNetworkSummary[NetworkClassificationTrainingSummary]
    with MLWritable {

  /** The constructor of this Model's class: (uid, network, weights, numClasses), for `copy`. */
  protected def newModel: (String, Network, Array[Float], Int) => M

  // Declared in the class, so that Java sees the summary's own type.
  override def summary: NetworkClassificationTrainingSummary = super.summary

  // As Spark's findSummaryModel, a model with an empty predictionCol is scored into a column of
  // its own for the metrics.
  override private[dlmllib] def trainingSummary(
      dataset: Dataset[_],
      history: TrainingHistory
  ): NetworkClassificationTrainingSummary = {
    val scored =
      if (getPredictionCol.nonEmpty) this
      else copy(ParamMap.empty).setPredictionCol(s"prediction_$uid")
    new NetworkClassificationTrainingSummary(
      scored.transform(dataset),
      scored.getPredictionCol,
      getLabelCol,
      history
    )
  }

  override def numFeatures: Int = network.inputShape.size

  override def predictRaw(features: Vector): Vector =
    ClassifierOutputs.raw(forwardOne(features), 0, numClasses)

  override protected def raw2probabilityInPlace(rawPrediction: Vector): Vector =
    ClassifierOutputs.softmaxInPlace(rawPrediction)

  /** Adds the non-empty ones of rawPrediction, probability and prediction. */
  override def transform(dataset: Dataset[_]): DataFrame = {
    val outputSchema = transformSchema(dataset.schema, logging = true)
    val fields = outputSchema.fields.drop(dataset.schema.length).toSeq
    val names = fields.map(_.name)
    val classes = numClasses
    // Spark's own check of the thresholds' length and its message, on the driver.
    if (isDefined(thresholds)) setThresholds($(thresholds))
    val predict = new SparkPrediction(uid, classes, get(thresholds))
    val (rawCol, probCol, predCol) = (getRawPredictionCol, getProbabilityCol, getPredictionCol)
    transformBatched(
      dataset,
      fields,
      (out, offset) => {
        val r = ClassifierOutputs.raw(out, offset, classes)
        lazy val p = ClassifierOutputs.softmaxInPlace(r.copy)
        names.map {
          case `rawCol` => r
          case `probCol` => p
          case `predCol` => predict.of(p)
          case other => throw new IllegalStateException(s"unexpected output column $other")
        }
      }
    )
  }

  /** Spark's classification metrics of this model on `dataset` (which needs labelCol). */
  def evaluate(dataset: Dataset[_]): NetworkClassificationSummary =
    NetworkClassificationSummary(transform(dataset), $(predictionCol), $(labelCol))

  override def copy(extra: ParamMap): M =
    copyValues(newModel(uid, network, weights, numClasses), extra)
      .setParent(parent)
      .setSummary(if (hasSummary) Some(summary) else None)

  override def write: MLWriter = new NetworkModelIO.Writer(this, network, weights, numClasses)

  override def toString: String =
    s"${getClass.getSimpleName}: uid=$uid, numClasses=$numClasses, numWeights=${network.numWeights}, " +
      s"network=${network.toSpec}"
}
