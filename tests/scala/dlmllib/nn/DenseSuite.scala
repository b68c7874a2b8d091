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

  test("activation names parse back") {
    Activation.all.foreach(a => assert(Activation.fromName(a.name.toUpperCase) == a))
    val e = intercept[IllegalArgumentException](Activation.fromName("softplus"))
    assert(e.getMessage.contains("relu, leakyrelu, sigmoid, tanh, linear"))
  }
}
