package dlmllib.nn

import java.util.Random

/** A 1-D convolution over time: `[T, F]` inputs (N×T×F batches) give `[T', filters]`. Weights:
  * `filters × kernel × F` (each filter's window over whole time steps), then `filters` biases.
  */
final case class Conv1D(
    filters: Int,
    kernel: Int,
    activation: Activation = Linear,
    stride: Int = 1,
    padding: Padding = Valid
) extends Layer {
  Arguments.check(filters > 0, s"conv1d needs a positive number of filters, found $filters")
  Arguments.check(kernel > 0, s"conv1d needs a positive kernel size, found $kernel")
  Arguments.check(stride > 0, s"conv1d needs a positive stride, found $stride")

  def toSpec: String = {
    val act = if (activation == Linear) "" else s", ${activation.name}"
    val str = if (stride == 1) "" else s", stride=$stride"
    val pad = if (padding == Valid) "" else s", padding=${padding.name}"
    s"conv1d($filters, $kernel$act$str$pad)"
  }

  private def geometry(input: Shape): Im2Col.Geometry1D = {
    Arguments.check(input.rank == 2, s"$toSpec needs an input [timesteps, features], found $input")
    val (t, f) = (input(0), input(1))
    val out = padding.outputLength(t, kernel, stride)
    Arguments.check(out > 0, s"$toSpec needs an input of at least $kernel time steps, found $input")
    Im2Col.Geometry1D(t, f, kernel, stride, padding.padBefore(t, kernel, stride), out)
  }

  def outputShape(input: Shape): Shape = Shape.of(geometry(input).outSteps, filters)

  override def numWeights(input: Shape): Int = filters * geometry(input).windowSize + filters

  override def initWeights(input: Shape, weights: Array[Float], offset: Int, rng: Random): Unit = {
    val fanIn = geometry(input).windowSize
    val n = filters * fanIn
    Init.forActivation(activation, weights, offset, n, fanIn, filters * kernel, rng)
    java.util.Arrays.fill(weights, offset + n, offset + n + filters, 0f)
  }

  override def regularized(input: Shape): Seq[(Int, Int)] =
    Seq((0, filters * geometry(input).windowSize))

  def kernel(input: Shape, offset: Int, maxBatch: Int): Kernel =
    new Conv1DKernel(geometry(input), filters, activation, offset, maxBatch)
}

/** im2col + sgemm over chunks of samples; the sgemm writes N×T'×filters directly. */
private[nn] final class Conv1DKernel(
    g: Im2Col.Geometry1D,
    filters: Int,
    activation: Activation,
    offset: Int,
    maxBatch: Int
) extends Kernel {
  private val K = g.windowSize
  private val T = g.outSteps
  private val outSize = T * filters
  private val biasOffset = offset + filters * K
  private val chunk = math.max(1, math.min(maxBatch, Conv2DKernel.defaultWorkspaceFloats / (T * K)))
  private val col = new Array[Float](chunk * T * K)
  private val output = new Array[Float](maxBatch * outSize)
  private val delta = if (activation == Linear) null else new Array[Float](maxBatch * outSize)
  private var input: Array[Float] = null
  private var colHoldsBatch = false

  private def unfold(x: Array[Float], first: Int, count: Int): Unit = {
    var j = 0
    while (j < count) {
      Im2Col.im2col1D(g, x, (first + j) * g.inputSize, col, j * T * K)
      j += 1
    }
  }

  def forward(ctx: Context, x: Array[Float], batch: Int): Array[Float] = {
    input = x
    val w = ctx.weights
    var r = 0
    while (r < batch * T) { System.arraycopy(w, biasOffset, output, r * filters, filters); r += 1 }
    var first = 0
    while (first < batch) {
      val count = math.min(chunk, batch - first)
      unfold(x, first, count)
      // output (filters × samples·T') += Wᵀ (filters × K) · windows (K × samples·T')
      Blas.blas.sgemm(
        "T",
        "N",
        filters,
        count * T,
        K,
        1f,
        w,
        offset,
        K,
        col,
        0,
        K,
        1f,
        output,
        first * outSize,
        filters
      )
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
    val grad = ctx.gradient
    var r = 0
    while (r < batch * T) {
      var f = 0
      while (f < filters) { grad(biasOffset + f) += d(r * filters + f); f += 1 }
      r += 1
    }
    val inputGradient =
      if (needInputGradient) inputGradientBuffer(maxBatch * g.inputSize) else null
    if (needInputGradient) java.util.Arrays.fill(inputGradient, 0, batch * g.inputSize, 0f)
    var first = 0
    while (first < batch) {
      val count = math.min(chunk, batch - first)
      val m = count * T
      if (!colHoldsBatch) unfold(input, first, count)
      // dW (K × filters) += windows (K × m) · dYᵀ (m × filters)
      Blas.blas.sgemm(
        "N",
        "T",
        K,
        filters,
        m,
        1f,
        col,
        0,
        K,
        d,
        first * outSize,
        filters,
        1f,
        grad,
        offset,
        K
      )
      if (needInputGradient) {
        Blas.blas.sgemm(
          "N",
          "N",
          K,
          m,
          filters,
          1f,
          ctx.weights,
          offset,
          K,
          d,
          first * outSize,
          filters,
          0f,
          col,
          0,
          K
        )
        var j = 0
        while (j < count) {
          Im2Col.col2im1D(g, col, j * T * K, inputGradient, (first + j) * g.inputSize)
          j += 1
        }
        colHoldsBatch = false
      }
      first += count
    }
    if (needInputGradient) inputGradient else null
  }
}
