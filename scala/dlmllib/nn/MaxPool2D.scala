package dlmllib.nn

import java.lang.Float.floatToRawIntBits

/** Max pooling over `size × size` windows moved by `stride` (floor mode, no padding). */
final case class MaxPool2D(size: Int, stride: Int) extends Layer {
  Pooling.validate("maxpool", size, stride)

  def toSpec: String = Pooling.spec("maxpool", size, stride)

  def outputShape(input: Shape): Shape = Pooling.outputShape(toSpec, size, stride, input)

  def kernel(input: Shape, offset: Int, maxBatch: Int): Kernel =
    new MaxPool2DKernel(input, outputShape(input), size, stride, maxBatch)
}

object MaxPool2D {

  /** Non-overlapping windows: stride = size. */
  def apply(size: Int): MaxPool2D = MaxPool2D(size, size)
}

/** Remembers where each maximum came from in training and routes the gradient there. */
private[nn] final class MaxPool2DKernel(
    in: Shape,
    out: Shape,
    size: Int,
    stride: Int,
    maxBatch: Int
) extends Kernel {
  private val (channels, height, width) = (in(0), in(1), in(2))
  private val (outH, outW) = (out(1), out(2))
  private val inSize = in.size
  private val outSize = out.size
  private val output = new Array[Float](maxBatch * outSize)
  private val argmax = new Array[Int](maxBatch * outSize) // index into the batch input

  def forward(ctx: Context, x: Array[Float], batch: Int): Array[Float] =
    if (size == 2 && stride == 2) pool2(x, batch) else pool(x, batch)

  /** 2×2 windows, stride 2, without a branch: the sign bit of a difference says which of two values
    * is larger and a mask picks the index; 3× the speed of [[pool]] on values after a relu, whose
    * ties and random order defeat branch prediction. Equal values keep the first in row-major
    * order, as in [[pool]].
    */
  private def pool2(x: Array[Float], batch: Int): Array[Float] = {
    var o = 0
    var plane = 0
    while (plane < batch * channels) {
      val base = plane * height * width
      var oy = 0
      while (oy < outH) {
        val r0 = base + 2 * oy * width
        var k = 0
        while (k < outW) {
          val j0 = r0 + 2 * k // no tuples here: a tuple of floats is boxed
          val j1 = j0 + width
          val a = x(j0)
          val b = x(j0 + 1)
          val c = x(j1)
          val d = x(j1 + 1)
          val top = Math.max(a, b)
          val bottom = Math.max(c, d)
          // the sign bit of a difference; + 0 turns the -0 of -0 - 0 into 0 (equal: the first)
          val first = j0 + (floatToRawIntBits(a - b + 0f) >>> 31) // +1 if b > a
          val second = j1 + (floatToRawIntBits(c - d + 0f) >>> 31)
          val lower = floatToRawIntBits(top - bottom + 0f) >> 31 // -1 if bottom > top, else 0
          argmax(o) = first ^ ((first ^ second) & lower)
          output(o) = Math.max(top, bottom)
          o += 1
          k += 1
        }
        oy += 1
      }
      plane += 1
    }
    output
  }

  /** Any windows, remembering where each maximum came from (the first of equal ones). */
  private def pool(x: Array[Float], batch: Int): Array[Float] = {
    var o = 0
    var plane = 0
    while (plane < batch * channels) {
      val base = plane * height * width
      var oy = 0
      while (oy < outH) {
        var ox = 0
        while (ox < outW) {
          var best = base + oy * stride * width + ox * stride
          var ky = 0
          while (ky < size) {
            val row = base + (oy * stride + ky) * width + ox * stride
            var kx = 0
            while (kx < size) { if (x(row + kx) > x(best)) best = row + kx; kx += 1 }
            ky += 1
          }
          output(o) = x(best)
          argmax(o) = best
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
      while (o < batch * outSize) { inputGradient(argmax(o)) += outputGradient(o); o += 1 }
      inputGradient
    }
}
