package dlmllib.nn

import java.util.Random

/** A recurrent layer (LSTM, GRU or Elman tanh RNN) over sequences of shape `[timesteps, features]`
  * (N×T×F batches), with PyTorch's semantics (`batch_first=True`) and weight layout, so that
  * PyTorch weights copy over as they are. Per direction, in this order:
  *
  *   - `weight_ih`: G·H × F (row major), gates stacked as PyTorch does: LSTM `i, f, g, o`, GRU `r,
  *     z, n`, RNN one block;
  *   - `weight_hh`: G·H × H;
  *   - `bias_ih`, `bias_hh`: G·H each (two biases as in PyTorch; the GRU needs `b_hn` apart, the
  *     other cells keep both for the same layout).
  *
  * The forward direction's weights come first, then the backward direction's. States start at zero.
  * With `returnSequences` the output is `[T, H·dirs]` (both directions' hidden states side by side
  * at each step, zeros at padded steps); otherwise `[H·dirs]`: the forward direction's hidden state
  * at each sample's last valid step next to the backward direction's at step 0.
  *
  * Initialisation: Glorot uniform for `weight_ih`, an orthogonal H×H block per gate for
  * `weight_hh`, zero biases except `bias_ih` of the LSTM forget gate, set to 1. L2 regularisation
  * applies to `weight_ih` and `weight_hh`, not to the biases.
  */
final case class Recurrent(
    cell: String,
    hiddenSize: Int,
    returnSequences: Boolean = false,
    bidirectional: Boolean = false
) extends Layer {
  if (!Recurrent.Cells.contains(cell))
    throw new IllegalArgumentException(
      s"recurrent cell must be one of ${Recurrent.Cells.mkString(", ")}, found '$cell'"
    )
  if (hiddenSize <= 0)
    throw new IllegalArgumentException(s"$cell hidden size must be positive, found $hiddenSize")

  /** Gate blocks per cell: LSTM i, f, g, o; GRU r, z, n; RNN one. */
  def gates: Int = cell match {
    case "lstm" => 4
    case "gru" => 3
    case _ => 1
  }

  def directions: Int = if (bidirectional) 2 else 1

  def toSpec: String = {
    val options = (if (returnSequences) Seq("sequences=true") else Nil) ++
      (if (bidirectional) Seq("bidirectional=true") else Nil)
    (hiddenSize.toString +: options).mkString(s"$cell(", ", ", ")")
  }

  def outputShape(input: Shape): Shape = {
    if (input.rank != 2)
      throw new IllegalArgumentException(
        s"$cell expects sequences of shape [timesteps, features], found $input"
      )
    if (returnSequences) Shape.of(input(0), hiddenSize * directions)
    else Shape.of(hiddenSize * directions)
  }

  /** Floats per direction: both weight matrices and both biases. */
  private[nn] def weightsPerDirection(features: Int): Int = {
    val gh = gates * hiddenSize
    gh * features + gh * hiddenSize + 2 * gh
  }

  override def numWeights(input: Shape): Int = {
    outputShape(input) // validates the rank
    directions * weightsPerDirection(input(1))
  }

  override def initWeights(input: Shape, weights: Array[Float], offset: Int, rng: Random): Unit = {
    val f = input(1)
    val h = hiddenSize
    val gh = gates * h
    for (d <- 0 until directions) {
      val ih = offset + d * weightsPerDirection(f)
      val hh = ih + gh * f
      val bih = hh + gh * h
      Init.glorot(weights, ih, gh * f, f, gh, rng)
      for (g <- 0 until gates) Recurrent.orthogonal(h, rng, weights, hh + g * h * h)
      java.util.Arrays.fill(weights, bih, bih + 2 * gh, 0f)
      if (cell == "lstm") java.util.Arrays.fill(weights, bih + h, bih + 2 * h, 1f)
    }
  }

  override def regularized(input: Shape): Seq[(Int, Int)] = {
    val f = input(1)
    val gh = gates * hiddenSize
    (0 until directions).map(d => (d * weightsPerDirection(f), gh * f + gh * hiddenSize))
  }

  def kernel(input: Shape, offset: Int, maxBatch: Int): Kernel = {
    outputShape(input)
    cell match {
      case "lstm" => new LstmKernel(this, input, offset, maxBatch)
      case "gru" => new GruKernel(this, input, offset, maxBatch)
      case _ => new RnnKernel(this, input, offset, maxBatch)
    }
  }
}

object Recurrent {

  /** The cell names the layer accepts. */
  val Cells: Seq[String] = Seq("lstm", "gru", "rnn")

  /** Writes an n×n orthogonal matrix (row major) at `offset`: Gram–Schmidt on Gaussian rows. */
  private def orthogonal(n: Int, rng: Random, out: Array[Float], offset: Int): Unit = {
    val m = Array.fill(n, n)(rng.nextGaussian())
    for (i <- 0 until n) {
      // Twice for numerical stability (modified Gram–Schmidt with reorthogonalisation).
      for (_ <- 0 until 2; k <- 0 until i) {
        var dot = 0.0
        for (j <- 0 until n) dot += m(i)(j) * m(k)(j)
        for (j <- 0 until n) m(i)(j) -= dot * m(k)(j)
      }
      val norm = math.sqrt(m(i).map(v => v * v).sum)
      for (j <- 0 until n) {
        m(i)(j) /= norm // later rows are projected on unit rows
        out(offset + i * n + j) = m(i)(j).toFloat
      }
    }
  }
}
