package dlmllib.nn

/** GRU step equations (PyTorch): r = σ(W_ir·x + b_ir + W_hr·h' + b_hr), u = σ(W_iz·x + b_iz +
  * W_hz·h' + b_hz), n = tanh(W_in·x + b_in + r ⊙ (W_hn·h' + b_hn)), h = (1 − u) ⊙ n + u ⊙ h'. The
  * recurrent product goes to a step buffer rather than onto the gates because `W_hn·h' + b_hn` is
  * needed apart (and kept for the backward pass).
  */
private[nn] final class GruKernel(layer: Recurrent, input: Shape, offset: Int, maxBatch: Int)
    extends RecurrentKernel(layer, input, offset, maxBatch) {

  /** W_h·h' of the current step, all samples (maxBatch × gate width). */
  private val recurrent = new Array[Float](maxBatch * gateWidth)

  /** W_hn·h' + b_hn per step, per direction. */
  private val candidateRecurrent =
    Array.fill(directions)(new Array[Float](maxBatch * steps * hidden))

  private val recurrentGradient = new Array[Float](rows * gateWidth)

  override protected def recurrentGateGradient: Array[Float] = recurrentGradient

  override protected def foldsRecurrentBias(g: Int): Boolean = g < 2

  protected def stepForward(ctx: Context, d: Int, t: Int, prev: Int, batch: Int): Unit = {
    val z = gates(d)
    val hn = candidateRecurrent(d)
    val hp = previousHidden(d)
    val bhn = recurrentBias(d) + 2 * hidden
    if (prev >= 0) recurrentProduct(ctx, d, t, batch, 0f, recurrent, 0, gateWidth)
    else java.util.Arrays.fill(recurrent, 0, batch * gateWidth, 0f)
    val hs = hiddenStates
    val h = hidden
    val w = ctx.weights
    var n = 0
    while (n < batch) {
      val row = n * steps + t
      val zo = row * gateWidth
      val ro = n * gateWidth
      val ho = row * outWidth + d * h
      if (valid(n, t)) {
        // Activations block by block (r and u, then n), each in a loop that vectorises.
        var j = 0
        while (j < 2 * h) { z(zo + j) += recurrent(ro + j); j += 1 }
        sigmoids(z, zo, 2 * h)
        j = 0
        while (j < h) {
          val candidate = recurrent(ro + 2 * h + j) + w(bhn + j)
          hn(row * h + j) = candidate
          z(zo + 2 * h + j) += z(zo + j) * candidate
          j += 1
        }
        tanhs(z, zo + 2 * h, h)
        j = 0
        while (j < h) {
          val u = z(zo + h + j)
          hs(ho + j) = (1f - u) * z(zo + 2 * h + j) + u * hp(row * h + j)
          j += 1
        }
      } else java.util.Arrays.fill(hs, ho, ho + h, 0f)
      n += 1
    }
  }

  protected def stepBackward(ctx: Context, d: Int, t: Int, prev: Int, batch: Int): Unit = {
    val z = gates(d)
    val hn = candidateRecurrent(d)
    val hp = previousHidden(d)
    val dz = gateGradient
    val dzr = recurrentGradient
    val h = hidden
    var n = 0
    while (n < batch) {
      val row = n * steps + t
      val zo = row * gateWidth
      val ho = row * outWidth + d * h
      if (valid(n, t)) {
        val po = (n * steps + prev) * outWidth + d * h
        var j = 0
        while (j < h) {
          val r = z(zo + j)
          val u = z(zo + h + j)
          val c = z(zo + 2 * h + j)
          val dh = hiddenGradient(ho + j)
          val dc = dh * (1f - u) * (1f - c * c)
          val du = dh * (hp(row * h + j) - c) * u * (1f - u)
          val dr = dc * hn(row * h + j) * r * (1f - r)
          dz(zo + j) = dr
          dz(zo + h + j) = du
          dz(zo + 2 * h + j) = dc
          dzr(zo + j) = dr
          dzr(zo + h + j) = du
          dzr(zo + 2 * h + j) = dc * r
          // The direct path h' → h, besides the one through W_h.
          if (prev >= 0) hiddenGradient(po + j) += dh * u
          j += 1
        }
      } else {
        java.util.Arrays.fill(dz, zo, zo + gateWidth, 0f)
        java.util.Arrays.fill(dzr, zo, zo + gateWidth, 0f)
      }
      n += 1
    }
  }
}
