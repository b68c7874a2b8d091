package dlmllib.nn

import java.util.Random

/** A 2-D convolution over `[C, H, W]` inputs (NCHW batches) giving `[filters, H', W']`. Weights:
  * `filters × C × kernel × kernel` (PyTorch's layout), then `filters` biases.
  */
final case class Conv2D(
    filters: Int,
    kernel: Int,
    activation: Activation = Linear,
    stride: Int = 1,
    padding: Padding = Valid
) extends Layer {
  Arguments.check(filters > 0, s"conv2d needs a positive number of filters, found $filters")
  Arguments.check(kernel > 0, s"conv2d needs a positive kernel size, found $kernel")
  Arguments.check(stride > 0, s"conv2d needs a positive stride, found $stride")

  def toSpec: String = {
    val act = if (activation == Linear) "" else s", ${activation.name}"
    val str = if (stride == 1) "" else s", stride=$stride"
    val pad = if (padding == Valid) "" else s", padding=${padding.name}"
    s"conv2d($filters, $kernel$act$str$pad)"
  }

  private[nn] def geometry(input: Shape): Im2Col.Geometry2D = {
    Arguments.check(
      input.rank == 3,
      s"$toSpec needs an input [channels, height, width], found $input"
    )
    val (c, h, w) = (input(0), input(1), input(2))
    val oh = padding.outputLength(h, kernel, stride)
    val ow = padding.outputLength(w, kernel, stride)
    Arguments.check(
      oh > 0 && ow > 0,
      s"$toSpec needs an input of at least $kernel×$kernel, found $input"
    )
    Im2Col.Geometry2D(
      c,
      h,
      w,
      kernel,
      stride,
      padding.padBefore(h, kernel, stride),
      padding.padBefore(w, kernel, stride),
      oh,
      ow
    )
  }

  def outputShape(input: Shape): Shape = {
    val g = geometry(input)
    Shape.of(filters, g.outHeight, g.outWidth)
  }

  override def numWeights(input: Shape): Int = filters * geometry(input).windowSize + filters

  override def initWeights(input: Shape, weights: Array[Float], offset: Int, rng: Random): Unit =
    initWith(Activation.prefersHe(activation), input, weights, offset, rng)

  /** Initialises He (`he`) or Glorot uniform, zero biases. */
  private[nn] def initWith(
      he: Boolean,
      input: Shape,
      weights: Array[Float],
      offset: Int,
      rng: Random
  ): Unit = {
    val fanIn = geometry(input).windowSize
    val n = filters * fanIn
    if (he) Init.he(weights, offset, n, fanIn, rng)
    else Init.glorot(weights, offset, n, fanIn, filters * kernel * kernel, rng)
    java.util.Arrays.fill(weights, offset + n, offset + n + filters, 0f)
  }

  override def regularized(input: Shape): Seq[(Int, Int)] =
    Seq((0, filters * geometry(input).windowSize))

  def kernel(input: Shape, offset: Int, maxBatch: Int): Kernel =
    new Conv2DKernel(geometry(input), filters, activation, offset, maxBatch)
}

/** im2col + sgemm over chunks of samples. A chunk's unfolded windows form one `(samples·P) × K`
  * matrix, so one sgemm gives the whole chunk's outputs (filter-major, then permuted to NCHW).
  * Chunks are as large as `workspaceFloats` allows (the windows of a batch of 64 on a 32×26×26
  * input take 42 MB, so a whole batch is not always unfolded at once).
  */
private[dlmllib] final class Conv2DKernel(
    g: Im2Col.Geometry2D,
    filters: Int,
    activation: Activation,
    offset: Int,
    maxBatch: Int,
    workspaceFloats: Int = Conv2DKernel.defaultWorkspaceFloats
) extends Kernel {
  private val P = g.positions
  private val K = g.windowSize
  private val outSize = filters * P
  private val biasOffset = offset + filters * K

  /** Samples per sgemm. */
  val chunk: Int = math.max(1, math.min(maxBatch, workspaceFloats / (P * K)))
  private val col = new Array[Float](chunk * P * K)
  private val filterMajor = new Array[Float](chunk * outSize)
  private val output = new Array[Float](maxBatch * outSize)
  private val delta = if (activation == Linear) null else new Array[Float](maxBatch * outSize)
  private var inputGradient: Array[Float] = null
  private var input: Array[Float] = null
  private var colHoldsBatch = false // whether col still holds the unfolded last batch

  private def unfold(x: Array[Float], first: Int, count: Int): Unit = {
    var j = 0
    while (j < count) {
      Im2Col.im2col2D(g, x, (first + j) * g.inputSize, col, j * P, count * P)
      j += 1
    }
  }

  def forward(ctx: Context, x: Array[Float], batch: Int): Array[Float] = {
    input = x
    val w = ctx.weights
    var first = 0
    while (first < batch) {
      val count = math.min(chunk, batch - first)
      val m = count * P
      unfold(x, first, count)
      // (samples·P × K) · (K × filters): column f of the result is filter f over the chunk
      Blas.blas.sgemm("N", "N", m, filters, K, 1f, col, 0, m, w, offset, K, 0f, filterMajor, 0, m)
      var j = 0
      while (j < count) {
        var f = 0
        while (f < filters) {
          val src = f * m + j * P
          val dst = (first + j) * outSize + f * P
          val b = w(biasOffset + f)
          var p = 0
          while (p < P) { output(dst + p) = filterMajor(src + p) + b; p += 1 }
          f += 1
        }
        j += 1
      }
      first += count
    }
    activation.forward(output, 0, batch * outSize)
    colHoldsBatch = batch <= chunk
    output
  }

  def backward(
      ctx: Context,
      outputGradient: Array[Float],
      batch: Int,
      needInputGradient: Boolean
  ): Array[Float] = {
    val d =
      if (delta == null) outputGradient
      else { activation.backward(output, outputGradient, delta, batch * outSize); delta }
    val w = ctx.weights
    val grad = ctx.gradient
    if (needInputGradient) {
      if (inputGradient == null) inputGradient = new Array[Float](maxBatch * g.inputSize)
      java.util.Arrays.fill(inputGradient, 0, batch * g.inputSize, 0f)
    }
    var first = 0
    while (first < batch) {
      val count = math.min(chunk, batch - first)
      val m = count * P
      var j = 0
      while (j < count) {
        var f = 0
        while (f < filters) {
          val src = (first + j) * outSize + f * P
          System.arraycopy(d, src, filterMajor, f * m + j * P, P)
          var s = 0f
          var p = 0
          while (p < P) { s += d(src + p); p += 1 }
          grad(biasOffset + f) += s
          f += 1
        }
        j += 1
      }
      if (!colHoldsBatch) unfold(input, first, count)
      // dW (K × filters) += windowsᵀ · dY
      Blas.blas.sgemm(
        "T",
        "N",
        K,
        filters,
        m,
        1f,
        col,
        0,
        m,
        filterMajor,
        0,
        m,
        1f,
        grad,
        offset,
        K
      )
      if (needInputGradient) {
        // window gradients (samples·P × K) = dY · Wᵀ, written over the windows
        Blas.blas.sgemm("N", "T", m, K, filters, 1f, filterMajor, 0, m, w, offset, K, 0f, col, 0, m)
        j = 0
        while (j < count) {
          Im2Col.col2im2D(g, col, j * P, m, inputGradient, (first + j) * g.inputSize)
          j += 1
        }
        colHoldsBatch = false
      }
      first += count
    }
    if (needInputGradient) inputGradient else null
  }
}

private[dlmllib] object Conv2DKernel {

  /** Floats of unfolded windows per chunk: 16 MB. */
  val defaultWorkspaceFloats: Int = 1 << 22
}
