package dlmllib.distributed

import java.io.{ObjectInputStream, ObjectOutputStream}

import dlmllib.engine.{BulkArrays, Seeds}
import org.apache.spark.broadcast.Broadcast

/** One round of the training loop: every replica starts from the broadcast [[Round.Start]], takes
  * local steps on the batches the round plans for it (reading only the chunks that hold them) and
  * returns its weights and optimizer state weighted by the samples it trained on; `treeAggregate`
  * sums them into a [[Round.Sum]].
  */
private[distributed] object Round {

  /** What a round starts from, broadcast to every partition; serialized in bulk ([[BulkArrays]]).
    */
  final class Start(
      @transient var weights: Array[Float],
      @transient var state: Array[Float],
      val stepCount: Long,
      val learningRate: Float
  ) extends Serializable {
    private def writeObject(out: ObjectOutputStream): Unit = {
      out.defaultWriteObject()
      BulkArrays.writeFloats(out, weights)
      BulkArrays.writeFloats(out, state)
    }

    private def readObject(in: ObjectInputStream): Unit = {
      in.defaultReadObject()
      weights = BulkArrays.readFloats(in)
      state = BulkArrays.readFloats(in)
    }
  }

  /** Sums over partitions: weights and state times samples, loss sums, counts. A replica's own
    * result stays in float32 (half the bytes of a task's result, which the driver fetches every
    * round) and becomes a double sum when merged with another.
    */
  final class Sum extends Serializable {
    var samples: Long = 0L
    var lossSum: Double = 0.0
    var maxSteps: Int = 0
    var maxComputeNanos: Long = 0L
    @transient private var weights: Array[Double] = _
    @transient private var state: Array[Double] = _
    @transient private var replicaWeights: Array[Float] = _
    @transient private var replicaState: Array[Float] = _

    // in bulk (BulkArrays): a round's results are megabytes
    private def writeObject(out: ObjectOutputStream): Unit = {
      out.defaultWriteObject()
      out.writeByte(if (isEmpty) 0 else if (replicaWeights != null) 1 else 2)
      if (replicaWeights != null) {
        BulkArrays.writeFloats(out, replicaWeights)
        BulkArrays.writeFloats(out, replicaState)
      } else if (!isEmpty) {
        BulkArrays.writeDoubles(out, weights)
        BulkArrays.writeDoubles(out, state)
      }
    }

    private def readObject(in: ObjectInputStream): Unit = {
      in.defaultReadObject()
      in.readByte() match {
        case 1 =>
          replicaWeights = BulkArrays.readFloats(in)
          replicaState = BulkArrays.readFloats(in)
        case 2 =>
          weights = BulkArrays.readDoubles(in)
          state = BulkArrays.readDoubles(in)
        case _ =>
      }
    }

    def isEmpty: Boolean = samples == 0L

    /** The weighted means of the weights and of the optimizer state. */
    def means: (Array[Float], Array[Float]) =
      if (replicaWeights != null) (replicaWeights, replicaState)
      else (mean(weights), mean(state))

    def merge(o: Sum): Sum = {
      if (o.isEmpty) return this
      if (isEmpty) {
        weights = o.weights; state = o.state
        replicaWeights = o.replicaWeights; replicaState = o.replicaState
      } else {
        toDouble()
        if (o.replicaWeights != null) {
          axpy(o.samples.toDouble, o.replicaWeights, weights)
          axpy(o.samples.toDouble, o.replicaState, state)
        } else { add(o.weights, weights); add(o.state, state) }
      }
      samples += o.samples
      lossSum += o.lossSum
      maxSteps = math.max(maxSteps, o.maxSteps)
      maxComputeNanos = math.max(maxComputeNanos, o.maxComputeNanos)
      this
    }

    private def toDouble(): Unit = if (replicaWeights != null) {
      weights = new Array[Double](replicaWeights.length)
      state = new Array[Double](replicaState.length)
      axpy(samples.toDouble, replicaWeights, weights)
      axpy(samples.toDouble, replicaState, state)
      replicaWeights = null; replicaState = null
    }

    private def mean(sum: Array[Double]): Array[Float] = {
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

  object Sum {

    /** One replica's result: its weights and state after `steps` steps on `samples` samples. */
    def replica(w: Array[Float], s: Array[Float], samples: Long, loss: Double, steps: Int): Sum = {
      val sum = new Sum
      sum.replicaWeights = w; sum.replicaState = s
      sum.samples = samples; sum.lossSum = loss; sum.maxSteps = steps
      sum
    }
  }

  /** The seed of replica `p`'s trainer (dropout); tests reproduce one-partition runs with it. */
  def trainerSeed(seed: Long, partition: Int): Long = Seeds.derive(seed, 1L, partition.toLong)

  /** The batches at positions `from` until `until` of an epoch order (see [[Stacked.epochOrder]]),
    * as (chunk, batch indices) runs, one per chunk.
    */
  def segments(order: Array[(Int, Int)], from: Int, until: Int): Array[(Int, Array[Int])] = {
    val runs = Array.newBuilder[(Int, Array[Int])]
    var i = from
    while (i < until) {
      val chunk = order(i)._1
      var j = i
      while (j < until && order(j)._1 == chunk) j += 1
      runs += ((chunk, Array.tabulate(j - i)(k => order(i + k)._2)))
      i = j
    }
    runs.result()
  }

  /** Runs a round in which replica `r` takes one step on each batch of `plan(r)`, (chunk, batch
    * indices) runs in order (see [[segments]]), with a trainer of the fit's `trainers`.
    */
  def run(
      config: TrainingConfig,
      data: Stacked,
      plan: Array[Array[(Int, Array[Int])]],
      start: Broadcast[Start],
      trainers: Broadcast[TrainerPool]
  ): Sum =
    data
      .select(plan.map(_.map(_._1)))
      .mapPartitionsWithIndex { (r, chunks) =>
        val runs = plan(r)
        if (runs.isEmpty) Iterator.empty
        else {
          val computeStarted = System.nanoTime()
          val s = start.value
          val trainer = trainers.value.take()
          trainer.seed = trainerSeed(config.seed, r)
          trainer.state = s.state.clone()
          trainer.stepCount = s.stepCount
          trainer.learningRate = s.learningRate
          val weights = s.weights.clone()
          var lossSum = 0.0
          var samples = 0L
          var steps = 0
          chunks.zip(runs.iterator).foreach { case (batches, (_, indices)) =>
            indices.foreach { i =>
              val b = batches(i)
              lossSum += trainer.step(weights, b) * b.size
              samples += b.size
              steps += 1
            }
          }
          val state = trainer.state // its next task replaces the array, leaving this one
          trainers.value.give(trainer)
          val sum = Sum.replica(weights, state, samples, lossSum, steps)
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
