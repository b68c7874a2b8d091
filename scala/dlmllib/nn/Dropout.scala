package dlmllib.nn

/** Inverted dropout: in training, each value is zeroed with probability `rate` and the others are
  * scaled by 1 / (1 - rate), drawing the mask from `ctx.rng`; the identity otherwise.
  */
final case class Dropout(rate: Double) extends Layer {
  Arguments.check(rate >= 0 && rate < 1, s"dropout needs a rate in [0, 1), found $rate")

  def toSpec: String = s"dropout($rate)"

  def outputShape(input: Shape): Shape = input

  def kernel(input: Shape, offset: Int, maxBatch: Int): Kernel =
    new DropoutKernel(input.size, rate.toFloat, maxBatch)
}

private[nn] final class DropoutKernel(size: Int, rate: Float, maxBatch: Int) extends Kernel {
  private val keep = 1f / (1f - rate)
  private val mask = new Array[Float](maxBatch * size)
  private val output = new Array[Float](maxBatch * size)
  private var masked = false // whether the last forward applied a mask

  def forward(ctx: Context, x: Array[Float], batch: Int): Array[Float] = {
    masked = ctx.training && rate > 0f
    if (!masked) x
    else {
      val rng = ctx.rng
      var i = 0
      while (i < batch * size) {
        mask(i) = if (rng.nextFloat() < rate) 0f else keep
        output(i) = x(i) * mask(i)
        i += 1
      }
      output
    }
  }

  def backward(
      ctx: Context,
      outputGradient: Array[Float],
      batch: Int,
      needInputGradient: Boolean
  ): Array[Float] =
    if (!needInputGradient) null
    else if (!masked) outputGradient
    else {
      val inputGradient = inputGradientBuffer(maxBatch * size)
      var i = 0
      while (i < batch * size) { inputGradient(i) = outputGradient(i) * mask(i); i += 1 }
      inputGradient
    }
}
