package dlmllib.nn

/** Sigmoid and tanh over blocks of floats, in place, in loops the JIT vectorises (Math.tanh is the
  * much slower fdlibm port, Math.exp a call per value).
  *
  * tanh is the 13/6-degree rational interpolant of Eigen's `generic_fast_tanh_float` (TensorFlow's
  * float tanh on the CPU), on x clamped to ±7.905; σ(x) = (1 + tanh(x/2)) / 2. Both are within 4e-7
  * of the exact functions (2e-7 for σ), far below the rounding of the float products around them.
  * All in float, in one loop over one array: C2 does not vectorise a loop that converts floats to
  * doubles, or one that writes an array at an offset other than the one it reads (the arrays might
  * be the same).
  */
private[nn] object FastMath {

  /** Where tanh is within 3e-7 of 1 and the quotient, in Java's unfused float arithmetic, is still
    * at most 1 (Eigen's value; beyond it the quotient grows past 1, then diverges).
    */
  private final val Clamp = 7.90531110763549805f

  /** tanh(x) for |x| ≤ [[Clamp]]. */
  @inline private def rationalTanh(x: Float): Float = {
    val x2 = x * x
    var p = x2 * -2.76076847742355e-16f + 2.00018790482477e-13f
    p = p * x2 + -8.60467152213735e-11f
    p = p * x2 + 5.12229709037114e-08f
    p = p * x2 + 1.48572235717979e-05f
    p = p * x2 + 6.37261928875436e-04f
    p = p * x2 + 4.89352455891786e-03f
    var q = x2 * 1.19825839466702e-06f + 1.18534705686654e-04f
    q = q * x2 + 2.26843463243900e-03f
    q = q * x2 + 4.89352518554385e-03f
    x * p / q
  }

  /** a(i) = tanh(a(i)) for i in [from, until). NaN stays NaN. */
  def tanhs(a: Array[Float], from: Int, until: Int): Unit = {
    var i = from
    while (i < until) {
      a(i) = rationalTanh(math.min(math.max(a(i), -Clamp), Clamp))
      i += 1
    }
  }

  /** a(i) = σ(a(i)) = 1 / (1 + e^−a(i)) for i in [from, until). NaN stays NaN. */
  def sigmoids(a: Array[Float], from: Int, until: Int): Unit = {
    var i = from
    while (i < until) {
      a(i) = 0.5f * rationalTanh(math.min(math.max(0.5f * a(i), -Clamp), Clamp)) + 0.5f
      i += 1
    }
  }
}
