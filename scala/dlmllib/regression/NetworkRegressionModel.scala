package dlmllib.regression

import dlmllib.distributed.TrainingHistory
import dlmllib.nn.Network
import dlmllib.ml.{HasNetworkSummary, NetworkModel, NetworkModelIO}
import org.apache.spark.ml.PredictionModel
import org.apache.spark.ml.linalg.Vector
import org.apache.spark.ml.param.ParamMap
import org.apache.spark.ml.util.{MLWritable, MLWriter}
import org.apache.spark.sql.{DataFrame, Dataset}

/** The base of the trained dlmllib regressors: adds prediction, computed in batches of batchSize
  * per partition; evaluates, copies and saves itself (with numClasses 0). Subclasses add their
  * params, their input hooks and [[newModel]].
  *
  * @tparam M
  *   the concrete Model
  */
abstract class NetworkRegressionModel[M <: NetworkRegressionModel[M]](
    override val uid: String,
    val network: Network,
    val weights: Array[Float]
) extends PredictionModel[Vector, M]
    with NetworkModel
    with HasNetworkSummary[NetworkRegressionTrainingSummary]
    with MLWritable {

  /** The constructor of this Model's class: (uid, network, weights), for `copy`. */
  protected def newModel: (String, Network, Array[Float]) => M

  // Declared in the class, so that Java sees the summary's own type.
  override def summary: NetworkRegressionTrainingSummary = super.summary

  // As Spark's findSummaryModel, a model with an empty predictionCol is scored into a column of
  // its own for the metrics.
  override private[dlmllib] def trainingSummary(
      dataset: Dataset[_],
      history: TrainingHistory
  ): NetworkRegressionTrainingSummary = {
    val scored =
      if (getPredictionCol.nonEmpty) this
      else copy(ParamMap.empty).setPredictionCol(s"prediction_$uid")
    new NetworkRegressionTrainingSummary(
      scored.transform(dataset),
      scored.getPredictionCol,
      getLabelCol,
      history
    )
  }

  override def numFeatures: Int = network.inputShape.size

  override def predict(features: Vector): Double = forwardOne(features)(0).toDouble

  /** Adds predictionCol (unless empty). */
  override def transform(dataset: Dataset[_]): DataFrame = {
    val outputSchema = transformSchema(dataset.schema, logging = true)
    val fields = outputSchema.fields.drop(dataset.schema.length).toSeq
    transformBatched(dataset, fields, (out, offset) => fields.map(_ => out(offset).toDouble))
  }

  /** Regression metrics of this model on `dataset` (which needs labelCol). */
  def evaluate(dataset: Dataset[_]): NetworkRegressionSummary =
    new NetworkRegressionSummary(transform(dataset), $(predictionCol), $(labelCol))

  override def copy(extra: ParamMap): M =
    copyValues(newModel(uid, network, weights), extra)
      .setParent(parent)
      .setSummary(if (hasSummary) Some(summary) else None)

  override def write: MLWriter = new NetworkModelIO.Writer(this, network, weights, 0)

  override def toString: String =
    s"${getClass.getSimpleName}: uid=$uid, numWeights=${network.numWeights}, network=${network.toSpec}"
}
