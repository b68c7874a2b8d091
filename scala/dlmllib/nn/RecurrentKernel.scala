package dlmllib.nn

import dlmllib.nn.Blas.blas

/** What the three recurrent cells share: the input projection of all time steps in one sgemm, one
  * sgemm per step for the recurrence, masking of padded steps, the many-to-one gather, and BPTT
  * with one sgemm per step for the recurrent gradient and one sgemm each for the input-weight,
  * recurrent-weight and input gradients. A subclass supplies the element-wise equations of one step
  * ([[stepForward]], [[stepBackward]]).
  *
  * Buffers are batch-major with one row per (sample n, step t) at row `n·T + t`, so a step's rows
  * of all samples form a column-major matrix with leading dimension `T·width`. Padded steps (`t ≥
  * lengths(n)`) leave hidden and cell states zero and get zero gradients: the forward direction
  * never reads them again, and the backward direction, which starts at each sample's last valid
  * step, finds there the zero initial state.
  */
private[nn] abstract class RecurrentKernel(
    layer: Recurrent,
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

  /** Rows of a per-step buffer. One spare sample: netlib bounds-checks a strided matrix as `offset
    * + ld · columns ≤ length`, which a step's view (offset t·width, ld T·width) exceeds.
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

  private val inputGradient = new Array[Float](rows * features)
  private val bias = new Array[Float](gateWidth)

  private var x: Array[Float] = _

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

  /** Adds W_hh · h(prev) for all samples into `target` (gate rows with leading dimension `ld`). */
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

  @inline protected final def sigmoid(v: Float): Float = (1.0 / (1.0 + math.exp(-v))).toFloat
  @inline protected final def tanh(v: Float): Float = math.tanh(v.toDouble).toFloat

  /** Step t of direction d at position s of that direction's order. */
  @inline private def time(d: Int, s: Int): Int = if (d == 0) s else steps - 1 - s

  override def forward(ctx: Context, input: Array[Float], batch: Int): Array[Float] = {
    checkLengths(ctx.lengths, batch)
    x = input
    lengths = ctx.lengths
    val n = batch * steps
    val w = ctx.weights
    for (d <- 0 until directions) {
      val z = gates(d)
      // Input projection of every step of every sample at once.
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
        input,
        0,
        features,
        0f,
        z,
        0,
        gateWidth
      )
      var g = 0
      while (g < gateWidth) {
        bias(g) = w(inputBias(d) + g) +
          (if (foldsRecurrentBias(g / hidden)) w(recurrentBias(d) + g) else 0f)
        g += 1
      }
      var r = 0
      while (r < n) {
        val o = r * gateWidth
        g = 0
        while (g < gateWidth) { z(o + g) += bias(g); g += 1 }
        r += 1
      }
      val hp = previousHidden(d)
      val first = time(d, 0)
      var i = 0
      while (i < batch) {
        java.util.Arrays.fill(
          hp,
          (i * steps + first) * hidden,
          (i * steps + first + 1) * hidden,
          0f
        )
        i += 1
      }
      var s = 0
      while (s < steps) {
        val t = time(d, s)
        stepForward(ctx, d, t, if (s == 0) -1 else time(d, s - 1), batch)
        if (s + 1 < steps) {
          // The next step starts from this step's hidden state.
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
    if (layer.returnSequences) hiddenStates else gatherLastStates(batch)
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

  override def backward(
      ctx: Context,
      outputGradient: Array[Float],
      batch: Int,
      needInputGradient: Boolean
  ): Array[Float] = {
    val n = batch * steps
    scatterOutputGradient(outputGradient, batch)
    val w = ctx.weights
    val grad = ctx.gradient
    for (d <- 0 until directions) {
      beginBackward(d, batch)
      val dzRec = recurrentGateGradient
      var s = steps - 1
      while (s >= 0) {
        val t = time(d, s)
        val prev = if (s == 0) -1 else time(d, s - 1)
        stepBackward(ctx, d, t, prev, batch)
        // dLoss/dh(prev) += dzRec(t) · W_hh
        if (prev >= 0)
          blas.sgemm(
            "N",
            "N",
            hidden,
            batch,
            gateWidth,
            1f,
            w,
            recurrentWeights(d),
            hidden,
            dzRec,
            t * gateWidth,
            steps * gateWidth,
            1f,
            hiddenGradient,
            prev * outWidth + d * hidden,
            steps * outWidth
          )
        s -= 1
      }
      blas.sgemm(
        "N",
        "T",
        features,
        gateWidth,
        n,
        1f,
        x,
        0,
        features,
        gateGradient,
        0,
        gateWidth,
        1f,
        grad,
        inputWeights(d),
        features
      )
      blas.sgemm(
        "N",
        "T",
        hidden,
        gateWidth,
        n,
        1f,
        previousHidden(d),
        0,
        hidden,
        dzRec,
        0,
        gateWidth,
        1f,
        grad,
        recurrentWeights(d),
        hidden
      )
      addColumnSums(gateGradient, n, grad, inputBias(d))
      addColumnSums(dzRec, n, grad, recurrentBias(d))
      if (needInputGradient)
        blas.sgemm(
          "N",
          "N",
          features,
          n,
          gateWidth,
          1f,
          w,
          inputWeights(d),
          features,
          gateGradient,
          0,
          gateWidth,
          if (d == 0) 0f else 1f,
          inputGradient,
          0,
          features
        )
    }
    if (needInputGradient) inputGradient else null
  }

  /** Sets [[hiddenGradient]] from dLoss/dOutput (padded steps are ignored by the cells). */
  private def scatterOutputGradient(outputGradient: Array[Float], batch: Int): Unit =
    if (layer.returnSequences)
      System.arraycopy(outputGradient, 0, hiddenGradient, 0, batch * steps * outWidth)
    else {
      java.util.Arrays.fill(hiddenGradient, 0, batch * steps * outWidth, 0f)
      var i = 0
      while (i < batch) {
        val last = if (lengths == null) steps - 1 else lengths(i) - 1
        System.arraycopy(
          outputGradient,
          i * outWidth,
          hiddenGradient,
          (i * steps + last) * outWidth,
          hidden
        )
        if (directions == 2)
          System.arraycopy(
            outputGradient,
            i * outWidth + hidden,
            hiddenGradient,
            i * steps * outWidth + hidden,
            hidden
          )
        i += 1
      }
    }

  private def addColumnSums(m: Array[Float], rowCount: Int, out: Array[Float], at: Int): Unit = {
    var r = 0
    while (r < rowCount) {
      val o = r * gateWidth
      var g = 0
      while (g < gateWidth) { out(at + g) += m(o + g); g += 1 }
      r += 1
    }
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
