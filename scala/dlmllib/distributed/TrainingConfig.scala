package dlmllib.distributed

import dlmllib.optim.{LearningRateSchedule, Optimizer}

/** Everything the distributed loop needs besides the network, the task and the data; the Estimators
  * fill it from their params.
  *
  * @param name
  *   names the run in logs and Spark job descriptions, e.g. `CNNClassifier`
  * @param localSteps
  *   steps each partition takes between two averagings; 0 means one pass over its batches; None
  *   chooses [[TrainingConfig.defaultLocalSteps]]
  * @param patience
  *   early stopping after this many epochs without an improvement of more than `tol`; 0 is off
  * @param checkpointDir
  *   a Hadoop directory for the last checkpoint (see [[Checkpoints]]), if any
  * @param frozenLayers
  *   indices of the layers whose weights training leaves unchanged
  * @param chunkBytes
  *   about how many bytes of features each cached chunk of mini-batches holds (at least one batch);
  *   the unit in which data larger than memory spills to disk
  */
final case class TrainingConfig(
    name: String,
    maxEpochs: Int,
    batchSize: Int,
    localSteps: Option[Int],
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
    frozenLayers: Seq[Int] = Nil,
    chunkBytes: Long = 4L << 20
) {

  /** Local steps per round for partitions of at most `maxBatches` batches. */
  def stepsPerRound(partitions: Int, maxBatches: Int): Int =
    localSteps.getOrElse(TrainingConfig.defaultLocalSteps(partitions)) match {
      case 0 => maxBatches
      case s => s
    }

  /** The samples of one partition's mini-batch when the data is spread over `partitions`:
    * `batchSize` is the batch of the whole model, split between the replicas, so a step of every
    * replica together takes one batch of about `batchSize` and an epoch has the same number of
    * steps however many partitions share it.
    */
  def replicaBatch(partitions: Int): Int = math.max(1, (batchSize + partitions - 1) / partitions)

  /** The learning rate of the replicas' steps at `rate` when each steps on batches of
    * `replicaBatch` samples (see [[Optimizer.replicaRateScale]]).
    */
  def replicaRate(rate: Double, replicaBatch: Int): Double =
    rate * optimizer.replicaRateScale(batchSize.toDouble / replicaBatch)
}

object TrainingConfig {

  /** Local steps per round when the user sets none: 128 / partitions (64 at 2 partitions, 16 at 8,
    * 8 at 16). Each replica steps on a 1/partitions share of the batch, so its steps are that much
    * noisier and replicas drift apart in proportion to steps × partitions; holding that product
    * kept test accuracy within a point of one partition at 8 and 16 partitions, where 64 steps lost
    * up to 5 points (bench/README.md, PartitionsBench). Fewer steps mean more rounds: with many
    * partitions, raise batchSize so that a round still computes long enough to pay for itself.
    */
  def defaultLocalSteps(partitions: Int): Int = math.max(1, 128 / partitions)
}

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
