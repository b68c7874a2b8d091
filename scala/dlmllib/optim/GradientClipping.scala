package dlmllib.optim

/** Gradient-norm clipping over the whole flat gradient (global L2 norm). */
object GradientClipping {

  /** The L2 norm of `gradient`, accumulated in double. */
  def norm(gradient: Array[Float]): Double = {
    var s = 0.0
    var i = 0
    while (i < gradient.length) { val g = gradient(i).toDouble; s += g * g; i += 1 }
    math.sqrt(s)
  }

  /** Scales `gradient` in place so that its L2 norm is at most `maxNorm` (no-op when `maxNorm <=
    * 0`); returns the norm before clipping.
    */
  def clipByGlobalNorm(gradient: Array[Float], maxNorm: Double): Double = {
    val n = norm(gradient)
    if (maxNorm > 0.0 && n > maxNorm) {
      val scale = (maxNorm / n).toFloat
      var i = 0
      while (i < gradient.length) { gradient(i) *= scale; i += 1 }
    }
    n
  }
}
