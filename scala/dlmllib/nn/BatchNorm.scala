package dlmllib.nn

import java.util.Random

/** Batch normalisation per channel of `[C, H, W]` inputs and per feature of `[n]` and `[T, F]`
  * inputs. Its weight slice holds gamma, beta, the running mean and the running variance (C floats
  * each), so the running statistics are averaged across partitions and saved with the weights.
  * Training normalises with the batch statistics and updates the running ones in place, as PyTorch
  * does: `running = (1 - momentum)·running + momentum·batch`, with the unbiased batch variance.
  * Inference normalises with the running statistics. A batch cut into slices ([[SliceGroup]]) is
  * normalised with the statistics of the whole batch, and its first slice updates the running ones.
  */
final case class BatchNorm(momentum: Double = 0.1, eps: Double = 1e-5) extends Layer {
  Arguments.check(
    momentum >= 0 && momentum <= 1,
    s"batchnorm needs a momentum in [0, 1], found $momentum"
  )
  Arguments.check(eps > 0, s"batchnorm needs a positive eps, found $eps")

  def toSpec: String = {
    val args = Seq(
      if (momentum != 0.1) Some(s"momentum=$momentum") else None,
      if (eps != 1e-5) Some(s"eps=$eps") else None
    ).flatten
    s"batchnorm(${args.mkString(", ")})"
  }

  /** (samples' rows, channels, contiguous values per channel in a row) of a sample. */
  private[nn] def layout(input: Shape): (Int, Int, Int) = input.rank match {
    case 1 => (1, input(0), 1)
    case 2 => (input(0), input(1), 1)
    case 3 => (1, input(0), input(1) * input(2))
    case _ =>
      throw new IllegalArgumentException(
        s"$toSpec needs an input [n], [timesteps, features] or [channels, height, width], " +
          s"found $input"
      )
  }

  def outputShape(input: Shape): Shape = { layout(input); input }

  override def numWeights(input: Shape): Int = 4 * layout(input)._2

  override def initWeights(input: Shape, weights: Array[Float], offset: Int, rng: Random): Unit = {
    val c = layout(input)._2
    java.util.Arrays.fill(weights, offset, offset + c, 1f) // gamma
    java.util.Arrays.fill(weights, offset + c, offset + 3 * c, 0f) // beta, running mean
    java.util.Arrays.fill(weights, offset + 3 * c, offset + 4 * c, 1f) // running variance
  }

  def kernel(input: Shape, offset: Int, maxBatch: Int): Kernel =
    new BatchNormKernel(layout(input), momentum.toFloat, eps.toFloat, Linear, offset, maxBatch)
}

/** Batch norm with an optional fused activation (a residual block uses relu). */
private[nn] final class BatchNormKernel(
    layout: (Int, Int, Int),
    momentum: Float,
    eps: Float,
    activation: Activation,
    offset: Int,
    maxBatch: Int
) extends Kernel {
  private val (rowsPerSample, channels, inner) = layout
  private val sampleSize = rowsPerSample * channels * inner
  private val (gamma, beta, runMean, runVar) =
    (offset, offset + channels, offset + 2 * channels, offset + 3 * channels)
  private val output = new Array[Float](maxBatch * sampleSize)
  private val normalized = new Array[Float](maxBatch * sampleSize)
  private val delta = if (activation == Linear) null else new Array[Float](maxBatch * sampleSize)
  private val mean = new Array[Float](channels)
  private val invStd = new Array[Float](channels)
  private val sums = new Array[Double](channels)
  private val sums2 = new Array[Double](channels)
  private var trained = false // whether the last forward used batch statistics
  private var count = 0 // the values per channel of the last forward's batch (all slices')

  /** sums(c) = Σ a·b over channel c (b = null: Σ a). */
  private def channelSums(
      a: Array[Float],
      b: Array[Float],
      batch: Int,
      out: Array[Double]
  ): Unit = {
    java.util.Arrays.fill(out, 0.0)
    var i = 0
    var r = 0
    while (r < batch * rowsPerSample) {
      var c = 0
      while (c < channels) {
        var s = 0.0
        val end = i + inner
        if (b == null) while (i < end) { s += a(i); i += 1 }
        else while (i < end) { s += a(i) * b(i); i += 1 }
        out(c) += s
        c += 1
      }
      r += 1
    }
  }

  def forward(ctx: Context, x: Array[Float], batch: Int): Array[Float] = {
    val w = ctx.weights
    trained = ctx.training
    val group = ctx.group
    count = (if (group == null) batch else group.batch) * rowsPerSample * inner
    if (trained) {
      channelSums(x, null, batch, sums)
      if (group != null) group.sum(ctx.slice, sums, channels)
      var c = 0
      while (c < channels) { mean(c) = (sums(c) / count).toFloat; c += 1 }
      // second pass for the variance: Σ (x - mean)², stable where E[x²] - mean² is not
      java.util.Arrays.fill(sums2, 0.0)
      var i = 0
      var r = 0
      while (r < batch * rowsPerSample) {
        c = 0
        while (c < channels) {
          var s = 0.0
          val m = mean(c)
          val end = i + inner
          while (i < end) { val d = x(i) - m; s += d * d; i += 1 }
          sums2(c) += s
          c += 1
        }
        r += 1
      }
      if (group != null) group.sum(ctx.slice, sums2, channels)
      val updatesRunning = group == null || ctx.slice == 0
      c = 0
      while (c < channels) {
        val variance = sums2(c) / count
        invStd(c) = (1.0 / math.sqrt(variance + eps)).toFloat
        if (updatesRunning) {
          val unbiased = if (count > 1) sums2(c) / (count - 1) else variance
          w(runMean + c) = (1 - momentum) * w(runMean + c) + momentum * mean(c)
          w(runVar + c) = ((1 - momentum) * w(runVar + c) + momentum * unbiased).toFloat
        }
        c += 1
      }
    } else {
      var c = 0
      while (c < channels) {
        mean(c) = w(runMean + c)
        invStd(c) = (1.0 / math.sqrt(w(runVar + c) + eps)).toFloat
        c += 1
      }
    }
    var i = 0
    var r = 0
    while (r < batch * rowsPerSample) {
      var c = 0
      while (c < channels) {
        val (m, s, g, b) = (mean(c), invStd(c), w(gamma + c), w(beta + c))
        val end = i + inner
        while (i < end) {
          val xh = (x(i) - m) * s
          normalized(i) = xh
          output(i) = g * xh + b
          i += 1
        }
        c += 1
      }
      r += 1
    }
    activation.forward(output, 0, batch * sampleSize)
    output
  }

  def backward(
      ctx: Context,
      outputGradient: Array[Float],
      batch: Int,
      needInputGradient: Boolean
  ): Array[Float] = {
    val n = batch * sampleSize
    val d =
      if (delta == null) outputGradient
      else { activation.backward(output, outputGradient, delta, n); delta }
    val w = ctx.weights
    val grad = ctx.gradient
    channelSums(d, null, batch, sums) // dLoss/dbeta
    channelSums(d, normalized, batch, sums2) // dLoss/dgamma
    var c = 0
    while (c < channels) {
      grad(beta + c) += sums(c).toFloat
      grad(gamma + c) += sums2(c).toFloat
      c += 1
    }
    if (!needInputGradient) null
    else {
      // the input gradient of batch statistics needs the whole batch's sums
      if (trained && ctx.group != null) {
        ctx.group.sum(ctx.slice, sums, channels)
        ctx.group.sum(ctx.slice, sums2, channels)
      }
      val inputGradient = inputGradientBuffer(maxBatch * sampleSize)
      var i = 0
      var r = 0
      while (r < batch * rowsPerSample) {
        c = 0
        while (c < channels) {
          val scale = w(gamma + c) * invStd(c)
          val end = i + inner
          if (trained) {
            // dx = γ/σ · (dy - mean(dy) - x̂·mean(dy·x̂)): the batch statistics depend on x
            val meanD = (sums(c) / count).toFloat
            val meanDX = (sums2(c) / count).toFloat
            while (i < end) {
              inputGradient(i) = scale * (d(i) - meanD - normalized(i) * meanDX)
              i += 1
            }
          } else while (i < end) { inputGradient(i) = scale * d(i); i += 1 }
          c += 1
        }
        r += 1
      }
      inputGradient
    }
  }
}
