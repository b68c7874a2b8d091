package dlmllib.engine

import java.util.Random

import dlmllib.nn.{Arguments, Executor, Loss, Network}
import dlmllib.optim.{GradientClipping, L2Regularization, Optimizer}

/** The training step every model uses, on one thread with no Spark: forward (training mode), loss
  * and its output gradient, backward, L2 regularisation, gradient clipping and the optimizer
  * update, all on buffers allocated once. The distributed loop runs one per partition, setting
  * [[state]], [[stepCount]], [[learningRate]] and [[seed]] from what it broadcast.
  *
  * @param maxBatch
  *   the largest batch [[step]] and [[predict]] accept
  * @param regParam
  *   L2 penalty on the weights `Network.regularizationMask` selects; 0 disables it
  * @param clipNorm
  *   the largest global L2 norm of a gradient; 0 disables clipping
  * @param seed
  *   dropout and other training-time randomness: step t draws from a generator seeded by (seed, t),
  *   so a run is reproducible whatever the partitioning of the steps; settable, so that one trainer
  *   can serve another replica
  * @param frozen
  *   (start, length) ranges of the weights a step leaves bit for bit unchanged (frozen layers: no
  *   gradient, no L2 penalty gradient, no share of the clipping norm, no statistics update)
  * @param threads
  *   the threads a step's forward and backward run on, each on a slice of the batch ([[Slices]])
  */
final class LocalTrainer(
    val network: Network,
    val loss: Loss,
    val optimizer: Optimizer,
    val maxBatch: Int,
    val regParam: Double = 0.0,
    val clipNorm: Double = 0.0,
    var seed: Long = 0L,
    val frozen: Seq[(Int, Int)] = Nil,
    val threads: Int = 1
) {
  Arguments.check(maxBatch > 0, s"maxBatch must be positive, found $maxBatch")
  Arguments.check(regParam >= 0.0, s"regParam must be >= 0, found $regParam")
  Arguments.check(clipNorm >= 0.0, s"clipNorm must be >= 0 (0 disables clipping), found $clipNorm")
  Arguments.check(threads > 0, s"threads must be positive, found $threads")

  // a trainer that steps in slices needs this one only to predict (validation)
  private lazy val executor: Executor = network.executor(maxBatch)
  private val slices =
    if (threads == 1) null
    else new Slices(network, loss, maxBatch, threads)

  private val inputSize = network.inputShape.size
  private val outputSize = network.outputShape.size
  private val gradient = new Array[Float](network.numWeights)
  private val outputGradient = new Array[Float](maxBatch * outputSize)
  private val mask: Array[Float] = if (regParam > 0.0) network.regularizationMask else null
  private val rng = new Random(seed)
  private val frozenValues = new Array[Float](frozen.map(_._2).sum)

  /** The optimizer's state (moments, velocities); replace it to continue from averaged state. */
  var state: Array[Float] = new Array[Float](optimizer.stateSize(network.numWeights))

  /** Steps taken so far; the next step is `stepCount + 1` (Adam's bias correction). */
  var stepCount: Long = 0L

  /** The rate of the next steps; the loop sets it from its schedule each epoch. */
  var learningRate: Float = 0.001f

  /** The global gradient norm of the last step, before clipping. */
  def lastGradientNorm: Double = gradNorm
  private var gradNorm = 0.0

  /** One optimizer step on `batch`, updating `weights` (and [[state]]) in place. Returns the
    * batch's mean loss before the update, plus the L2 penalty when regParam > 0.
    */
  def step(weights: Array[Float], batch: Batch): Double = {
    checkBatch(weights, batch)
    copyFrozen(weights, toSaved = true)
    stepCount += 1
    val dataLoss =
      if (slices != null)
        slices.lossAndGradient(weights, batch, Seeds.derive(seed, stepCount), gradient)
      else {
        rng.setSeed(Seeds.derive(seed, stepCount))
        executor.context.rng = rng
        val out =
          executor.forward(weights, batch.features, batch.size, training = true, batch.lengths)
        val l = loss.lossAndGradient(out, batch.targets, batch.size, outputSize, outputGradient)
        java.util.Arrays.fill(gradient, 0f)
        executor.backward(gradient, outputGradient, batch.size)
        l
      }
    val penalty =
      if (mask != null) L2Regularization.addGradient(weights, gradient, mask, regParam) else 0.0
    frozen.foreach { case (start, len) => java.util.Arrays.fill(gradient, start, start + len, 0f) }
    gradNorm = GradientClipping.clipByGlobalNorm(gradient, clipNorm)
    optimizer.update(weights, gradient, state, stepCount, learningRate)
    copyFrozen(weights, toSaved = false)
    dataLoss + penalty
  }

  /** Copies the frozen ranges of `weights` into the saved values, or back. */
  private def copyFrozen(weights: Array[Float], toSaved: Boolean): Unit = {
    var at = 0
    frozen.foreach { case (start, len) =>
      if (toSaved) System.arraycopy(weights, start, frozenValues, at, len)
      else System.arraycopy(frozenValues, at, weights, start, len)
      at += len
    }
  }

  /** Inference forward over `batch`: the executor's output buffer, `batch.size` × output size at
    * its head, valid until the next call.
    */
  def predict(weights: Array[Float], batch: Batch): Array[Float] = {
    checkBatch(weights, batch)
    executor.forward(weights, batch.features, batch.size, training = false, batch.lengths)
  }

  /** The batch's mean loss in inference mode (no dropout, running batch-norm statistics). */
  def evaluate(weights: Array[Float], batch: Batch): Double = {
    val out = predict(weights, batch)
    loss.lossAndGradient(out, batch.targets, batch.size, outputSize, outputGradient)
  }

  private def checkBatch(weights: Array[Float], batch: Batch): Unit = {
    Arguments.check(
      weights.length == network.numWeights,
      s"the network has ${network.numWeights} weights, found a vector of ${weights.length}"
    )
    Arguments.check(
      batch.size <= maxBatch,
      s"a batch of ${batch.size} samples exceeds this trainer's maxBatch of $maxBatch"
    )
    Arguments.check(
      batch.features.length >= batch.size * inputSize,
      s"a batch of ${batch.size} samples of shape ${network.inputShape} needs " +
        s"${batch.size * inputSize} features, found ${batch.features.length}"
    )
  }
}
