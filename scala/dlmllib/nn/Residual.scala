package dlmllib.nn

import java.util.Random

/** A ResNet basic block on `[C, H, W]` inputs: conv(same, stride) → batchnorm → relu → conv(same) →
  * batchnorm, plus a shortcut (the identity when the shape is unchanged, else a 1×1 conv with the
  * stride followed by batchnorm), then relu. Output `[filters, ⌈H/stride⌉, ⌈W/stride⌉]`. Its weight
  * slice is the concatenation of its parts' slices, in that order.
  */
final case class Residual(filters: Int, kernel: Int, stride: Int = 1) extends Layer {
  Arguments.check(filters > 0, s"residual needs a positive number of filters, found $filters")
  Arguments.check(kernel > 0, s"residual needs a positive kernel size, found $kernel")
  Arguments.check(stride > 0, s"residual needs a positive stride, found $stride")

  def toSpec: String =
    if (stride == 1) s"residual($filters, $kernel)"
    else s"residual($filters, $kernel, stride=$stride)"

  private val conv1 = Conv2D(filters, kernel, Linear, stride, Same)
  private val conv2 = Conv2D(filters, kernel, Linear, 1, Same)
  private val projection = Conv2D(filters, 1, Linear, stride, Same)
  private val norm = BatchNorm()

  /** Whether the shortcut is the identity (same channels, no stride). */
  def identityShortcut(input: Shape): Boolean = input(0) == filters && stride == 1

  /** The parts with their input shapes, in weight order. */
  private def parts(input: Shape): Seq[(Layer, Shape)] = {
    Arguments.check(
      input.rank == 3,
      s"$toSpec needs an input [channels, height, width], found $input"
    )
    val mid = conv1.outputShape(input)
    val main = Seq(conv1 -> input, norm -> mid, conv2 -> mid, norm -> mid)
    if (identityShortcut(input)) main else main ++ Seq(projection -> input, norm -> mid)
  }

  /** Each part's offset relative to the block's, then the total. */
  private def offsets(input: Shape): Seq[Int] =
    parts(input).scanLeft(0) { case (o, (l, in)) => o + l.numWeights(in) }

  def outputShape(input: Shape): Shape = { parts(input); conv1.outputShape(input) }

  override def numWeights(input: Shape): Int = offsets(input).last

  override def initWeights(input: Shape, weights: Array[Float], offset: Int, rng: Random): Unit =
    parts(input).zip(offsets(input)).foreach {
      // every conv here feeds a relu (through batch norm): He
      case ((c: Conv2D, in), o) => c.initWith(he = true, in, weights, offset + o, rng)
      case ((l, in), o) => l.initWeights(in, weights, offset + o, rng)
    }

  override def regularized(input: Shape): Seq[(Int, Int)] =
    parts(input).zip(offsets(input)).flatMap { case ((l, in), o) =>
      l.regularized(in).map { case (s, n) => (o + s, n) }
    }

  def kernel(input: Shape, offset: Int, maxBatch: Int): Kernel = {
    val ps = parts(input)
    val os = offsets(input)
    def part(i: Int): Kernel = ps(i)._1.kernel(ps(i)._2, offset + os(i), maxBatch)
    val mid = conv1.outputShape(input)
    val normRelu = new BatchNormKernel(
      norm.layout(mid),
      norm.momentum.toFloat,
      norm.eps.toFloat,
      Relu,
      offset + os(1),
      maxBatch
    )
    val shortcut = if (identityShortcut(input)) None else Some((part(4), part(5)))
    new ResidualKernel(
      part(0),
      normRelu,
      part(2),
      part(3),
      shortcut,
      input.size,
      mid.size,
      maxBatch
    )
  }
}

private[nn] final class ResidualKernel(
    conv1: Kernel,
    norm1: Kernel, // with the relu fused
    conv2: Kernel,
    norm2: Kernel,
    shortcut: Option[(Kernel, Kernel)], // projection conv and its batch norm
    inSize: Int,
    outSize: Int,
    maxBatch: Int
) extends Kernel {
  private val output = new Array[Float](maxBatch * outSize)
  private val delta = new Array[Float](maxBatch * outSize)

  def forward(ctx: Context, x: Array[Float], batch: Int): Array[Float] = {
    val main = norm2.forward(
      ctx,
      conv2.forward(ctx, norm1.forward(ctx, conv1.forward(ctx, x, batch), batch), batch),
      batch
    )
    val short = shortcut match {
      case Some((conv, norm)) => norm.forward(ctx, conv.forward(ctx, x, batch), batch)
      case None => x
    }
    var i = 0
    while (i < batch * outSize) { output(i) = math.max(main(i) + short(i), 0f); i += 1 }
    output
  }

  def backward(
      ctx: Context,
      outputGradient: Array[Float],
      batch: Int,
      needInputGradient: Boolean
  ): Array[Float] = {
    Relu.backward(output, outputGradient, delta, batch * outSize)
    val dMid = norm1.backward(
      ctx,
      conv2.backward(ctx, norm2.backward(ctx, delta, batch, true), batch, true),
      batch,
      true
    )
    val dMain = conv1.backward(ctx, dMid, batch, needInputGradient)
    val dShort = shortcut match {
      case Some((conv, norm)) =>
        conv.backward(ctx, norm.backward(ctx, delta, batch, true), batch, needInputGradient)
      case None => delta
    }
    if (!needInputGradient) null
    else {
      val inputGradient = inputGradientBuffer(maxBatch * inSize)
      var i = 0
      while (i < batch * inSize) { inputGradient(i) = dMain(i) + dShort(i); i += 1 }
      inputGradient
    }
  }
}
