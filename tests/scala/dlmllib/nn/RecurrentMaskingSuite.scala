package dlmllib.nn

import java.util.Random
import org.scalatest.funsuite.AnyFunSuite

/** Padded steps must not matter: neither their values nor the company a sequence keeps. */
class RecurrentMaskingSuite extends AnyFunSuite {
  private val (steps, features, hidden) = (6, 3, 4)

  /** Output and (weight, input) gradients of one forward and backward. */
  private def outputsAndGradients(
      net: Network,
      w: Array[Float],
      x: Array[Float],
      batch: Int,
      lengths: Array[Int],
      outputGradient: Array[Float]
  ): (Array[Float], Array[Float], Array[Float]) = {
    val exec = net.executor(batch)
    val out = exec.forward(w, x, batch, training = true, lengths).take(batch * net.outputShape.size)
    val grad = new Array[Float](w.length)
    val inGrad = exec.backwardWithInputGradient(grad, outputGradient, batch).take(x.length)
    (out, grad, inGrad)
  }

  private def maxDiff(a: Array[Float], b: Array[Float]): Double = {
    assert(a.length === b.length)
    a.indices.map(i => math.abs(a(i) - b(i)).toDouble).max
  }

  for {
    cell <- Recurrent.Cells
    bidirectional <- Seq(false, true)
    sequences <- Seq(false, true)
  } {
    val layer = Recurrent(cell, hidden, sequences, bidirectional)
    val net = new Network(Shape.of(steps, features), IndexedSeq(layer))
    val w = net.initWeights(1)

    test(s"$layer: values at padded steps change neither outputs nor gradients") {
      val rng = new Random(2)
      val lengths = Array(6, 1, 4)
      val x = Array.fill(3 * steps * features)(rng.nextGaussian().toFloat)
      val dy = Array.fill(3 * net.outputShape.size)(rng.nextGaussian().toFloat)
      val (out, grad, inGrad) = outputsAndGradients(net, w, x, 3, lengths, dy)
      val noisy = x.clone()
      for (n <- 0 until 3; t <- lengths(n) until steps; k <- 0 until features)
        noisy((n * steps + t) * features + k) = 10 * rng.nextGaussian().toFloat
      val (out2, grad2, inGrad2) = outputsAndGradients(net, w, noisy, 3, lengths, dy)
      assert(maxDiff(out, out2) === 0.0)
      assert(maxDiff(grad, grad2) === 0.0)
      assert(maxDiff(inGrad, inGrad2) === 0.0)
      // Padded outputs are zero, and so is the input gradient at padded steps.
      if (sequences)
        for (n <- 0 until 3; t <- lengths(n) until steps; j <- 0 until layer.directions * hidden)
          assert(out((n * steps + t) * layer.directions * hidden + j) === 0f)
      for (n <- 0 until 3; t <- lengths(n) until steps; k <- 0 until features)
        assert(inGrad((n * steps + t) * features + k) === 0f)
      // The check can fail: the padded values do reach the output without the lengths.
      val (out3, _, _) = outputsAndGradients(net, w, noisy, 3, null, dy)
      assert(maxDiff(out, out3) > 1e-3)
    }

    test(s"$layer: a sequence alone and padded among longer and shorter ones") {
      val rng = new Random(3)
      val len = 4
      val alone = Array.fill(len * features)(rng.nextGaussian().toFloat)
      val batched = Array.fill(3 * steps * features)(rng.nextGaussian().toFloat)
      System.arraycopy(alone, 0, batched, steps * features, len * features)
      val lengths = Array(6, len, 2)
      val width = layer.directions * hidden
      val aloneNet = new Network(Shape.of(len, features), IndexedSeq(layer))
      // dLoss/dOutput: random for the middle sample, zero for the others.
      val dyAlone = Array.fill(aloneNet.outputShape.size)(rng.nextGaussian().toFloat)
      val dy = new Array[Float](3 * net.outputShape.size)
      System.arraycopy(dyAlone, 0, dy, net.outputShape.size, dyAlone.length)
      val (outA, gradA, inGradA) = outputsAndGradients(aloneNet, w, alone, 1, null, dyAlone)
      val (outB, gradB, inGradB) = outputsAndGradients(net, w, batched, 3, lengths, dy)
      val middle = outB.slice(net.outputShape.size, net.outputShape.size + outA.length)
      assert(maxDiff(outA, middle) < 1e-6)
      if (sequences)
        assert(
          outB.slice(net.outputShape.size + len * width, 2 * net.outputShape.size).forall(_ == 0f)
        )
      assert(maxDiff(gradA, gradB) < 1e-5)
      assert(
        maxDiff(inGradA, inGradB.slice(steps * features, steps * features + alone.length)) < 1e-6
      )
    }
  }
}
