package dlmllib.nn

import org.scalatest.funsuite.AnyFunSuite

class BatchNormSuite extends AnyFunSuite {

  test("training normalises with batch statistics and moves the running ones (PyTorch momentum)") {
    val bn = BatchNorm(momentum = 0.2)
    val in = Shape.of(2) // two features
    val net = new Network(in, IndexedSeq(bn))
    val w = net.initWeights(1L)
    assert(w.toSeq == Seq(1f, 1f, 0f, 0f, 0f, 0f, 1f, 1f)) // gamma, beta, mean, var
    w(2) = 0.5f // beta of feature 0
    // feature 0: 1, 3, 5 (mean 3, biased var 8/3, unbiased 4); feature 1: all 2 (var 0)
    val x = Array(1f, 2f, 3f, 2f, 5f, 2f)
    val out = net.executor(3).forward(w, x, 3, training = true)
    val s = math.sqrt(8.0 / 3 + 1e-5)
    assert(math.abs(out(0) - (-2 / s + 0.5)) < 1e-5 && math.abs(out(4) - (2 / s + 0.5)) < 1e-5)
    assert(out(1) == 0f && out(3) == 0f)
    // running mean 0.8·0 + 0.2·mean, running var 0.8·1 + 0.2·unbiased var
    assert(math.abs(w(4) - 0.6f) < 1e-6 && math.abs(w(5) - 0.4f) < 1e-6)
    assert(math.abs(w(6) - 1.6f) < 1e-6 && math.abs(w(7) - 0.8f) < 1e-6)
  }

  test("inference uses the running statistics and leaves them alone") {
    val net = new Network(Shape.of(2, 1, 2), IndexedSeq(BatchNorm()))
    // gamma (2, 1), beta (0, 1), running mean (1, -1), running var (4, 0.25)
    val w = Array(2f, 1f, 0f, 1f, 1f, -1f, 4f, 0.25f)
    val x = Array(3f, 5f, 0f, 1f) // channel 0: 3, 5; channel 1: 0, 1
    val out = net.executor(1).forward(w, x, 1, training = false)
    def expect(v: Double, mean: Double, variance: Double, g: Double, b: Double) =
      g * (v - mean) / math.sqrt(variance + 1e-5) + b
    val expected = Seq(
      expect(3, 1, 4, 2, 0),
      expect(5, 1, 4, 2, 0),
      expect(0, -1, 0.25, 1, 1),
      expect(1, -1, 0.25, 1, 1)
    )
    out.take(4).zip(expected).foreach { case (o, e) => assert(math.abs(o - e) < 1e-5) }
    assert(w.toSeq == Seq(2f, 1f, 0f, 1f, 1f, -1f, 4f, 0.25f))
  }

  test("per channel for images, per feature for sequences; stats get no gradient, no L2") {
    val bn = BatchNorm()
    assert(bn.numWeights(Shape.of(3, 4, 5)) == 12)
    assert(bn.numWeights(Shape.of(7, 5)) == 20)
    assert(bn.numWeights(Shape.of(6)) == 24)
    assert(bn.regularized(Shape.of(3, 4, 5)).isEmpty)
    // sequence [T=2, F=1]: the feature's statistics cover every time step of every sample
    val net = new Network(Shape.of(2, 1), IndexedSeq(bn))
    val w = net.initWeights(0L)
    val exec = net.executor(2)
    val out = exec.forward(w, Array(1f, 2f, 3f, 4f), 2, training = true)
    assert(math.abs(out.take(4).sum) < 1e-5 && out(0) < out(1) && out(1) < out(2))
    val grad = new Array[Float](w.length)
    exec.backward(grad, Array(1f, -2f, 0.5f, 3f), 2)
    assert(grad(2) == 0f && grad(3) == 0f && grad(1) != 0f)
    assert(BatchNorm().toSpec == "batchnorm()")
    assert(BatchNorm(momentum = 0.01).toSpec == "batchnorm(momentum=0.01)")
    assert(BatchNorm(eps = 0.001).toSpec == "batchnorm(eps=0.001)")
  }
}
