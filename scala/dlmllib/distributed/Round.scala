package dlmllib.distributed

import dlmllib.engine.{Batch, LocalTrainer, Seeds, Task}
import dlmllib.nn.Network
import org.apache.spark.broadcast.Broadcast
import org.apache.spark.rdd.RDD

/** One round of the training loop: every partition starts from the broadcast [[Round.Start]], takes
  * up to `steps` local steps on its own batches and returns its weights and optimizer state
  * weighted by the samples it trained on; `treeAggregate` sums them into a [[Round.Sum]].
  */
private[distributed] object Round {

  /** What a round starts from, broadcast to every partition. */
  final case class Start(
      weights: Array[Float],
      state: Array[Float],
      stepCount: Long,
      learningRate: Float
  )

  /** Sums over partitions: weights and state times samples, loss sums, counts. */
  final class Sum extends Serializable {
    var weights: Array[Double] = _
    var state: Array[Double] = _
    var samples: Long = 0L
    var lossSum: Double = 0.0
    var maxSteps: Int = 0
    var maxComputeNanos: Long = 0L

    def add(w: Array[Float], s: Array[Float], n: Long, loss: Double, steps: Int): Sum = {
      if (weights == null) {
        weights = new Array[Double](w.length); state = new Array[Double](s.length)
      }
      axpy(n.toDouble, w, weights)
      axpy(n.toDouble, s, state)
      samples += n
      lossSum += loss
      maxSteps = math.max(maxSteps, steps)
      this
    }

    def merge(o: Sum): Sum = {
      if (o.weights != null) {
        if (weights == null) { weights = o.weights; state = o.state }
        else { add(o.weights, weights); add(o.state, state) }
      }
      samples += o.samples
      lossSum += o.lossSum
      maxSteps = math.max(maxSteps, o.maxSteps)
      maxComputeNanos = math.max(maxComputeNanos, o.maxComputeNanos)
      this
    }

    /** The sample-weighted mean of a summed vector. */
    def mean(sum: Array[Double]): Array[Float] = {
      val out = new Array[Float](sum.length)
      var i = 0
      while (i < out.length) { out(i) = (sum(i) / samples).toFloat; i += 1 }
      out
    }

    private def axpy(a: Double, x: Array[Float], y: Array[Double]): Unit = {
      var i = 0
      while (i < x.length) { y(i) += a * x(i); i += 1 }
    }

    private def add(x: Array[Double], y: Array[Double]): Unit = {
      var i = 0
      while (i < y.length) { y(i) += x(i); i += 1 }
    }
  }

  /** The seed of partition `p`'s trainer (dropout); tests reproduce one-partition runs with it. */
  def trainerSeed(seed: Long, partition: Int): Long = Seeds.derive(seed, 1L, partition.toLong)

  /** The order in which partition `p` visits its `n` batches in `epoch`. */
  def batchOrder(seed: Long, epoch: Int, partition: Int, n: Int): Array[Int] =
    Seeds.permutation(n, Seeds.derive(seed, 2L, epoch.toLong, partition.toLong))

  /** The (start, length) weight ranges of `layers` of `network`. */
  def frozenRanges(network: Network, layers: Seq[Int]): Seq[(Int, Int)] =
    layers.map(network.layerWeights)

  /** Runs round `round` of `epoch`: batches `round * steps` until `(round + 1) * steps` of each
    * partition's order.
    */
  def run(
      network: Network,
      task: Task,
      config: TrainingConfig,
      data: RDD[Array[Batch]],
      start: Broadcast[Start],
      epoch: Int,
      round: Int,
      steps: Int
  ): Sum = {
    val loss = task.loss
    data
      .mapPartitionsWithIndex { (p, it) =>
        val batches = if (it.hasNext) it.next() else Array.empty[Batch]
        val from = round * steps
        val until = math.min(batches.length, from + steps)
        if (from >= until) Iterator.empty
        else {
          val computeStarted = System.nanoTime()
          val s = start.value
          val order = batchOrder(config.seed, epoch, p, batches.length)
          val trainer = new LocalTrainer(
            network,
            loss,
            config.optimizer,
            batches.iterator.map(_.size).max,
            config.regParam,
            config.clipNorm,
            trainerSeed(config.seed, p),
            frozenRanges(network, config.frozenLayers)
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
          val sum = new Sum().add(weights, trainer.state, samples, lossSum, until - from)
          sum.maxComputeNanos = System.nanoTime() - computeStarted
          Iterator(sum)
        }
      }
      .treeAggregate(new Sum)(
        (acc, r) => acc.merge(r),
        (a, b) => a.merge(b),
        config.aggregationDepth
      )
  }
}
