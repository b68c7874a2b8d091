package dlmllib.nn

import dlmllib.nn.Blas.blas

/** What the three recurrent cells share, backward: BPTT with one sgemm per step for the recurrent
  * gradient and one sgemm each for the input-weight, recurrent-weight and input gradients, on the
  * buffers that [[RecurrentForward]] filled. Padded steps get zero gradients.
  */
private[nn] abstract class RecurrentKernel(
    cell: Recurrent,
    input: Shape,
    offset: Int,
    maxBatch: Int
) extends RecurrentForward(cell, input, offset, maxBatch) {

  override def backward(
      ctx: Context,
      outputGradient: Array[Float],
      batch: Int,
      needInputGradient: Boolean
  ): Array[Float] = {
    scatterOutputGradient(outputGradient, batch)
    var d = 0
    while (d < directions) {
      backpropagateSteps(ctx, d, batch)
      addWeightGradients(ctx, d, batch)
      // dLoss/dx = sum over directions of dz · W_ih
      if (needInputGradient)
        blas.sgemm(
          "N",
          "N",
          features,
          batch * steps,
          gateWidth,
          1f,
          ctx.weights,
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
      d += 1
    }
    if (needInputGradient) inputGradient else null
  }

  /** BPTT through direction d: the gate gradients of every step, last step first. */
  private def backpropagateSteps(ctx: Context, d: Int, batch: Int): Unit = {
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
          ctx.weights,
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
  }

  /** dW_ih += dz^T · x, dW_hh += dzRec^T · h(prev), biases += column sums: one product each over
    * all steps of all samples (padded steps have zero gate gradients).
    */
  private def addWeightGradients(ctx: Context, d: Int, batch: Int): Unit = {
    val n = batch * steps
    val grad = ctx.gradient
    val dzRec = recurrentGateGradient
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
    if (dzRec eq gateGradient) addColumnSums(gateGradient, n, grad, inputBias(d), recurrentBias(d))
    else {
      addColumnSums(gateGradient, n, grad, inputBias(d), -1)
      addColumnSums(dzRec, n, grad, recurrentBias(d), -1)
    }
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

  /** Adds the column sums of `m` (rowCount rows of gateWidth) to `out` at `at`, and also at
    * `alsoAt` unless it is −1: one pass for two bias gradients that share their gate gradient.
    */
  private def addColumnSums(
      m: Array[Float],
      rowCount: Int,
      out: Array[Float],
      at: Int,
      alsoAt: Int
  ): Unit = {
    var r = 0
    while (r < rowCount) {
      val o = r * gateWidth
      var g = 0
      if (alsoAt < 0)
        while (g < gateWidth) { out(at + g) += m(o + g); g += 1 }
      else
        while (g < gateWidth) {
          val v = m(o + g)
          out(at + g) += v
          out(alsoAt + g) += v
          g += 1
        }
      r += 1
    }
  }
}
