package dlmllib.nn

/** Average pooling over `size × size` windows moved by `stride` (floor mode, no padding). */
final case class AvgPool2D(size: Int, stride: Int) extends Layer {
  Pooling.validate("avgpool", size, stride)

  def toSpec: String = Pooling.spec("avgpool", size, stride)

  def outputShape(input: Shape): Shape = Pooling.outputShape(toSpec, size, stride, input)

  def kernel(input: Shape, offset: Int, maxBatch: Int): Kernel =
    new AvgPool2DKernel(input, outputShape(input), size, stride, maxBatch)
}

object AvgPool2D {

  /** Non-overlapping windows: stride = size. */
  def apply(size: Int): AvgPool2D = AvgPool2D(size, size)
}

private[nn] final class AvgPool2DKernel(
    in: Shape,
    out: Shape,
    size: Int,
    stride: Int,
    maxBatch: Int
) extends Kernel {
  private val (height, width) = (in(1), in(2))
  private val (outH, outW) = (out(1), out(2))
  private val planes = in(0)
  private val inSize = in.size
  private val outSize = out.size
  private val scale = 1f / (size * size)
  private val output = new Array[Float](maxBatch * outSize)

  def forward(ctx: Context, x: Array[Float], batch: Int): Array[Float] = {
    var o = 0
    var plane = 0
    while (plane < batch * planes) {
      val base = plane * height * width
      var oy = 0
      while (oy < outH) {
        var ox = 0
        while (ox < outW) {
          var s = 0f
          var ky = 0
          while (ky < size) {
            val row = base + (oy * stride + ky) * width + ox * stride
            var kx = 0
            while (kx < size) { s += x(row + kx); kx += 1 }
            ky += 1
          }
          output(o) = s * scale
          o += 1
          ox += 1
        }
        oy += 1
      }
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
      val inputGradient = inputGradientBuffer(maxBatch * inSize)
      java.util.Arrays.fill(inputGradient, 0, batch * inSize, 0f)
      var o = 0
      var plane = 0
      while (plane < batch * planes) {
        val base = plane * height * width
        var oy = 0
        while (oy < outH) {
          var ox = 0
          while (ox < outW) {
            val g = outputGradient(o) * scale
            var ky = 0
            while (ky < size) {
              val row = base + (oy * stride + ky) * width + ox * stride
              var kx = 0
              while (kx < size) { inputGradient(row + kx) += g; kx += 1 }
              ky += 1
            }
            o += 1
            ox += 1
          }
          oy += 1
        }
        plane += 1
      }
      inputGradient
    }
}
