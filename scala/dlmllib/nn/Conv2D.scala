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

  private[dlmllib] def geometry(input: Shape): Im2Col.Geometry2D = {
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

/** im2col + one sgemm per sample, writing NCHW directly: a sample's unfolded windows form a `P × K`
  * column-major matrix (P output positions, K = C·k·k), and `windows · W` is its output
  * `[filters][P]`. Measured (bench/README.md), per-sample sgemms beat one sgemm over a whole batch,
  * whose very tall, thin shapes OpenBLAS runs slowly, and whose result needs a permutation to NCHW.
  * The windows of the whole batch are kept for the backward pass when they fit in
  * `workspaceFloats`; otherwise each sample's are unfolded again into one reused buffer.
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

  /** Whether the windows of a whole batch are kept between forward and backward. */
  val keepsWindows: Boolean = maxBatch.toLong * P * K <= workspaceFloats
  // only im2col2D writes here, so the padding's window elements stay zero (see im2col2D)
  private val col = new Array[Float]((if (keepsWindows) maxBatch else 1) * P * K)
  // A stride-1 convolution's input gradient is a stride-1 convolution too: of dY, padded by
  // kernel - 1 - pad, with the kernel flipped and its channel and filter axes swapped. Unfolding dY
  // and one sgemm writing NCHW replace a product of inner dimension `filters` and col2im's
  // scattered adds, when dY's windows are no more than the input's (ResNet's 16 → 16 filters on
  // 32×32: 7.5 → 5.0 ms at batch 32; LeNet-5's conv2, 6 → 16 filters, ran at half the speed).
  private val transposed =
    if (g.stride != 1 || filters.toLong * g.height * g.width > g.channels.toLong * P) null
    else
      Im2Col.Geometry2D(
        filters,
        g.outHeight,
        g.outWidth,
        g.kernel,
        1,
        g.kernel - 1 - g.padTop,
        g.kernel - 1 - g.padLeft,
        g.height,
        g.width
      )
  // only im2col2D writes here (see col)
  private val gradientWindows =
    if (transposed == null) null else new Array[Float](transposed.positions * transposed.windowSize)
  private val flipped = if (transposed == null) null else new Array[Float](K * filters)
  private val windowGradients = if (transposed == null) new Array[Float](P * K) else null
  private val output = new Array[Float](maxBatch * outSize)
  private val delta = if (activation == Linear) null else new Array[Float](maxBatch * outSize)
  private val ones = Array.fill(P)(1f)
  private var input: Array[Float] = null

  /** Where sample n's windows live in `col`. */
  private def windows(n: Int): Int = if (keepsWindows) n * P * K else 0

  def forward(ctx: Context, x: Array[Float], batch: Int): Array[Float] = {
    input = x
    val w = ctx.weights
    var n = 0
    while (n < batch) {
      val out = n * outSize
      var f = 0
      while (f < filters) {
        java.util.Arrays.fill(output, out + f * P, out + (f + 1) * P, w(biasOffset + f))
        f += 1
      }
      Im2Col.im2col2D(g, x, n * g.inputSize, col, windows(n), P)
      // output (P × filters) += windows (P × K) · W (K × filters)
      Blas.blas.sgemm(
        "N",
        "N",
        P,
        filters,
        K,
        1f,
        col,
        windows(n),
        P,
        w,
        offset,
        K,
        1f,
        output,
        out,
        P
      )
      n += 1
    }
    activation.forward(output, 0, batch * outSize)
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
    val inputGradient =
      if (needInputGradient) inputGradientBuffer(maxBatch * g.inputSize) else null
    if (needInputGradient) {
      if (transposed != null) flip(w) // the sgemm below writes every input gradient
      else java.util.Arrays.fill(inputGradient, 0, batch * g.inputSize, 0f) // col2im adds
    }
    var n = 0
    while (n < batch) {
      val out = n * outSize
      // bias gradient += dYᵀ · 1 (sgemv: a scalar running sum would not vectorise)
      Blas.blas.sgemv("T", P, filters, 1f, d, out, P, ones, 0, 1, 1f, grad, biasOffset, 1)
      if (!keepsWindows) Im2Col.im2col2D(g, input, n * g.inputSize, col, 0, P)
      // dW (K × filters) += windowsᵀ · dY
      Blas.blas.sgemm(
        "T",
        "N",
        K,
        filters,
        P,
        1f,
        col,
        windows(n),
        P,
        d,
        out,
        P,
        1f,
        grad,
        offset,
        K
      )
      if (needInputGradient && transposed != null) {
        Im2Col.im2col2D(transposed, d, out, gradientWindows, 0, transposed.positions)
        // input gradient (H·W × C) = dY's windows (H·W × filters·k·k) · flipped W
        Blas.blas.sgemm(
          "N",
          "N",
          transposed.positions,
          g.channels,
          transposed.windowSize,
          1f,
          gradientWindows,
          0,
          transposed.positions,
          flipped,
          0,
          transposed.windowSize,
          0f,
          inputGradient,
          n * g.inputSize,
          transposed.positions
        )
      } else if (needInputGradient) {
        // window gradients (P × K) = dY · Wᵀ, folded back
        Blas.blas.sgemm(
          "N",
          "T",
          P,
          K,
          filters,
          1f,
          d,
          out,
          P,
          w,
          offset,
          K,
          0f,
          windowGradients,
          0,
          P
        )
        Im2Col.col2im2D(g, windowGradients, 0, P, inputGradient, n * g.inputSize)
      }
      n += 1
    }
    if (needInputGradient) inputGradient else null
  }

  /** `flipped` (filters·k·k × C) = W with each kernel turned 180° and the axes swapped. */
  private def flip(w: Array[Float]): Unit = {
    val (k, channels) = (g.kernel, g.channels)
    val windowT = transposed.windowSize
    var f = 0
    while (f < filters) {
      var c = 0
      while (c < channels) {
        var a = 0
        while (a < k) {
          var b = 0
          while (b < k) {
            flipped(c * windowT + (f * k + k - 1 - a) * k + k - 1 - b) = w(
              offset + f * K + (c * k + a) * k + b
            )
            b += 1
          }
          a += 1
        }
        c += 1
      }
      f += 1
    }
  }
}

private[dlmllib] object Conv2DKernel {

  /** Floats of unfolded windows kept per kernel: 4 MB. Beyond that, unfolding each sample again in
    * backward, into one cache-resident buffer, measured faster than keeping a batch's windows
    * (Keras MNIST conv2, 42 MB of windows: 65 against 44 GFLOP/s).
    */
  val defaultWorkspaceFloats: Int = 1 << 20
}
