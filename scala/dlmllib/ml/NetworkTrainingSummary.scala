package dlmllib.ml

import java.nio.file.{Files, Paths}

import dlmllib.distributed.TrainingHistory
import org.apache.spark.ml.dlmllib.{SparkHasTrainingSummary, SparkTrainingSummary}
import org.apache.spark.sql.{DataFrame, Dataset}

/** What a dlmllib model remembers of its training, per epoch: the training loss
  * (`objectiveHistory`), the validation metric (`validationHistory`: accuracy for classifiers, RMSE
  * for regressors; empty without validationIndicatorCol) and loss, and the time taken. Mixed into
  * the classification and regression training summaries, which add Spark's metrics on the training
  * data.
  */
trait NetworkTrainingSummary extends SparkTrainingSummary with Serializable {

  /** The per-epoch record of the training run. */
  protected def history: TrainingHistory

  /** Mean training loss of each epoch. */
  def objectiveHistory: Array[Double] = history.objective.clone()

  /** The validation metric after each epoch; empty without a validation column. */
  def validationHistory: Array[Double] = history.validationMetric.clone()

  /** The validation loss after each epoch; empty without a validation column. */
  def validationLossHistory: Array[Double] = history.validationLoss.clone()

  /** `accuracy` or `rmse`: what [[validationHistory]] holds. */
  def validationMetricName: String = history.metricName

  /** Epochs run, those before a resumed checkpoint included (fewer than maxIter when training
    * stopped early).
    */
  override def totalIterations: Int = history.epochs

  /** Why training ended: `maxIter` (every epoch ran) or `earlyStop` (patience epochs without
    * improvement; the model holds the best epoch's weights).
    */
  def stopReason: String = history.stopReason

  /** The epoch (from 1) whose weights the model holds: the last one, or with early stopping
    * (patience > 0) the one with the lowest watched loss.
    */
  def bestEpoch: Int = history.bestEpoch

  /** The epoch of the checkpoint this fit resumed from; 0 when it started afresh. */
  def resumedFromEpoch: Int = history.resumedFromEpoch

  /** Wall-clock seconds of each epoch (validation included). */
  def secondsPerEpoch: Array[Double] = history.secondsPerEpoch.clone()

  /** Training samples per second of each epoch. */
  def samplesPerSecond: Array[Double] = history.samplesPerSecond.clone()

  /** Every history above as one JSON object (see [[TrainingHistoryJson]]): all that a Spark Connect
    * client can read of a summary beyond objectiveHistory and totalIterations.
    */
  override def toString: String = TrainingHistoryJson.write(history)
}

/** A model's training summary, as Spark's `HasTrainingSummary` (through a bridge, so that Spark
  * Connect's server lets a client call `hasSummary` and `summary`): present right after `fit`,
  * absent on a loaded model.
  *
  * @tparam S
  *   the summary's type
  */
trait HasNetworkSummary[S <: NetworkTrainingSummary] extends SparkHasTrainingSummary[S] {

  /** The summary of this model's training on `dataset`, which `history` describes: Spark's metrics
    * on it (computed on first use) and the per-epoch histories.
    */
  private[dlmllib] def trainingSummary(dataset: Dataset[_], history: TrainingHistory): S

  /** Spark 4.1+: a Connect server offloading this model to its local disk keeps the summary at the
    * local `path` (Spark's `HasTrainingSummary.saveSummary`, absent in 4.0, hence no `override`).
    */
  def saveSummary(path: String): Unit = Files.writeString(Paths.get(path), summary.toString)

  /** Spark 4.1+: restores what [[saveSummary]] kept, with the metrics on `dataset` (the training
    * data), when the offloaded model is reloaded.
    */
  def loadSummary(path: String, dataset: DataFrame): Unit = {
    val history = TrainingHistoryJson.read(Files.readString(Paths.get(path)))
    setSummary(Some(trainingSummary(dataset, history)))
  }
}
