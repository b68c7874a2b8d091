package dlmllib.ml

import dlmllib.distributed.TrainingHistory
import org.apache.spark.ml.dlmllib.SparkTrainingSummary

/** What a dlmllib model remembers of its training, per epoch: the training loss
  * (`objectiveHistory`), the validation metric (`validationHistory`: accuracy for classifiers, RMSE
  * for regressors; empty without validationIndicatorCol) and loss, and the time taken.
  */
class NetworkTrainingSummary(history: TrainingHistory)
    extends SparkTrainingSummary
    with Serializable {

  /** Mean training loss of each epoch. */
  def objectiveHistory: Array[Double] = history.objective.clone()

  /** The validation metric after each epoch; empty without a validation column. */
  def validationHistory: Array[Double] = history.validationMetric.clone()

  /** The validation loss after each epoch; empty without a validation column. */
  def validationLossHistory: Array[Double] = history.validationLoss.clone()

  /** `accuracy` or `rmse`: what [[validationHistory]] holds. */
  def validationMetricName: String = history.metricName

  /** Epochs run (fewer than maxIter when training stopped early). */
  override def totalIterations: Int = history.epochs

  /** Wall-clock seconds of each epoch (validation included). */
  def secondsPerEpoch: Array[Double] = history.secondsPerEpoch.clone()

  /** Training samples per second of each epoch. */
  def samplesPerSecond: Array[Double] = history.samplesPerSecond.clone()

  /** Every history above as one JSON object (see [[TrainingHistoryJson]]). */
  override def toString: String = TrainingHistoryJson.write(history)
}
