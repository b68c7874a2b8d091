package dlmllib.nn

/** Elman RNN step equation (PyTorch, tanh): h = tanh(W_i·x + b_i + W_h·h' + b_h). */
private[nn] final class RnnKernel(layer: Recurrent, input: Shape, offset: Int, maxBatch: Int)
    extends RecurrentKernel(layer, input, offset, maxBatch) {

  protected def stepForward(ctx: Context, d: Int, t: Int, prev: Int, batch: Int): Unit = {
    val z = gates(d)
    if (prev >= 0)
      recurrentProduct(ctx, d, t, batch, 1f, z, t * gateWidth, steps * gateWidth)
    val h = hidden
    var n = 0
    while (n < batch) {
      val row = n * steps + t
      val zo = row * h
      val ho = row * outWidth + d * h
      if (valid(n, t)) {
        // The whole block at once, in a loop that vectorises.
        tanhs(z, zo, h)
        System.arraycopy(z, zo, hiddenStates, ho, h)
      } else java.util.Arrays.fill(hiddenStates, ho, ho + h, 0f)
      n += 1
    }
  }

  protected def stepBackward(ctx: Context, d: Int, t: Int, prev: Int, batch: Int): Unit = {
    val z = gates(d)
    val dz = gateGradient
    val h = hidden
    var n = 0
    while (n < batch) {
      val row = n * steps + t
      val zo = row * h
      val ho = row * outWidth + d * h
      if (valid(n, t)) {
        var j = 0
        while (j < h) {
          val a = z(zo + j)
          dz(zo + j) = hiddenGradient(ho + j) * (1f - a * a)
          j += 1
        }
      } else java.util.Arrays.fill(dz, zo, zo + h, 0f)
      n += 1
    }
  }
}
