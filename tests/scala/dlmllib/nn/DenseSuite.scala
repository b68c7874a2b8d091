package dlmllib.nn

import org.scalatest.funsuite.AnyFunSuite

class DenseSuite extends AnyFunSuite {

  test("dense forward is W·x + b with the documented weight layout") {
    val net = new Network(Shape.of(2), IndexedSeq(Dense(3)))
    // W (3 × 2, column-major) = [[1, 4], [2, 5], [3, 6]], b = (10, 20, 30)
    val w = Array(1f, 2f, 3f, 4f, 5f, 6f, 10f, 20f, 30f)
    val out = net.executor(2).forward(w, Array(1f, 1f, 0f, 2f), 2, training = false)
    assert(out.take(6).toSeq == Seq(15f, 27f, 39f, 18f, 30f, 42f))
  }

  test("dense reads any input shape as flat and reports its spec") {
    assert(Dense(10).outputShape(Shape.of(3, 4, 5)) == Shape.of(10))
    assert(Dense(10).numWeights(Shape.of(3, 4, 5)) == 610)
    assert(Dense(128, Relu).toSpec == "dense(128, relu)")
    assert(Dense(10).toSpec == "dense(10)")
    assert(intercept[IllegalArgumentException](Dense(0)).getMessage.contains("found 0"))
  }

  Activation.all.foreach { a =>
    test(s"dense gradients with ${a.name}") {
      val r = GradientCheck.checkLayer(Dense(7, a), Shape.of(2, 3), batch = 4, eps = 1e-3f)
      assert(r.maxError < 2e-2, r.toString)
    }
  }

  test("activations and their derivatives from the output, by hand") {
    val x = Array(-2f, -0.5f, 0f, 0.5f, 2f)
    def run(a: Activation): (Seq[Float], Seq[Float]) = {
      val y = x.clone()
      a.forward(y, 0, 5)
      val d = new Array[Float](5)
      a.backward(y, Array.fill(5)(2f), d, 5)
      (y.toSeq, d.toSeq)
    }
    assert(run(Relu) == (Seq(0f, 0f, 0f, 0.5f, 2f), Seq(0f, 0f, 0f, 2f, 2f)))
    assert(run(LeakyRelu) == (Seq(-0.02f, -0.005f, 0f, 0.5f, 2f), Seq(0.02f, 0.02f, 0.02f, 2f, 2f)))
    assert(run(Linear) == (x.toSeq, Seq.fill(5)(2f)))
    val (ys, ds) = run(Sigmoid)
    val (yt, dt) = run(Tanh)
    for (i <- 0 until 5) {
      val s = 1 / (1 + math.exp(-x(i)))
      assert(math.abs(ys(i) - s) < 1e-6 && math.abs(ds(i) - 2 * s * (1 - s)) < 1e-6)
      val t = math.tanh(x(i))
      assert(math.abs(yt(i) - t) < 1e-6 && math.abs(dt(i) - 2 * (1 - t * t)) < 1e-6)
    }
  }

  test("activation names parse back") {
    Activation.all.foreach(a => assert(Activation.fromName(a.name.toUpperCase) == a))
    val e = intercept[IllegalArgumentException](Activation.fromName("softplus"))
    assert(e.getMessage.contains("relu, leakyrelu, sigmoid, tanh, linear"))
  }
}
