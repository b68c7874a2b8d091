package dlmllib.nn

import java.util.Random
import org.scalatest.funsuite.AnyFunSuite

class LossSuite extends AnyFunSuite {

  /** Largest relative error between a loss's gradient and central differences of its value. */
  private def gradientError(
      loss: Loss,
      output: Array[Float],
      target: Array[Float],
      batch: Int
  ): Double = {
    val width = output.length / batch
    val grad = new Array[Float](output.length)
    loss.lossAndGradient(output, target, batch, width, grad)
    val scratch = new Array[Float](output.length)
    val eps = 1e-2f
    output.indices.map { i =>
      val x = output.clone()
      x(i) += eps
      val up = loss.lossAndGradient(x, target, batch, width, scratch)
      x(i) -= 2 * eps
      val down = loss.lossAndGradient(x, target, batch, width, scratch)
      val numeric = (up - down) / (2 * eps)
      math.abs(numeric - grad(i)) / math.max(1e-3, math.abs(numeric) + math.abs(grad(i)))
    }.max
  }

  test("softmax cross-entropy: value by hand, gradient by finite differences") {
    // logits (0, ln 3) → p = (1/4, 3/4); targets 1 and 0 → losses -ln(3/4) and -ln(1/4)
    val out = Array(0f, math.log(3).toFloat, 0f, math.log(3).toFloat)
    val grad = new Array[Float](4)
    val l = SoftmaxCrossEntropy.lossAndGradient(out, Array(1f, 0f), 2, 2, grad)
    assert(math.abs(l - (-math.log(0.75) - math.log(0.25)) / 2) < 1e-6)
    assert(grad.zip(Array(0.125f, -0.125f, -0.375f, 0.375f)).forall { case (a, b) =>
      math.abs(a - b) < 1e-6
    })
    val rng = new Random(1)
    val logits = Array.fill(4 * 5)(rng.nextGaussian().toFloat * 2)
    val targets = Array(0f, 4f, 2f, 2f)
    assert(gradientError(SoftmaxCrossEntropy, logits, targets, 4) < 1e-3)
  }

  test("softmax cross-entropy stays finite for huge logits") {
    val grad = new Array[Float](3)
    val l = SoftmaxCrossEntropy.lossAndGradient(Array(1000f, -1000f, 0f), Array(1f), 1, 3, grad)
    assert(math.abs(l - 2000.0) < 1e-3)
    assert(grad.forall(g => !g.isNaN))
  }

  test("softmax cross-entropy rejects a target that is not a class index") {
    val e = intercept[IllegalArgumentException] {
      SoftmaxCrossEntropy.lossAndGradient(Array(0f, 0f), Array(2f), 1, 2, new Array[Float](2))
    }
    assert(e.getMessage.contains("0 to 1") && e.getMessage.contains("2.0"))
  }

  test("mean squared error: value by hand, gradient by finite differences") {
    val grad = new Array[Float](4)
    val l =
      MeanSquaredError.lossAndGradient(Array(1f, 2f, 3f, 4f), Array(0f, 2f, 5f, 4f), 2, 2, grad)
    assert(math.abs(l - (1.0 + 4.0) / 4) < 1e-9)
    assert(grad.toSeq == Seq(0.5f, 0f, -1f, 0f))
    val rng = new Random(2)
    val out = Array.fill(12)(rng.nextGaussian().toFloat)
    val t = Array.fill(12)(rng.nextGaussian().toFloat)
    assert(gradientError(MeanSquaredError, out, t, 3) < 1e-3)
  }

  test("softmax rows sum to one and keep the order of the logits") {
    val x = Array(1f, 2f, 3f, -5f, 0f, 5f)
    val p = new Array[Float](6)
    Softmax(x, 2, 3, p)
    assert(math.abs(p.take(3).sum - 1f) < 1e-6 && math.abs(p.drop(3).sum - 1f) < 1e-6)
    assert(p(0) < p(1) && p(1) < p(2))
    assert(math.abs(p(1) / p(0) - math.E) < 1e-4)
    Softmax.inPlace(x, 2, 3)
    assert(x.toSeq == p.toSeq)
  }
}
