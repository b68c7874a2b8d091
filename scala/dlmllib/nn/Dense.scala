package dlmllib.nn

import java.util.Random

/** A fully connected layer: `[units]` outputs from an input of any shape, read as a flat vector (so
  * a `flatten()` before the first dense layer is implicit). Weights: a `units × fanIn` column-major
  * matrix, then `units` biases.
  */
final case class Dense(units: Int, activation: Activation = Linear) extends Layer {
  Arguments.check(units > 0, s"dense needs a positive number of units, found $units")

  def toSpec: String =
    if (activation == Linear) s"dense($units)" else s"dense($units, ${activation.name})"

  def outputShape(input: Shape): Shape = Shape.of(units)

  override def numWeights(input: Shape): Int = units * input.size + units

  override def initWeights(input: Shape, weights: Array[Float], offset: Int, rng: Random): Unit = {
    val fanIn = input.size
    Init.forActivation(activation, weights, offset, units * fanIn, fanIn, units, rng)
    java.util.Arrays.fill(weights, offset + units * fanIn, offset + units * fanIn + units, 0f)
  }

  override def regularized(input: Shape): Seq[(Int, Int)] = Seq((0, units * input.size))

  def kernel(input: Shape, offset: Int, maxBatch: Int): Kernel =
    new DenseKernel(input.size, units, activation, offset, maxBatch)
}

/** One sgemm forward (Y = W·X + b over the batch), two backward. */
private[nn] final class DenseKernel(
    fanIn: Int,
    units: Int,
    activation: Activation,
    offset: Int,
    maxBatch: Int
) extends Kernel {
  private val biasOffset = offset + units * fanIn
  private val output = new Array[Float](maxBatch * units)
  private val delta = if (activation == Linear) null else new Array[Float](maxBatch * units)
  private var input: Array[Float] = null

  def forward(ctx: Context, x: Array[Float], batch: Int): Array[Float] = {
    input = x
    val w = ctx.weights
    var n = 0
    while (n < batch) { System.arraycopy(w, biasOffset, output, n * units, units); n += 1 }
    // Column-major: output (units × batch) += W (units × fanIn) · input (fanIn × batch).
    Blas.blas.sgemm(
      "N",
      "N",
      units,
      batch,
      fanIn,
      1f,
      w,
      offset,
      units,
      x,
      0,
      fanIn,
      1f,
      output,
      0,
      units
    )
    activation.forward(output, 0, batch * units)
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
      else { activation.backward(output, outputGradient, delta, batch * units); delta }
    val g = ctx.gradient
    Blas.blas.sgemm(
      "N",
      "T",
      units,
      fanIn,
      batch,
      1f,
      d,
      0,
      units,
      input,
      0,
      fanIn,
      1f,
      g,
      offset,
      units
    )
    var n = 0
    while (n < batch) {
      var u = 0
      val row = n * units
      while (u < units) { g(biasOffset + u) += d(row + u); u += 1 }
      n += 1
    }
    if (!needInputGradient) null
    else {
      val inputGradient = inputGradientBuffer(maxBatch * fanIn)
      Blas.blas.sgemm(
        "T",
        "N",
        fanIn,
        batch,
        units,
        1f,
        ctx.weights,
        offset,
        units,
        d,
        0,
        units,
        0f,
        inputGradient,
        0,
        fanIn
      )
      inputGradient
    }
  }
}
