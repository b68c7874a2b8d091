package dlmllib.nn

import java.util.Random
import org.scalatest.funsuite.AnyFunSuite

/** Finite-difference checks of the recurrent layers and the embedding. */
class RecurrentGradientSuite extends AnyFunSuite {
  private val tolerance = 1e-2 // correct kernels stay below 7e-3; a 1% slip in one term fails
  private val in = Shape.of(5, 3)

  for {
    cell <- Recurrent.Cells
    bidirectional <- Seq(false, true)
    sequences <- Seq(false, true)
    lengths <- Seq(null, Array(5, 1, 3))
  } {
    val masked = if (lengths == null) "full length" else "lengths 5, 1, 3"
    test(s"$cell bidirectional=$bidirectional sequences=$sequences, $masked") {
      val layer = Recurrent(cell, 4, sequences, bidirectional)
      val result = GradientCheck.checkLayer(layer, in, batch = 3, lengths = lengths)
      info(result.toString)
      assert(result.maxError < tolerance, result.toString)
    }
  }

  test("two stacked recurrent layers under a recurrent many-to-one head, with lengths") {
    val net = new Network(
      in,
      IndexedSeq(
        Recurrent("lstm", 4, returnSequences = true, bidirectional = true),
        Recurrent("gru", 3, returnSequences = true),
        Recurrent("rnn", 2)
      )
    )
    val rng = new Random(5)
    val x = Array.fill(3 * in.size)(rng.nextGaussian().toFloat)
    val result = GradientCheck.check(net, x, 3, lengths = Array(2, 5, 1))
    assert(result.maxError < tolerance, result.toString)
  }

  test("two stacked recurrent layers with a dense layer on top, with lengths") {
    val net = new Network(
      in,
      IndexedSeq(
        Recurrent("gru", 4, returnSequences = true, bidirectional = true),
        Recurrent("lstm", 3, bidirectional = true),
        Dense(2, Tanh)
      )
    )
    val rng = new Random(6)
    val x = Array.fill(3 * in.size)(rng.nextGaussian().toFloat)
    val result = GradientCheck.check(net, x, 3, lengths = Array(5, 1, 4))
    info(result.toString)
    assert(result.maxError < tolerance, result.toString)
  }

  test("embedding (weights; ids are not differentiable), with and without lengths") {
    val net = new Network(Shape.of(4), IndexedSeq(Embedding(7, 3), Recurrent("gru", 2)))
    val ids = Array[Float](0, 3, 6, 3, 1, 1, 2, 0, 5, 4, 6, 6)
    for (lengths <- Seq(null, Array(4, 2, 1))) {
      val result = GradientCheck.check(net, ids, 3, lengths = lengths, checkInputs = false)
      info(result.toString)
      assert(result.maxError < tolerance, result.toString)
    }
  }
}
