package dlmllib.optim

import org.scalatest.funsuite.AnyFunSuite

class OptimizerSuite extends AnyFunSuite {

  // Least squares f(w) = 0.5 * |A w - b|^2 with a well-conditioned A; optimum solves A w = b.
  private val a = Array(Array(3f, 1f, 0f), Array(1f, 2f, 0.5f), Array(0f, 0.5f, 1.5f))
  private val optimum = Array(1f, -2f, 0.5f)
  private val b = a.map(row => row.zip(optimum).map { case (x, y) => x * y }.sum)

  private def gradient(w: Array[Float], g: Array[Float]): Unit = {
    val r = a.map(row => row.zip(w).map { case (x, y) => x * y }.sum).zip(b).map(t => t._1 - t._2)
    for (j <- 0 until 3) g(j) = (0 until 3).map(i => a(i)(j) * r(i)).sum
  }

  private def minimise(opt: Optimizer, lr: Float, steps: Int): Array[Float] = {
    val w = new Array[Float](3)
    val g = new Array[Float](3)
    val state = new Array[Float](opt.stateSize(3))
    for (t <- 1 to steps) { gradient(w, g); opt.update(w, g, state, t.toLong, lr) }
    w
  }

  private def assertClose(w: Array[Float], expected: Array[Float], tol: Double): Unit =
    w.zip(expected).foreach { case (x, y) =>
      assert(math.abs(x - y) <= tol, s"${w.mkString(",")} vs ${expected.mkString(",")}")
    }

  test("each optimizer reaches the least-squares optimum") {
    assertClose(minimise(Sgd, 0.1f, 2000), optimum, 1e-4)
    assertClose(minimise(Momentum(), 0.02f, 2000), optimum, 1e-4)
    assertClose(minimise(Momentum(nesterov = true), 0.02f, 2000), optimum, 1e-4)
    assertClose(minimise(Adam(), 0.01f, 5000), optimum, 1e-3)
  }

  test("state sizes") {
    assert(Sgd.stateSize(10) == 0)
    assert(Momentum().stateSize(10) == 10)
    assert(Adam().stateSize(10) == 20)
  }

  test("Adam's first steps equal the hand-computed values") {
    val w = Array(1f, -1f)
    val state = new Array[Float](4)
    Adam().update(w, Array(0.5f, -2f), state, 1L, 0.1f)
    // Step 1: m_hat = g and v_hat = g^2, so the step is lr * g / (|g| + eps) = lr * sign(g).
    assert(math.abs(w(0) - (1.0 - 0.1 * 0.5 / (0.5 + 1e-8))) < 1e-6)
    assert(math.abs(w(1) - (-1.0 + 0.1 * 2 / (2 + 1e-8))) < 1e-6)
    assert(
      math.abs(state(0) - 0.05f) < 1e-7 && math.abs(state(2) - 0.00025) < 1e-4 * 0.00025
    ) // float32 1 - beta2
    // Step 2 with g = 1 on the first weight, by the textbook formulas.
    Adam().update(w, Array(1f, 0f), state, 2L, 0.1f)
    val m = 0.9 * 0.05 + 0.1 * 1.0
    val v = 0.999 * 0.00025 + 0.001 * 1.0
    val expected = 0.9 - 0.1 * (m / (1 - 0.81)) / (math.sqrt(v / (1 - 0.999 * 0.999)) + 1e-8)
    assert(math.abs(w(0) - expected) < 1e-5, s"${w(0)} vs $expected")
  }

  test("Nesterov looks ahead by momentum * velocity") {
    val g = Array(1f)
    val plain = Array(0f)
    val nest = Array(0f)
    val sp = Array(0f)
    val sn = Array(0f)
    Momentum(0.9).update(plain, g, sp, 1L, 0.1f)
    Momentum(0.9, nesterov = true).update(nest, g, sn, 1L, 0.1f)
    // v = 1 after one step: plain moves lr * v, Nesterov lr * (g + mu * v).
    assert(math.abs(plain(0) + 0.1f) < 1e-7)
    assert(math.abs(nest(0) + 0.19f) < 1e-6)
    Momentum(0.9).update(plain, g, sp, 2L, 0.1f)
    Momentum(0.9, nesterov = true).update(nest, g, sn, 2L, 0.1f)
    // v = 1.9: plain moves 0.19 more, Nesterov 0.1 * (1 + 0.9 * 1.9) = 0.271 more.
    assert(math.abs(plain(0) + 0.29f) < 1e-6)
    assert(math.abs(nest(0) + 0.461f) < 1e-6)
    assert(sp(0) == sn(0))
  }

  test("fromName maps the solver values and rejects others") {
    assert(Optimizer.fromName("adam") == Adam())
    assert(Optimizer.fromName(" SGD ") == Sgd)
    assert(Optimizer.fromName("momentum") == Momentum())
    val e = intercept[IllegalArgumentException](Optimizer.fromName("lbfgs"))
    assert(e.getMessage.contains("adam, sgd, momentum") && e.getMessage.contains("lbfgs"))
  }

  test("hyper-parameters are checked") {
    assert(intercept[IllegalArgumentException](Momentum(1.0)).getMessage.contains("momentum"))
    assert(intercept[IllegalArgumentException](Adam(beta2 = -1)).getMessage.contains("beta2"))
  }

  test("clipping scales the global norm exactly to the limit") {
    val g = Array(3f, 0f, -4f)
    assert(GradientClipping.clipByGlobalNorm(g, 2.5) == 5.0)
    assert(math.abs(GradientClipping.norm(g) - 2.5) < 1e-6)
    assert(g.sameElements(Array(1.5f, 0f, -2f)))
    val small = Array(0.3f, 0.4f)
    GradientClipping.clipByGlobalNorm(small, 1.0)
    assert(small.sameElements(Array(0.3f, 0.4f)))
    GradientClipping.clipByGlobalNorm(small, 0.0) // disabled
    assert(small.sameElements(Array(0.3f, 0.4f)))
  }

  test("L2 adds regParam * w only where the mask is 1") {
    val w = Array(2f, -3f, 4f)
    val g = Array(1f, 1f, 1f)
    val penalty = L2Regularization.addGradient(w, g, Array(1f, 0f, 1f), 0.5)
    assert(g.sameElements(Array(2f, 1f, 3f)))
    assert(math.abs(penalty - 0.25 * (4 + 16)) < 1e-9)
    assert(L2Regularization.addGradient(w, g, Array(1f, 1f, 1f), 0.0) == 0.0)
    assert(g.sameElements(Array(2f, 1f, 3f)))
  }

  test("schedules give the expected rates") {
    import LearningRateSchedule._
    assert((0 until 5).map(Constant.rate(0.1, _, 5)).forall(_ == 0.1))
    val step = Step(2, 0.5)
    assert((0 until 5).map(step.rate(1.0, _, 5)) == Seq(1.0, 1.0, 0.5, 0.5, 0.25))
    assert(Cosine.rate(1.0, 0, 10) == 1.0)
    assert(math.abs(Cosine.rate(1.0, 5, 10) - 0.5) < 1e-12)
    assert(math.abs(Cosine.rate(2.0, 10, 10)) < 1e-12)
    assert(math.abs(Cosine.rate(1.0, 2, 8) - (1 + math.sqrt(0.5)) / 2) < 1e-12)
    assert(fromName("Constant") == Constant)
    assert(fromName("cosine") == Cosine)
    assert(fromName("step(3)") == Step(3, 0.1))
    assert(fromName("step( 4 , 0.5 )") == Step(4, 0.5))
    assert(fromName(Step(4, 0.5).name) == Step(4, 0.5))
    val e = intercept[IllegalArgumentException](fromName("exp"))
    assert(e.getMessage.contains("constant, cosine") && e.getMessage.contains("exp"))
    assert(intercept[IllegalArgumentException](fromName("step(x)")).getMessage.contains("`x`"))
  }
}
