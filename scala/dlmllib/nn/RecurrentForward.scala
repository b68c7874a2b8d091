package dlmllib.nn

import dlmllib.nn.Blas.blas

/** The forward half of what the three recurrent cells share (the backward half is
  * [[RecurrentKernel]]): the buffers, the input projection of all time steps in one sgemm, one
  * sgemm per step for the recurrence, masking of padded steps and the many-to-one gather. A
  * subclass supplies the element-wise equations of one step ([[stepForward]], [[stepBackward]]).
  *
  * Buffers are batch-major with one row per (sample n, step t) at row `n·T + t`, so a step's rows
  * of all samples form a column-major matrix with leading dimension `T·width`. Padded steps (`t ≥
  * lengths(n)`) leave hidden and cell states zero and get zero gradients: the forward direction
  * never reads them again, and the backward direction, which starts at each sample's last valid
  * step, finds there the zero initial state.
  */
private[nn] abstract class RecurrentForward(
    protected val layer: Recurrent,
    input: Shape,
    offset: Int,
    maxBatch: Int
) extends Kernel {
  protected final val steps: Int = input(0)
  protected final val features: Int = input(1)
  protected final val hidden: Int = layer.hiddenSize
  protected final val gateWidth: Int = layer.gates * hidden
  protected final val directions: Int = layer.directions

  /** Width of a row of [[hiddenStates]]: both directions side by side. */
  protected final val outWidth: Int = hidden * directions
  private val perDirection = layer.weightsPerDirection(features)

  /** Rows of a per-step buffer, with one spare sample: netlib's bounds check wants room for `ld`
    * floats per column, even the last, which a step's view (offset t·width, ld T·width) lacks.
    */
  protected final val rows: Int = (maxBatch + 1) * steps

  /** Gate pre-activations, then (after each step) activations, per direction. */
  protected final val gates: Array[Array[Float]] =
    Array.fill(directions)(new Array[Float](rows * gateWidth))

  /** The hidden state each step started from (zero at a direction's first step), per direction. */
  protected final val previousHidden: Array[Array[Float]] =
    Array.fill(directions)(new Array[Float](rows * hidden))

  /** Hidden states of both directions: the output when returnSequences. */
  protected final val hiddenStates = new Array[Float](rows * outWidth)
  private val lastStates =
    if (layer.returnSequences) null else new Array[Float](maxBatch * outWidth)

  /** dLoss/dHidden per step, with the recurrent contributions of later steps added in. */
  protected final val hiddenGradient = new Array[Float](rows * outWidth)

  /** dLoss/d(input-side pre-activations) of the current direction. */
  protected final val gateGradient = new Array[Float](rows * gateWidth)

  /** dLoss/d(recurrent-side pre-activations): the same as [[gateGradient]] except for the GRU. */
  protected def recurrentGateGradient: Array[Float] = gateGradient

  /** dLoss/dInput, summed over the directions. */
  protected final val inputGradient = new Array[Float](rows * features)

  /** The input of the last forward. */
  protected final var x: Array[Float] = _

  /** Valid length of each sample of the last forward (null: all have the full length). */
  protected final var lengths: Array[Int] = _

  // Offsets of a direction's weights in the flat weight vector.
  protected final def inputWeights(d: Int): Int = offset + d * perDirection
  protected final def recurrentWeights(d: Int): Int = inputWeights(d) + gateWidth * features
  protected final def inputBias(d: Int): Int = recurrentWeights(d) + gateWidth * hidden
  protected final def recurrentBias(d: Int): Int = inputBias(d) + gateWidth

  /** Whether step t of sample n is within the sample's length. */
  @inline protected final def valid(n: Int, t: Int): Boolean = lengths == null || t < lengths(n)

  /** Whether the recurrent bias of gate block `g` is added to the input projection (all but the
    * GRU's `b_hn`, which sits inside the reset gate's product).
    */
  protected def foldsRecurrentBias(g: Int): Boolean = true

  /** Element-wise step t (previous step `prev`, −1 at the direction's first step) of direction d
    * for samples 0 until batch: turns the pre-activations into activations, writes the hidden state
    * into [[hiddenStates]] (zero at padded steps), and any cell state it keeps. For every cell but
    * the GRU, [[gates]] already hold the recurrent contribution.
    */
  protected def stepForward(ctx: Context, d: Int, t: Int, prev: Int, batch: Int): Unit

  /** Element-wise backward of step t of direction d: reads [[hiddenGradient]] (complete for step
    * t), writes [[gateGradient]] (and [[recurrentGateGradient]]) for all samples, zero at padded
    * steps, and any direct contribution to [[hiddenGradient]] at step `prev`.
    */
  protected def stepBackward(ctx: Context, d: Int, t: Int, prev: Int, batch: Int): Unit

  /** Called before a direction's backward steps (e.g. to clear a carried gradient). */
  protected def beginBackward(d: Int, batch: Int): Unit = ()

  /** W_hh · h for the hidden states step t starts from, all samples, into `target` (gate rows with
    * leading dimension `ld`): added to it with `beta` 1, written over it with `beta` 0.
    */
  protected final def recurrentProduct(
      ctx: Context,
      d: Int,
      t: Int,
      batch: Int,
      beta: Float,
      target: Array[Float],
      targetOffset: Int,
      ld: Int
  ): Unit =
    blas.sgemm(
      "T",
      "N",
      gateWidth,
      batch,
      hidden,
      1f,
      ctx.weights,
      recurrentWeights(d),
      hidden,
      previousHidden(d),
      t * hidden,
      steps * hidden,
      beta,
      target,
      targetOffset,
      ld
    )

  /** a(from until from + n) = σ(a(…)) in place. */
  protected final def sigmoids(a: Array[Float], from: Int, n: Int): Unit =
    FastMath.sigmoids(a, from, from + n)

  /** a(from until from + n) = tanh(a(…)) in place. */
  protected final def tanhs(a: Array[Float], from: Int, n: Int): Unit =
    FastMath.tanhs(a, from, from + n)

  /** Step t of direction d at position s of that direction's order. */
  @inline protected final def time(d: Int, s: Int): Int = if (d == 0) s else steps - 1 - s

  override def forward(ctx: Context, input: Array[Float], batch: Int): Array[Float] = {
    checkLengths(ctx.lengths, batch)
    x = input
    lengths = ctx.lengths
    var d = 0
    while (d < directions) {
      projectInputs(ctx.weights, d, batch)
      runSteps(ctx, d, batch)
      d += 1
    }
    if (layer.returnSequences) hiddenStates else gatherLastStates(batch)
  }

  /** gates(d) = x · W_ih^T + biases, for every step of every sample in one product: the rows are
    * pre-filled with the biases and the product added to them (beta 1), which saves a second pass.
    */
  private def projectInputs(w: Array[Float], d: Int, batch: Int): Unit = {
    val n = batch * steps
    val z = gates(d)
    var g = 0
    while (g < gateWidth) {
      z(g) = w(inputBias(d) + g) +
        (if (foldsRecurrentBias(g / hidden)) w(recurrentBias(d) + g) else 0f)
      g += 1
    }
    var r = 1
    while (r < n) {
      System.arraycopy(z, 0, z, r * gateWidth, gateWidth)
      r += 1
    }
    blas.sgemm(
      "T",
      "N",
      gateWidth,
      n,
      features,
      1f,
      w,
      inputWeights(d),
      features,
      x,
      0,
      features,
      1f,
      z,
      0,
      gateWidth
    )
  }

  /** The steps of direction d in its order, each starting from the previous one's hidden state. */
  private def runSteps(ctx: Context, d: Int, batch: Int): Unit = {
    val hp = previousHidden(d)
    val first = time(d, 0)
    var i = 0
    while (i < batch) {
      val o = (i * steps + first) * hidden
      java.util.Arrays.fill(hp, o, o + hidden, 0f)
      i += 1
    }
    var s = 0
    while (s < steps) {
      val t = time(d, s)
      stepForward(ctx, d, t, if (s == 0) -1 else time(d, s - 1), batch)
      if (s + 1 < steps) {
        val next = time(d, s + 1)
        i = 0
        while (i < batch) {
          System.arraycopy(
            hiddenStates,
            (i * steps + t) * outWidth + d * hidden,
            hp,
            (i * steps + next) * hidden,
            hidden
          )
          i += 1
        }
      }
      s += 1
    }
  }

  /** Forward direction at each sample's last valid step, backward direction at step 0. */
  private def gatherLastStates(batch: Int): Array[Float] = {
    var i = 0
    while (i < batch) {
      val last = if (lengths == null) steps - 1 else lengths(i) - 1
      System.arraycopy(
        hiddenStates,
        (i * steps + last) * outWidth,
        lastStates,
        i * outWidth,
        hidden
      )
      if (directions == 2)
        System.arraycopy(
          hiddenStates,
          i * steps * outWidth + hidden,
          lastStates,
          i * outWidth + hidden,
          hidden
        )
      i += 1
    }
    lastStates
  }

  private def checkLengths(ls: Array[Int], batch: Int): Unit =
    if (ls != null) {
      if (ls.length < batch)
        throw new IllegalArgumentException(
          s"${layer.toSpec}: ${ls.length} sequence lengths given for a batch of $batch"
        )
      var i = 0
      while (i < batch) {
        if (ls(i) < 1 || ls(i) > steps)
          throw new IllegalArgumentException(
            s"${layer.toSpec}: sample $i has length ${ls(i)}, expected 1 to $steps"
          )
        i += 1
      }
    }
}
