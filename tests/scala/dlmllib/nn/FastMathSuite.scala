package dlmllib.nn

import org.scalatest.funsuite.AnyFunSuite

/** The vectorisable sigmoid and tanh against java.lang.Math. */
class FastMathSuite extends AnyFunSuite {
  private val rng = new java.util.Random(3)
  private val x: Array[Float] =
    Array.fill(200000)((rng.nextGaussian() * 8).toFloat) ++
      Array(
        0f,
        -0f,
        1e-8f,
        -1e-8f,
        20f,
        -20f,
        90f,
        -90f,
        200f,
        -200f,
        Float.MaxValue,
        -Float.MaxValue
      )

  /** f applied in place to a copy of x. */
  private def applied(f: (Array[Float], Int, Int) => Unit): Array[Float] = {
    val out = x.clone()
    f(out, 0, out.length)
    out
  }

  private def worstError(f: Array[Float], exact: Double => Double): Double =
    x.indices.map(i => math.abs(f(i) - exact(x(i).toDouble))).max

  test("sigmoid is within 2.1e-7 of 1 / (1 + Math.exp(-x)), saturating to 0 and 1 without NaN") {
    val out = applied(FastMath.sigmoids)
    val worst = worstError(out, v => 1.0 / (1.0 + math.exp(-v)))
    assert(worst <= 2.1e-7, s"worst absolute error $worst")
    assert(out.forall(v => v >= 0f && v <= 1f))
    assert(out(x.length - 2) == 1f && out(x.length - 1) == 0f)
  }

  test("tanh is within 4e-7 of Math.tanh, odd, bounded by -1 and 1") {
    val out = applied(FastMath.tanhs)
    val worst = worstError(out, math.tanh)
    assert(worst <= 4e-7, s"worst absolute error $worst")
    assert(out.forall(v => v >= -1f && v <= 1f))
    val negated = x.map(-_)
    FastMath.tanhs(negated, 0, negated.length)
    assert(negated.indices.forall(i => negated(i) == -out(i)))
  }

  test("NaN stays NaN, only the given range changes, and the activations use the same functions") {
    val a = Array(7f, Float.NaN, 1f, Float.NaN, 7f)
    FastMath.sigmoids(a, 1, 4)
    assert(a(0) == 7f && a(4) == 7f && a(1).isNaN && a(3).isNaN)
    assert(math.abs(a(2) - 1 / (1 + math.exp(-1))) <= 2.1e-7)
    val b = x.clone()
    Sigmoid.forward(b, 0, b.length)
    assert(b.sameElements(applied(FastMath.sigmoids)))
    val c = x.clone()
    Tanh.forward(c, 0, c.length)
    assert(c.sameElements(applied(FastMath.tanhs)))
  }
}
