package dlmllib.distributed

import dlmllib.engine.{Batch, Task}
import dlmllib.nn.Network
import org.apache.spark.SparkContext
import org.apache.spark.rdd.RDD
import org.slf4j.LoggerFactory

/** The training loop every dlmllib Estimator runs. The data is an RDD with one element per
  * partition, that partition's cached mini-batches. Each epoch is a sequence of [[Round]]s: the
  * weights, the optimizer state and the step count are broadcast, every partition takes up to
  * `localSteps` steps on its own batches (in an order reshuffled every epoch from the seed), and
  * the results are averaged, each partition weighted by the samples it trained on. The partitions
  * share each mini-batch of `batchSize` (see [[TrainingConfig.replicaBatch]]), so an epoch takes as
  * many steps however the data is spread. One partition is therefore exactly sequential mini-batch
  * training.
  */
object DistributedTrainer {
  private val log = LoggerFactory.getLogger(getClass)

  /** Trains `network` from `initial` weights, or resumes from the checkpoint in
    * `config.checkpointDir` written by the same fit. `train` and `validation` hold one element per
    * partition (cached); `validation` may be null. Stops with an IllegalArgumentException when the
    * loss leaves the finite numbers.
    */
  def train(
      sc: SparkContext,
      network: Network,
      task: Task,
      config: TrainingConfig,
      initial: Array[Float],
      train: RDD[Array[Batch]],
      validation: RDD[Array[Batch]]
  ): TrainedNetwork = {
    val (batchesPerPartition, stepsPerRound, roundsPerEpoch) = plan(network, config, train)
    val checkpoints = config.checkpointDir.map { _ =>
      val identity = Checkpoints.identity(network, task, config, batchesPerPartition)
      new Checkpoints(sc.hadoopConfiguration, config, identity)
    }
    val s = checkpoints.flatMap(_.latest()).getOrElse {
      val stateSize = config.optimizer.stateSize(network.numWeights)
      new TrainingState(
        initial.clone(),
        new Array[Float](stateSize),
        new HistoryBuilder,
        new EarlyStopping(config.tol, config.patience)
      )
    }
    val resumedFrom = s.epochs
    if (resumedFrom > 0) log.info(s"${config.name}: resumed after epoch $resumedFrom")
    def done = s.epochs >= config.maxEpochs || s.stopping.shouldStop
    val previousDescription = sc.getLocalProperty("spark.job.description")
    try
      while (!done) {
        val epoch = s.epochs
        sc.setJobDescription(s"${config.name}: epoch ${epoch + 1}/${config.maxEpochs}")
        val started = System.nanoTime()
        val (lossSum, samples) =
          runEpoch(sc, network, task, config, train, s, epoch, stepsPerRound, roundsPerEpoch)
        val history = s.history
        history.objective += lossSum / samples
        if (validation != null) {
          val (vLoss, vMetric) = evaluate(sc, network, task, config, s.weights, validation)
          history.validationLoss += vLoss
          history.validationMetric += vMetric
        }
        val elapsed = (System.nanoTime() - started) / 1e9
        history.seconds += elapsed
        history.throughput += samples / elapsed
        val watched =
          if (validation == null) history.objective.last else history.validationLoss.last
        s.stopping.update(epoch + 1, watched, s.weights)
        log.info(history.describeLast(config, task))
        checkpoints.foreach { c =>
          if (done || s.epochs % config.checkpointInterval == 0) c.save(s)
        }
      }
    finally sc.setJobDescription(previousDescription)
    result(config, task, s, resumedFrom)
  }

  /** The model a finished run yields: the last weights, or with early stopping the best epoch's. */
  private def result(
      config: TrainingConfig,
      task: Task,
      s: TrainingState,
      resumedFrom: Int
  ): TrainedNetwork = {
    val stopped = s.stopping.shouldStop
    if (stopped)
      log.info(
        s"${config.name}: stopped after ${s.epochs} epochs, no improvement above tol " +
          s"${config.tol} for ${config.patience} epochs; keeping epoch ${s.stopping.bestEpoch}"
      )
    val best = config.patience > 0 && s.stopping.bestWeights != null // (maxIter 0: no epoch)
    TrainedNetwork(
      if (best) s.stopping.bestWeights else s.weights,
      s.history.result(
        task.metricName,
        if (stopped) StopReason.EarlyStop else StopReason.MaxIter,
        if (best) s.stopping.bestEpoch else s.epochs,
        resumedFrom
      )
    )
  }

  /** Batches per partition, local steps per round and rounds per epoch, after logging the layout of
    * the data (and warning about tiny partitions).
    */
  private def plan(
      network: Network,
      config: TrainingConfig,
      train: RDD[Array[Batch]]
  ): (Array[Int], Int, Int) = {
    val batchesPerPartition = train.map(_.length).collect()
    val partitions = batchesPerPartition.length
    val maxBatches = batchesPerPartition.max
    val stepsPerRound = config.stepsPerRound(partitions, maxBatches)
    val roundsPerEpoch = (maxBatches + stepsPerRound - 1) / stepsPerRound
    log.info(
      s"${config.name}: ${network.numWeights} weights, $partitions partitions with " +
        s"${batchesPerPartition.min} to $maxBatches batches of up to " +
        s"${config.replicaBatch(partitions)} (batchSize ${config.batchSize} over $partitions), " +
        s"$stepsPerRound local steps per round, $roundsPerEpoch rounds per epoch"
    )
    if (config.batchSize < partitions)
      log.warn(
        s"${config.name}: batchSize ${config.batchSize} is smaller than the $partitions " +
          s"partitions, so every step takes one sample per partition ($partitions in all); " +
          "repartition the input to fewer partitions (e.g. one per core) or raise batchSize"
      )
    if (partitions > 1 && batchesPerPartition.min < 4)
      log.warn(
        s"${config.name}: some of the $partitions partitions hold only " +
          s"${batchesPerPartition.min} mini-batches; averaging many tiny partitions trains slowly, " +
          "repartition the input to fewer partitions (e.g. one per core)"
      )
    (batchesPerPartition, stepsPerRound, roundsPerEpoch)
  }

  /** One pass over every partition's batches, round after round; returns the loss summed over the
    * samples and their number.
    */
  private def runEpoch(
      sc: SparkContext,
      network: Network,
      task: Task,
      config: TrainingConfig,
      train: RDD[Array[Batch]],
      progress: TrainingState,
      epoch: Int,
      stepsPerRound: Int,
      roundsPerEpoch: Int
  ): (Double, Long) = {
    val rate = config
      .replicaRate(
        config.schedule.rate(config.stepSize, epoch, config.maxEpochs),
        train.getNumPartitions
      )
      .toFloat
    var lossSum = 0.0
    var samples = 0L
    var round = 0
    while (round < roundsPerEpoch) {
      val roundStarted = System.nanoTime()
      val start =
        sc.broadcast(Round.Start(progress.weights, progress.state, progress.stepCount, rate))
      val sum = Round.run(network, task, config, train, start, epoch, round, stepsPerRound)
      start.destroy()
      log.debug(
        f"${config.name} epoch ${epoch + 1} round ${round + 1}: " +
          f"${(System.nanoTime() - roundStarted) / 1e6}%.0f ms, of which the slowest " +
          f"partition computed ${sum.maxComputeNanos / 1e6}%.0f ms"
      )
      progress.weights = sum.mean(sum.weights)
      progress.state = sum.mean(sum.state)
      progress.stepCount += sum.maxSteps
      lossSum += sum.lossSum
      samples += sum.samples
      Divergence.check(config, epoch, lossSum / samples, progress.weights)
      round += 1
    }
    (lossSum, samples)
  }

  /** Mean loss and the task's metric over the validation batches. */
  def evaluate(
      sc: SparkContext,
      network: Network,
      task: Task,
      config: TrainingConfig,
      weights: Array[Float],
      data: RDD[Array[Batch]]
  ): (Double, Double) = {
    val w = sc.broadcast(weights)
    val loss = task.loss
    val width = network.outputShape.size
    val (lossSum, metricSum, count) = data
      .map { batches =>
        val executor = network.executor(config.batchSize)
        val gradient = new Array[Float](config.batchSize * width)
        var lossSum, metricSum = 0.0
        var count = 0L
        batches.foreach { b =>
          val out = executor.forward(w.value, b.features, b.size, training = false, b.lengths)
          lossSum += loss.lossAndGradient(out, b.targets, b.size, width, gradient) * b.size
          var k = 0
          while (k < b.size) { metricSum += task.metricTerm(out, k * width, b.targets(k)); k += 1 }
          count += b.size
        }
        (lossSum, metricSum, count)
      }
      .treeReduce((a, b) => (a._1 + b._1, a._2 + b._2, a._3 + b._3), config.aggregationDepth)
    w.destroy()
    (lossSum / count, task.metric(metricSum, count))
  }
}
