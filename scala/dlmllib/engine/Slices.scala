package dlmllib.engine

import java.util.Random
import java.util.concurrent.Callable

import dlmllib.nn.{Loss, Network, SliceGroup}

/** A batch's loss and gradient on up to `threads` threads: the batch cut into contiguous slices,
  * each run forward and backward by an executor of its own on a thread of [[Workers]] (the first on
  * the caller's), and their gradients summed. The loss is a mean over samples, so each slice's
  * output gradient is weighted by its share of the batch: the same sums as one pass over the whole
  * batch, in another order. Batch norm meets the other slices through a [[SliceGroup]] for the
  * whole batch's statistics. Slice `i` draws its dropout masks from (`seed`, `i`).
  */
private[engine] final class Slices(network: Network, loss: Loss, maxBatch: Int, threads: Int) {
  private val inputSize = network.inputShape.size
  private val outputSize = network.outputShape.size
  private val targetWidth = loss.targetWidth(outputSize)
  private val sliceMax = (maxBatch + threads - 1) / threads
  private val parts = Array.tabulate(threads)(new Part(_))
  // the group of n slices, for batches cut into n >= 2
  private val groups = Array.tabulate(threads + 1)(n => if (n < 2) null else new SliceGroup(n))

  /** One slice's buffers and executor, and the slice it runs next. */
  private final class Part(index: Int) extends Callable[Double] {
    private val executor = network.executor(sliceMax)
    val gradient = new Array[Float](network.numWeights)
    private val outputGradient = new Array[Float](sliceMax * outputSize)
    private val features = new Array[Float](sliceMax * inputSize)
    private val targets = new Array[Float](sliceMax * targetWidth)
    private val lengths = new Array[Int](sliceMax)
    private val rng = new Random()
    private var weights: Array[Float] = _
    private var batch: Batch = _
    private var from, size = 0
    private var seed = 0L

    def set(
        weights: Array[Float],
        batch: Batch,
        from: Int,
        until: Int,
        seed: Long,
        group: SliceGroup
    ): Unit = {
      this.weights = weights; this.batch = batch; this.from = from; size = until - from
      this.seed = seed
      executor.context.group = group
      executor.context.slice = index
    }

    /** The slice's mean loss times its share of the batch; its gradient in [[gradient]]. */
    def call(): Double =
      try run()
      catch {
        case e: Throwable =>
          if (executor.context.group != null) executor.context.group.abort()
          throw e
      }

    private def run(): Double = {
      System.arraycopy(batch.features, from * inputSize, features, 0, size * inputSize)
      System.arraycopy(batch.targets, from * targetWidth, targets, 0, size * targetWidth)
      if (batch.lengths != null) System.arraycopy(batch.lengths, from, lengths, 0, size)
      rng.setSeed(seed)
      executor.context.rng = rng
      val lens = if (batch.lengths == null) null else lengths
      val out = executor.forward(weights, features, size, training = true, lens)
      val share = size.toFloat / batch.size
      val sliceLoss = loss.lossAndGradient(out, targets, size, outputSize, outputGradient)
      var i = 0
      while (i < size * outputSize) { outputGradient(i) *= share; i += 1 }
      java.util.Arrays.fill(gradient, 0f)
      executor.backward(gradient, outputGradient, size)
      sliceLoss * share
    }
  }

  /** Writes the gradient of `batch`'s mean loss into `gradient` and returns that loss. */
  def lossAndGradient(
      weights: Array[Float],
      batch: Batch,
      seed: Long,
      gradient: Array[Float]
  ): Double = {
    val n = math.min(threads, batch.size)
    val group = groups(n)
    if (group != null) group.start(batch.size)
    var i = 0
    while (i < n) {
      parts(i).set(
        weights,
        batch,
        i * batch.size / n,
        (i + 1) * batch.size / n,
        Seeds.derive(seed, i),
        group
      )
      i += 1
    }
    val loss = Workers.all(parts.take(n).toSeq).sum
    System.arraycopy(parts(0).gradient, 0, gradient, 0, gradient.length)
    i = 1
    while (i < n) {
      val g = parts(i).gradient
      var k = 0
      while (k < gradient.length) { gradient(k) += g(k); k += 1 }
      i += 1
    }
    loss
  }
}
