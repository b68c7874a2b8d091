package dlmllib.nn

/** LSTM step equations (PyTorch): i = σ(z_i), f = σ(z_f), g = tanh(z_g), o = σ(z_o), c = f ⊙ c' + i
  * ⊙ g, h = o ⊙ tanh(c), where each z already holds W_i·x + b_i + W_h·h' + b_h.
  */
private[nn] final class LstmKernel(layer: Recurrent, input: Shape, offset: Int, maxBatch: Int)
    extends RecurrentKernel(layer, input, offset, maxBatch) {

  /** Cell state per step, per direction (zero at padded steps). */
  private val cells = Array.fill(directions)(new Array[Float](maxBatch * steps * hidden))

  /** tanh of [[cells]], kept for the backward pass. */
  private val cellTanh = Array.fill(directions)(new Array[Float](maxBatch * steps * hidden))

  /** dLoss/dc carried from step t to the step before it. */
  private val cellGradient = new Array[Float](maxBatch * hidden)

  protected def stepForward(ctx: Context, d: Int, t: Int, prev: Int, batch: Int): Unit = {
    val z = gates(d)
    val c = cells(d)
    val tc = cellTanh(d)
    if (prev >= 0)
      recurrentProduct(ctx, d, t, batch, 1f, z, t * gateWidth, steps * gateWidth)
    val hs = hiddenStates
    val h = hidden
    var n = 0
    while (n < batch) {
      val row = n * steps + t
      val zo = row * gateWidth
      val co = row * h
      val ho = row * outWidth + d * h
      if (valid(n, t)) {
        val first = prev < 0 // loop-invariant: C2 unswitches the loop on it
        val po = (n * steps + prev) * h
        // Activations block by block (i and f, g, o; then tanh c), each in a loop that vectorises.
        sigmoids(z, zo, 2 * h)
        tanhs(z, zo + 2 * h, h)
        sigmoids(z, zo + 3 * h, h)
        var j = 0
        while (j < h) {
          val i = z(zo + j)
          val f = z(zo + h + j)
          val g = z(zo + 2 * h + j)
          c(co + j) = (if (first) 0f else f * c(po + j)) + i * g
          j += 1
        }
        System.arraycopy(c, co, tc, co, h)
        tanhs(tc, co, h)
        j = 0
        while (j < h) { hs(ho + j) = z(zo + 3 * h + j) * tc(co + j); j += 1 }
      } else {
        java.util.Arrays.fill(c, co, co + h, 0f)
        java.util.Arrays.fill(hs, ho, ho + h, 0f)
      }
      n += 1
    }
  }

  override protected def beginBackward(d: Int, batch: Int): Unit =
    java.util.Arrays.fill(cellGradient, 0, batch * hidden, 0f)

  protected def stepBackward(ctx: Context, d: Int, t: Int, prev: Int, batch: Int): Unit = {
    val z = gates(d)
    val c = cells(d)
    val cTanh = cellTanh(d)
    val dz = gateGradient
    val h = hidden
    var n = 0
    while (n < batch) {
      val row = n * steps + t
      val zo = row * gateWidth
      val co = row * h
      val ho = row * outWidth + d * h
      val carry = n * h
      if (valid(n, t)) {
        val po = (n * steps + prev) * h
        var j = 0
        while (j < h) {
          val i = z(zo + j)
          val f = z(zo + h + j)
          val g = z(zo + 2 * h + j)
          val o = z(zo + 3 * h + j)
          val dh = hiddenGradient(ho + j)
          val tc = cTanh(co + j)
          val dc = cellGradient(carry + j) + dh * o * (1f - tc * tc)
          val cPrev = if (prev >= 0) c(po + j) else 0f
          dz(zo + j) = dc * g * i * (1f - i)
          dz(zo + h + j) = dc * cPrev * f * (1f - f)
          dz(zo + 2 * h + j) = dc * i * (1f - g * g)
          dz(zo + 3 * h + j) = dh * tc * o * (1f - o)
          cellGradient(carry + j) = dc * f
          j += 1
        }
      } else {
        java.util.Arrays.fill(dz, zo, zo + gateWidth, 0f)
        java.util.Arrays.fill(cellGradient, carry, carry + h, 0f)
      }
      n += 1
    }
  }
}
