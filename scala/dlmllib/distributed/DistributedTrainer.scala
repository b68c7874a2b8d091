package dlmllib.distributed

import dlmllib.engine.{BulkFloats, Task}
import dlmllib.nn.Network
import org.apache.spark.SparkContext
import org.apache.spark.broadcast.Broadcast
import org.slf4j.LoggerFactory

/** The training loop every dlmllib Estimator runs. The data is [[Stacked]]: each replica (input
  * partition) owns cached chunks of mini-batches. Each epoch is a sequence of [[Round]]s: the
  * weights, the optimizer state and the step count are broadcast, every replica takes up to
  * `localSteps` steps on its own batches (in an order reshuffled every epoch from the seed, with a
  * trainer its executor keeps for the whole fit in a [[TrainerPool]]), and the results are
  * averaged, each replica weighted by the samples it trained on. The replicas share each mini-batch
  * of `batchSize` (see [[TrainingConfig.replicaBatch]]), so an epoch takes as many steps however
  * the data is spread. One partition is therefore exactly sequential mini-batch training.
  */
object DistributedTrainer {
  private val log = LoggerFactory.getLogger(getClass)

  /** Trains `network` from `initial` weights, or resumes from the checkpoint in
    * `config.checkpointDir` written by the same fit. `validation` may be null. Stops with an
    * IllegalArgumentException when the loss leaves the finite numbers.
    */
  def train(
      sc: SparkContext,
      network: Network,
      task: Task,
      config: TrainingConfig,
      initial: Array[Float],
      train: Stacked,
      validation: Stacked
  ): TrainedNetwork = {
    // more than one thread cuts each step's batch into slices, which sum in another order: the
    // same partitions on other cores give the same model only within rounding
    val threads = Cores.perPartition(sc, train.replicas)
    val (stepsPerRound, roundsPerEpoch) = plan(network, config, train, threads)
    val checkpoints = config.checkpointDir.map { _ =>
      val identity = Checkpoints.identity(network, task, config, train)
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
    val trainers =
      sc.broadcast(new TrainerPool(network, task.loss, config, train.batchSize, threads))
    try
      while (!done) {
        val epoch = s.epochs
        sc.setJobDescription(s"${config.name}: epoch ${epoch + 1}/${config.maxEpochs}")
        val started = System.nanoTime()
        val (lossSum, samples) =
          runEpoch(
            sc,
            config,
            train,
            s,
            trainers,
            epoch,
            stepsPerRound,
            roundsPerEpoch
          )
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
    finally {
      sc.setJobDescription(previousDescription)
      trainers.destroy()
    }
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

  /** Local steps per round and rounds per epoch, after logging the layout of the data (and warning
    * about tiny partitions).
    */
  private def plan(
      network: Network,
      config: TrainingConfig,
      train: Stacked,
      threads: Int
  ): (Int, Int) = {
    val batches = Array.tabulate(train.replicas)(train.batches)
    val partitions = batches.length
    val maxBatches = batches.max
    val stepsPerRound = config.stepsPerRound(partitions, maxBatches)
    val roundsPerEpoch = (maxBatches + stepsPerRound - 1) / stepsPerRound
    log.info(
      s"${config.name}: ${network.numWeights} weights, $partitions partitions with " +
        s"${batches.min} to $maxBatches batches of up to ${train.batchSize} " +
        s"(batchSize ${config.batchSize} over $partitions; ${train.batchesPerChunk.length} " +
        s"cached chunks), $stepsPerRound local steps per round, $roundsPerEpoch rounds per epoch" +
        (if (threads > 1) s", $threads threads per partition" else "")
    )
    if (config.batchSize < partitions)
      log.warn(
        s"${config.name}: batchSize ${config.batchSize} is smaller than the $partitions " +
          s"partitions, so every step takes one sample per partition ($partitions in all); " +
          "repartition the input to fewer partitions (e.g. one per core) or raise batchSize"
      )
    if (partitions > 1 && batches.min < 4)
      log.warn(
        s"${config.name}: some of the $partitions partitions hold only " +
          s"${batches.min} mini-batches; averaging many tiny partitions trains slowly, " +
          "repartition the input to fewer partitions (e.g. one per core)"
      )
    (stepsPerRound, roundsPerEpoch)
  }

  /** One pass over every replica's batches, round after round; returns the loss summed over the
    * samples and their number.
    */
  private def runEpoch(
      sc: SparkContext,
      config: TrainingConfig,
      train: Stacked,
      progress: TrainingState,
      trainers: Broadcast[TrainerPool],
      epoch: Int,
      stepsPerRound: Int,
      roundsPerEpoch: Int
  ): (Double, Long) = {
    val rate = config
      .replicaRate(
        config.schedule.rate(config.stepSize, epoch, config.maxEpochs),
        train.batchSize
      )
      .toFloat
    var lossSum = 0.0
    var samples = 0L
    val orders = Array.tabulate(train.replicas)(r => train.epochOrder(config.seed, epoch, r))
    var round = 0
    while (round < roundsPerEpoch) {
      val from = round * stepsPerRound
      val plan = orders.map { o =>
        Round.segments(o, math.min(from, o.length), math.min(from + stepsPerRound, o.length))
      }
      val roundStarted = System.nanoTime()
      val start =
        sc.broadcast(new Round.Start(progress.weights, progress.state, progress.stepCount, rate))
      val sum = Round.run(config, train, plan, start, trainers)
      start.destroy()
      log.debug(
        f"${config.name} epoch ${epoch + 1} round ${round + 1}: " +
          f"${(System.nanoTime() - roundStarted) / 1e6}%.0f ms, of which the slowest " +
          f"partition computed ${sum.maxComputeNanos / 1e6}%.0f ms"
      )
      val (weights, state) = sum.means
      progress.weights = weights
      progress.state = state
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
      data: Stacked
  ): (Double, Double) = {
    val w = sc.broadcast(new BulkFloats(weights))
    val loss = task.loss
    val width = network.outputShape.size
    val batchSize = data.batchSize
    val (lossSum, metricSum, count) = data.byReplica
      .mapPartitions { chunks =>
        val executor = network.executor(batchSize)
        val gradient = new Array[Float](batchSize * width)
        var lossSum, metricSum = 0.0
        var count = 0L
        chunks.flatMap(_.iterator).foreach { b =>
          val out =
            executor.forward(w.value.values, b.features, b.size, training = false, b.lengths)
          lossSum += loss.lossAndGradient(out, b.targets, b.size, width, gradient) * b.size
          var k = 0
          while (k < b.size) { metricSum += task.metricTerm(out, k * width, b.targets(k)); k += 1 }
          count += b.size
        }
        Iterator.single((lossSum, metricSum, count))
      }
      .treeReduce((a, b) => (a._1 + b._1, a._2 + b._2, a._3 + b._3), config.aggregationDepth)
    w.destroy()
    (lossSum / count, task.metric(metricSum, count))
  }
}
