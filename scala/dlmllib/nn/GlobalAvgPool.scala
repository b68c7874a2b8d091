package dlmllib.nn

/** The mean of each channel: `[C, H, W]` → `[C]`. */
final case class GlobalAvgPool() extends Layer {

  def toSpec: String = "globalavgpool()"

  def outputShape(input: Shape): Shape = {
    Arguments.check(
      input.rank == 3,
      s"$toSpec needs an input [channels, height, width], found $input"
    )
    Shape.of(input(0))
  }

  def kernel(input: Shape, offset: Int, maxBatch: Int): Kernel =
    new GlobalAvgPoolKernel(input(0), input(1) * input(2), maxBatch)
}

private[nn] final class GlobalAvgPoolKernel(channels: Int, area: Int, maxBatch: Int)
    extends Kernel {
  private val output = new Array[Float](maxBatch * channels)

  def forward(ctx: Context, x: Array[Float], batch: Int): Array[Float] = {
    var plane = 0
    while (plane < batch * channels) {
      var s = 0f
      var i = plane * area
      while (i < (plane + 1) * area) { s += x(i); i += 1 }
      output(plane) = s / area
      plane += 1
    }
    output
  }

  def backward(
      ctx: Context,
      outputGradient: Array[Float],
      batch: Int,
      needInputGradient: Boolean
  ): Array[Float] =
    if (!needInputGradient) null
    else {
      val inputGradient = inputGradientBuffer(maxBatch * channels * area)
      var plane = 0
      while (plane < batch * channels) {
        val g = outputGradient(plane) / area
        java.util.Arrays.fill(inputGradient, plane * area, (plane + 1) * area, g)
        plane += 1
      }
      inputGradient
    }
}
