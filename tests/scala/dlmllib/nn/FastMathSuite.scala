package dlmllib.nn

import org.scalatest.funsuite.AnyFunSuite

/** The vectorisable exponential behind sigmoid and tanh against java.lang.Math, in float. */
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
  private val scratch = new Array[Double](x.length)

  private def worstUlps(f: Array[Float], exact: Double => Double): Double =
    x.indices.map { i =>
      val e = exact(x(i).toDouble).toFloat
      math.abs(f(i) - e) / math.ulp(math.max(math.abs(e), java.lang.Float.MIN_NORMAL))
    }.max

  test("sigmoid is within one float ulp of 1 / (1 + Math.exp(-x)), saturating without NaN") {
    val out = new Array[Float](x.length)
    FastMath.sigmoids(x, 0, out, 0, x.length, scratch)
    assert(worstUlps(out, v => 1.0 / (1.0 + math.exp(-v))) <= 1.0)
    assert(out.forall(v => v >= 0f && v <= 1f))
  }

  test("tanh is within 1.2e-7 of Math.tanh everywhere, bounded by -1 and 1") {
    val out = new Array[Float](x.length)
    FastMath.tanhs(x, 0, out, 0, x.length, scratch)
    val worst = x.indices.map(i => math.abs(out(i) - math.tanh(x(i).toDouble))).max
    assert(worst <= 1.2e-7, s"worst absolute error $worst")
    assert(out.forall(v => v >= -1f && v <= 1f))
  }

  test("NaN stays NaN, and the activations use the same functions block by block") {
    val nan = Array(Float.NaN, 1f, Float.NaN)
    FastMath.sigmoids(nan, 0, nan, 0, 3, scratch)
    assert(nan(0).isNaN && nan(2).isNaN && nan(1) == (1 / (1 + math.exp(-1))).toFloat)
    val a = x.clone()
    Sigmoid.forward(a, 0, a.length) // more than one block
    val b = new Array[Float](x.length)
    FastMath.sigmoids(x, 0, b, 0, x.length, scratch)
    assert(a.sameElements(b))
  }
}
