package dlmllib.nn

import java.util.Random

/** A lookup table from token ids to vectors: input `[T]` (or `[T, 1]`) of ids stored as floats,
  * output `[T, dim]`. Weights: `vocabSize × dim`, row major, one row per id, initialised uniform in
  * ±0.05 (Keras's default). Id 0 is an ordinary row; padding is handled by the sequence lengths:
  * padded steps give zero vectors and no gradient, and are not checked.
  *
  * The table is not L2-regularised (as Keras's default): a dense L2 step would shrink the rows of
  * every token on every step, even of tokens absent from the batch. Ids are not differentiable, so
  * the input gradient is zero.
  */
final case class Embedding(vocabSize: Int, dim: Int) extends Layer {
  if (vocabSize <= 0 || dim <= 0)
    throw new IllegalArgumentException(
      s"embedding needs a positive vocabulary size and dimension, found $vocabSize and $dim"
    )

  def toSpec: String = s"embedding($vocabSize, $dim)"

  def outputShape(input: Shape): Shape = {
    if (input.rank > 2 || (input.rank == 2 && input(1) != 1))
      throw new IllegalArgumentException(
        s"embedding expects token ids of shape [timesteps] or [timesteps, 1], found $input"
      )
    Shape.of(input(0), dim)
  }

  override def numWeights(input: Shape): Int = {
    outputShape(input)
    vocabSize * dim
  }

  override def initWeights(input: Shape, weights: Array[Float], offset: Int, rng: Random): Unit =
    for (i <- 0 until vocabSize * dim)
      weights(offset + i) = ((2 * rng.nextDouble() - 1) * Embedding.InitRange).toFloat

  def kernel(input: Shape, offset: Int, maxBatch: Int): Kernel =
    new EmbeddingKernel(this, outputShape(input)(0), offset, maxBatch)
}

object Embedding {
  private val InitRange = 0.05
}

private final class EmbeddingKernel(layer: Embedding, steps: Int, offset: Int, maxBatch: Int)
    extends Kernel {
  private val dim = layer.dim
  private val output = new Array[Float](maxBatch * steps * dim)
  private val zeroInputGradient = new Array[Float](maxBatch * steps)
  private var ids: Array[Float] = _
  private var lengths: Array[Int] = _

  private def valid(n: Int, t: Int): Boolean = lengths == null || t < lengths(n)

  /** The row of the id at step t of sample n, checked. */
  private def row(n: Int, t: Int): Int = {
    val v = ids(n * steps + t)
    val id = v.toInt
    if (id.toFloat != v || id < 0 || id >= layer.vocabSize)
      throw new IllegalArgumentException(
        s"embedding: token id $v at sample $n, step $t is outside the vocabulary " +
          s"[0, ${layer.vocabSize}) (ids must be integers from 0 to ${layer.vocabSize - 1})"
      )
    id
  }

  def forward(ctx: Context, input: Array[Float], batch: Int): Array[Float] = {
    ids = input
    lengths = ctx.lengths
    val w = ctx.weights
    var n = 0
    while (n < batch) {
      var t = 0
      while (t < steps) {
        val o = (n * steps + t) * dim
        if (valid(n, t)) System.arraycopy(w, offset + row(n, t) * dim, output, o, dim)
        else java.util.Arrays.fill(output, o, o + dim, 0f)
        t += 1
      }
      n += 1
    }
    output
  }

  def backward(
      ctx: Context,
      outputGradient: Array[Float],
      batch: Int,
      needInputGradient: Boolean
  ): Array[Float] = {
    val g = ctx.gradient
    var n = 0
    while (n < batch) {
      var t = 0
      while (t < steps) {
        if (valid(n, t)) {
          val o = (n * steps + t) * dim
          val r = offset + row(n, t) * dim
          var j = 0
          while (j < dim) { g(r + j) += outputGradient(o + j); j += 1 }
        }
        t += 1
      }
      n += 1
    }
    if (needInputGradient) zeroInputGradient else null
  }
}
