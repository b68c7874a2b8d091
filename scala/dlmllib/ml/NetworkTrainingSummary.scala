package dlmllib.ml

import dlmllib.distributed.TrainingHistory
import org.apache.spark.SparkException

/** What a dlmllib model remembers of its training, per epoch: the training loss
  * (`objectiveHistory`), the validation metric (`validationHistory`: accuracy for classifiers, RMSE
  * for regressors; empty without validationIndicatorCol) and loss, and the time taken. Mixed into
  * the classification and regression training summaries, which add Spark's metrics on the training
  * data.
  */
trait NetworkTrainingSummary extends Serializable {

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
  def totalIterations: Int = history.epochs

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
}

/** A model's training summary, as Spark's `HasTrainingSummary` (which is `private[ml]`): present
  * right after `fit`, absent on a loaded model.
  *
  * @tparam S
  *   the summary's type
  */
trait HasNetworkSummary[S <: NetworkTrainingSummary] {

  private var trainingSummary: Option[S] = None

  /** True when this model was just trained (a loaded model has no summary). */
  def hasSummary: Boolean = trainingSummary.isDefined

  /** The training summary: per-epoch histories and Spark's metrics on the training data. */
  def summary: S = trainingSummary.getOrElse(
    throw new SparkException(s"No training summary available for this ${getClass.getSimpleName}")
  )

  private[dlmllib] def setSummary(summary: Option[S]): this.type = {
    trainingSummary = summary
    this
  }
}
