package dlmllib.distributed

import dlmllib.optim.{LearningRateSchedule, Optimizer}

/** Everything the distributed loop needs besides the network, the task and the data; the Estimators
  * fill it from their params.
  *
  * @param name
  *   names the run in logs and Spark job descriptions, e.g. `CNNClassifier`
  * @param localSteps
  *   steps each partition takes between two averagings; 0 means one pass over its batches
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
    seed: Long
)

/** Per-epoch figures of a training run. `validation*` are empty without validation rows. */
final case class TrainingHistory(
    objective: Array[Double],
    validationLoss: Array[Double],
    validationMetric: Array[Double],
    metricName: String,
    secondsPerEpoch: Array[Double],
    samplesPerSecond: Array[Double]
) {
  def epochs: Int = objective.length
}

/** The trained weights (the best epoch's when validating) and the history. */
final case class TrainedNetwork(weights: Array[Float], history: TrainingHistory)
