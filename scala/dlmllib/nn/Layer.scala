package dlmllib.nn

import java.util.Random

/** The description of a layer: immutable, serialisable, printable back to the layer-spec DSL. It
  * knows the shape it produces, how many weights it owns in the network's flat weight vector and
  * how to initialise them; its [[Kernel]] does the arithmetic (as Spark's `ml.ann` splits `Layer`
  * and `LayerModel`).
  */
trait Layer extends Serializable {

  /** This layer in the layer-spec DSL, e.g. `conv2d(32, 3, relu, padding=same)`. */
  def toSpec: String

  /** The output shape for one sample of `input`; throws IllegalArgumentException naming this layer,
    * the input shape and why it does not fit.
    */
  def outputShape(input: Shape): Shape

  /** Number of floats this layer owns in the flat weight vector (trainable weights and saved state
    * such as batch-norm running statistics).
    */
  def numWeights(input: Shape): Int = 0

  /** Initialises `weights(offset until offset + numWeights(input))` from `rng`. */
  def initWeights(input: Shape, weights: Array[Float], offset: Int, rng: Random): Unit = ()

  /** The (start, length) ranges, relative to this layer's offset, that L2 regularisation applies
    * to: kernels, not biases or normalisation parameters.
    */
  def regularized(input: Shape): Seq[(Int, Int)] = Nil

  /** A kernel with workspaces sized for batches of at most `maxBatch` samples, reading its weights
    * at `offset` of the network's weight vector.
    */
  def kernel(input: Shape, offset: Int, maxBatch: Int): Kernel

  override def toString: String = toSpec
}

/** Runs one layer forward and backward on batch-major float32 buffers. A kernel allocates its
  * output and workspace buffers when it is built (its input-gradient buffer on the first backward
  * that needs one) and reuses them on every call. Not thread-safe: one kernel per task.
  */
abstract class Kernel {

  /** Forward over `batch` samples of `input` (batch × input size, row major). Returns the kernel's
    * own output buffer (batch × output size at its head), valid until the next forward. A kernel
    * may keep a reference to `input` for its backward pass.
    */
  def forward(ctx: Context, input: Array[Float], batch: Int): Array[Float]

  /** Backward for the last forward. `outputGradient` is dLoss/dOutput; the kernel ADDS its weight
    * gradients into `ctx.gradient` at its offset and, when `needInputGradient`, returns
    * dLoss/dInput in its own buffer (otherwise it may return null and skip that work).
    */
  def backward(
      ctx: Context,
      outputGradient: Array[Float],
      batch: Int,
      needInputGradient: Boolean
  ): Array[Float]

  private var inputGradientFloats: Array[Float] = null

  /** The kernel's dLoss/dInput buffer of `size` floats, allocated on the first backward that asks
    * for it (the first layer of a network never does) and reused after.
    */
  protected final def inputGradientBuffer(size: Int): Array[Float] = {
    if (inputGradientFloats == null) inputGradientFloats = new Array[Float](size)
    inputGradientFloats
  }
}

/** What a kernel sees besides its buffers: the weights, the gradient to accumulate into, whether
  * this is a training pass (dropout, batch-norm statistics), a random source, for sequences the
  * valid length of each sample (null when every sample has the full length) and, when the batch is
  * a slice of a larger one, its [[SliceGroup]] and index there (null: the batch is whole).
  */
final class Context(var weights: Array[Float], var gradient: Array[Float]) {
  var training: Boolean = false
  var rng: Random = new Random(0L)
  var lengths: Array[Int] = null
  var group: SliceGroup = null
  var slice: Int = 0
}
