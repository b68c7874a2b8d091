package dlmllib.train

import dlmllib.nn.Network
import org.apache.spark.SparkContext
import org.apache.spark.broadcast.Broadcast
import org.apache.spark.rdd.RDD
import org.slf4j.LoggerFactory

/** The training loop every dlmllib Estimator runs. The data is an RDD with one element per
  * partition, that partition's cached mini-batches. Each round broadcasts the weights, the
  * optimizer state and the step count; every partition takes up to `localSteps` steps on its own
  * batches (in an order reshuffled every epoch from the seed) with a [[LocalTrainer]]; weights,
  * optimizer state and loss sums come back through `treeAggregate`, averaged with each partition
  * weighted by the samples it trained on. One partition is therefore exactly sequential mini-batch
  * training.
  */
object DistributedTrainer {
  private val log = LoggerFactory.getLogger(getClass)

  /** What a round starts from, broadcast to every partition. */
  private final case class RoundStart(
      weights: Array[Float],
      state: Array[Float],
      stepCount: Long,
      learningRate: Float
  )

  /** Sums over partitions: weights and state times samples, loss sums, counts. */
  private final class RoundSum extends Serializable {
    var weights: Array[Double] = _
    var state: Array[Double] = _
    var samples: Long = 0L
    var lossSum: Double = 0.0
    var maxSteps: Int = 0
    var maxComputeNanos: Long = 0L

    def add(w: Array[Float], s: Array[Float], n: Long, loss: Double, steps: Int): RoundSum = {
      if (weights == null) {
        weights = new Array[Double](w.length); state = new Array[Double](s.length)
      }
      RoundSum.axpy(n.toDouble, w, weights)
      RoundSum.axpy(n.toDouble, s, state)
      samples += n
      lossSum += loss
      maxSteps = math.max(maxSteps, steps)
      this
    }

    def merge(o: RoundSum): RoundSum = {
      if (o.weights != null) {
        if (weights == null) { weights = o.weights; state = o.state }
        else {
          var i = 0
          while (i < weights.length) { weights(i) += o.weights(i); i += 1 }
          i = 0
          while (i < state.length) { state(i) += o.state(i); i += 1 }
        }
      }
      samples += o.samples
      lossSum += o.lossSum
      maxSteps = math.max(maxSteps, o.maxSteps)
      maxComputeNanos = math.max(maxComputeNanos, o.maxComputeNanos)
      this
    }

    def mean(sum: Array[Double]): Array[Float] = {
      val out = new Array[Float](sum.length)
      var i = 0
      while (i < out.length) { out(i) = (sum(i) / samples).toFloat; i += 1 }
      out
    }
  }

  private object RoundSum {
    def axpy(a: Double, x: Array[Float], y: Array[Double]): Unit = {
      var i = 0
      while (i < x.length) { y(i) += a * x(i); i += 1 }
    }
  }

  /** The seed of partition `p`'s trainer (dropout); tests reproduce one-partition runs with it. */
  def trainerSeed(seed: Long, partition: Int): Long = Seeds.derive(seed, 1L, partition.toLong)

  /** The order in which partition `p` visits its `n` batches in `epoch`. */
  def batchOrder(seed: Long, epoch: Int, partition: Int, n: Int): Array[Int] =
    Seeds.permutation(n, Seeds.derive(seed, 2L, epoch.toLong, partition.toLong))

  /** Trains `network` from `initial` weights. `train` and `validation` hold one element per
    * partition (cached); `validation` may be null.
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
    val batchesPerPartition = train.map(_.length).collect()
    val maxBatches = batchesPerPartition.max
    val stepsPerRound = if (config.localSteps > 0) config.localSteps else maxBatches
    val roundsPerEpoch = (maxBatches + stepsPerRound - 1) / stepsPerRound
    log.info(
      s"${config.name}: ${network.numWeights} weights, ${batchesPerPartition.length} partitions " +
        s"with ${batchesPerPartition.min} to $maxBatches batches of up to ${config.batchSize}, " +
        s"$stepsPerRound local steps per round, $roundsPerEpoch rounds per epoch"
    )
    if (batchesPerPartition.length > 1 && batchesPerPartition.min < 4)
      log.warn(
        s"${config.name}: some of the ${batchesPerPartition.length} partitions hold only " +
          s"${batchesPerPartition.min} mini-batches; averaging many tiny partitions trains slowly, " +
          "repartition the input to fewer partitions (e.g. one per core)"
      )

    var weights = initial.clone()
    var state = new Array[Float](config.optimizer.stateSize(network.numWeights))
    var stepCount = 0L
    val objective, validationLoss, validationMetric, seconds, throughput =
      scala.collection.mutable.ArrayBuffer.empty[Double]
    var best = Double.PositiveInfinity
    var bestWeights = weights
    var epochsWithoutImprovement = 0
    var epoch = 0
    val previousDescription = sc.getLocalProperty("spark.job.description")
    try
      while (epoch < config.maxEpochs && epochsWithoutImprovement < config.patience) {
        sc.setJobDescription(s"${config.name}: epoch ${epoch + 1}/${config.maxEpochs}")
        val started = System.nanoTime()
        val rate = config.schedule.rate(config.stepSize, epoch, config.maxEpochs).toFloat
        var lossSum = 0.0
        var samples = 0L
        var round = 0
        while (round < roundsPerEpoch) {
          val roundStarted = System.nanoTime()
          val start = sc.broadcast(RoundStart(weights, state, stepCount, rate))
          val sum = runRound(network, task, config, train, start, epoch, round, stepsPerRound)
          log.debug(
            f"${config.name} epoch ${epoch + 1} round ${round + 1}: " +
              f"${(System.nanoTime() - roundStarted) / 1e6}%.0f ms, of which the slowest " +
              f"partition computed ${sum.maxComputeNanos / 1e6}%.0f ms"
          )
          start.destroy()
          weights = sum.mean(sum.weights)
          state = sum.mean(sum.state)
          stepCount += sum.maxSteps
          lossSum += sum.lossSum
          samples += sum.samples
          round += 1
        }
        val trainLoss = lossSum / samples
        objective += trainLoss
        val monitored =
          if (validation == null) trainLoss
          else {
            val (vLoss, vMetric) = evaluate(sc, network, task, config, weights, validation)
            validationLoss += vLoss
            validationMetric += vMetric
            vLoss
          }
        val elapsed = (System.nanoTime() - started) / 1e9
        seconds += elapsed
        throughput += samples / elapsed
        if (monitored < best - config.tol) {
          best = monitored
          bestWeights = weights
          epochsWithoutImprovement = 0
        } else epochsWithoutImprovement += 1
        epoch += 1
        log.info(
          f"${config.name} epoch $epoch/${config.maxEpochs}: loss $trainLoss%.4f" +
            (if (validation == null) ""
             else
               f", validation loss ${validationLoss.last}%.4f, validation " +
                 f"${task.metricName} ${validationMetric.last}%.4f") +
            f", ${samples / elapsed}%,.0f samples/s, $elapsed%.1f s"
        )
      }
    finally sc.setJobDescription(previousDescription)
    if (epochsWithoutImprovement >= config.patience)
      log.info(
        s"${config.name}: stopped after $epoch epochs, no improvement above tol ${config.tol} for ${config.patience} epochs"
      )
    TrainedNetwork(
      if (validation == null) weights else bestWeights,
      TrainingHistory(
        objective.toArray,
        validationLoss.toArray,
        validationMetric.toArray,
        task.metricName,
        seconds.toArray,
        throughput.toArray
      )
    )
  }

  private def runRound(
      network: Network,
      task: Task,
      config: TrainingConfig,
      train: RDD[Array[Batch]],
      start: Broadcast[RoundStart],
      epoch: Int,
      round: Int,
      stepsPerRound: Int
  ): RoundSum = {
    val loss = task.loss
    train
      .mapPartitionsWithIndex { (p, it) =>
        val batches = if (it.hasNext) it.next() else Array.empty[Batch]
        val from = round * stepsPerRound
        val until = math.min(batches.length, from + stepsPerRound)
        if (from >= until) Iterator.empty
        else {
          val computeStarted = System.nanoTime()
          val s = start.value
          val order = batchOrder(config.seed, epoch, p, batches.length)
          val trainer = new LocalTrainer(
            network,
            loss,
            config.optimizer,
            config.batchSize,
            config.regParam,
            config.clipNorm,
            trainerSeed(config.seed, p)
          )
          trainer.state = s.state.clone()
          trainer.stepCount = s.stepCount
          trainer.learningRate = s.learningRate
          val weights = s.weights.clone()
          var lossSum = 0.0
          var samples = 0L
          var i = from
          while (i < until) {
            val b = batches(order(i))
            lossSum += trainer.step(weights, b) * b.size
            samples += b.size
            i += 1
          }
          val sum = new RoundSum().add(weights, trainer.state, samples, lossSum, until - from)
          sum.maxComputeNanos = System.nanoTime() - computeStarted
          Iterator(sum)
        }
      }
      .treeAggregate(new RoundSum)(
        (acc, r) => acc.merge(r),
        (a, b) => a.merge(b),
        config.aggregationDepth
      )
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
