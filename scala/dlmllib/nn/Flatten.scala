package dlmllib.nn

/** Reads any shape as a flat vector `[size]`. The batch layout does not change, so the kernel
  * passes its buffers through.
  */
final case class Flatten() extends Layer {

  def toSpec: String = "flatten()"

  def outputShape(input: Shape): Shape = Shape.of(input.size)

  def kernel(input: Shape, offset: Int, maxBatch: Int): Kernel = new FlattenKernel
}

/** Stateless, but one per network like every kernel: kernels are not shared between threads. */
private[nn] final class FlattenKernel extends Kernel {

  def forward(ctx: Context, x: Array[Float], batch: Int): Array[Float] = x

  def backward(
      ctx: Context,
      outputGradient: Array[Float],
      batch: Int,
      needInputGradient: Boolean
  ): Array[Float] = if (needInputGradient) outputGradient else null
}
