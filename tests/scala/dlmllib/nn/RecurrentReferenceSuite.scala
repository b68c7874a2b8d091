package dlmllib.nn

import java.util.Random
import org.scalatest.funsuite.AnyFunSuite

/** Forward results against numbers computed by hand and against [[NaiveRecurrent]]. */
class RecurrentReferenceSuite extends AnyFunSuite {

  private def run(
      layer: Recurrent,
      in: Shape,
      w: Array[Float],
      x: Array[Float],
      batch: Int,
      lengths: Array[Int] = null
  ): Array[Float] = {
    val net = new Network(in, IndexedSeq(layer))
    assert(w.length === net.numWeights)
    net
      .executor(batch)
      .forward(w, x, batch, training = false, lengths)
      .take(batch * net.outputShape.size)
  }

  test("LSTM, one input and one unit, two steps, by hand") {
    // W_ih (i, f, g, o) = 0.5, -0.5, 1.0, 0.25; W_hh = 0.1, 0.2, -0.3, 0.4;
    // b_ih = 0, 1, 0, 0; b_hh = 0.1, 0, 0, -0.1; x = 1, -2. Computed with Python's math module:
    // z = W_ih·x + b_ih + W_hh·h + b_hh; i, f, o = sigmoid, g = tanh; c = f·c + i·g;
    // h = o·tanh(c), from h = c = 0: h1 = 0.2448460 (c1 = 0.4917281), h2 = 0.0563751.
    val w =
      Array(0.5f, -0.5f, 1.0f, 0.25f, 0.1f, 0.2f, -0.3f, 0.4f, 0f, 1f, 0f, 0f, 0.1f, 0f, 0f, -0.1f)
    val x = Array(1f, -2f)
    val seq = run(Recurrent("lstm", 1, returnSequences = true), Shape.of(2, 1), w, x, 1)
    assert(math.abs(seq(0) - 0.2448460) < 1e-6)
    assert(math.abs(seq(1) - 0.0563751) < 1e-6)
    val last = run(Recurrent("lstm", 1), Shape.of(2, 1), w, x, 1)
    assert(math.abs(last(0) - 0.0563751) < 1e-6)
  }

  test("GRU, one input and one unit, two steps, by hand") {
    // W_ih (r, z, n) = 0.5, -1.0, 2.0; W_hh = 0.3, 0.6, -0.4; b_ih = 0.1, 0, -0.2;
    // b_hh = 0, 0.2, 0.5; x = 1, -0.5. With Python's math module: r = sigmoid(W_ir·x + b_ir +
    // W_hr·h + b_hr), z likewise, n = tanh(W_in·x + b_in + r·(W_hn·h + b_hn)),
    // h = (1 - z)·n + z·h, from h = 0: h1 = 0.6704841, h2 = 0.3054671.
    val w = Array(0.5f, -1.0f, 2.0f, 0.3f, 0.6f, -0.4f, 0.1f, 0f, -0.2f, 0f, 0.2f, 0.5f)
    val x = Array(1f, -0.5f)
    val seq = run(Recurrent("gru", 1, returnSequences = true), Shape.of(2, 1), w, x, 1)
    assert(math.abs(seq(0) - 0.6704841) < 1e-6)
    assert(math.abs(seq(1) - 0.3054671) < 1e-6)
    // Backward direction alone over the reversed sequence gives the same numbers.
    val bi =
      run(Recurrent("gru", 1, bidirectional = true), Shape.of(2, 1), w ++ w, Array(-0.5f, 1f), 1)
    assert(math.abs(bi(1) - 0.3054671) < 1e-6)
  }

  for {
    cell <- Recurrent.Cells
    bidirectional <- Seq(false, true)
    sequences <- Seq(false, true)
  } test(s"$cell bidirectional=$bidirectional sequences=$sequences matches the scalar reference") {
    val (steps, features, batch) = (6, 3, 4)
    val layer = Recurrent(cell, 5, sequences, bidirectional)
    val in = Shape.of(steps, features)
    val rng = new Random(11)
    val w = new Network(in, IndexedSeq(layer)).initWeights(3)
    // Non-zero biases, so that every bias reaches the reference too.
    for (i <- w.indices) w(i) += 0.1f * rng.nextGaussian().toFloat
    val x = Array.fill(batch * steps * features)(rng.nextGaussian().toFloat)
    for (lengths <- Seq(null, Array(6, 1, 4, 2))) {
      val got = run(layer, in, w, x, batch, lengths)
      val want = NaiveRecurrent.forward(layer, w, x, batch, steps, features, lengths)
      assert(got.length === want.length)
      val err = got.indices.map(i => math.abs(got(i) - want(i))).max
      assert(err < 1e-5, s"max difference $err (lengths ${Option(lengths).map(_.toSeq)})")
    }
  }
}
