package dlmllib.distributed

import dlmllib.optim.{LearningRateSchedule, Optimizer}

/** Everything the distributed loop needs besides the network, the task and the data; the Estimators
  * fill it from their params.
  *
  * @param name
  *   names the run in logs and Spark job descriptions, e.g. `CNNClassifier`
  * @param localSteps
  *   steps each partition takes between two averagings; 0 means one pass over its batches
  * @param patience
  *   early stopping after this many epochs without an improvement of more than `tol`; 0 is off
  * @param checkpointDir
  *   a Hadoop directory for the last checkpoint (see [[Checkpoints]]), if any
  * @param frozenLayers
  *   indices of the layers whose weights training leaves unchanged
  */
final case class TrainingConfig(
    name: String,
    maxEpochs: Int,
    batchSize: Int,
    localSteps: Int,
    aggregationDepth: Int,
    stepSize: Double,
    schedule: LearningRateSchedule,
    optimizer: Optimizer,
    regParam: Double,
    clipNorm: Double,
    tol: Double,
    patience: Int,
    seed: Long,
    checkpointDir: Option[String] = None,
    checkpointInterval: Int = 1,
    frozenLayers: Seq[Int] = Nil
)

/** Per-epoch figures of a training run. `validation*` are empty without validation rows. */
final case class TrainingHistory(
    objective: Array[Double],
    validationLoss: Array[Double],
    validationMetric: Array[Double],
    metricName: String,
    secondsPerEpoch: Array[Double],
    samplesPerSecond: Array[Double],
    stopReason: String = StopReason.MaxIter,
    bestEpoch: Int = 0,
    resumedFromEpoch: Int = 0
) {
  def epochs: Int = objective.length
}

/** The trained weights (the best epoch's when validating) and the history. */
final case class TrainedNetwork(weights: Array[Float], history: TrainingHistory)

/** Why a training run ended (a diverging run ends with an error, not a model). */
object StopReason {

  /** Every one of maxIter epochs ran. */
  val MaxIter = "maxIter"

  /** `patience` epochs brought no improvement; the best epoch's weights were restored. */
  val EarlyStop = "earlyStop"
}
