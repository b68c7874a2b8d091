package dlmllib.nn

import org.scalatest.funsuite.AnyFunSuite

/** The descriptions of the recurrent layers and the embedding: DSL, shapes, weights, errors. */
class RecurrentLayerSuite extends AnyFunSuite {

  test("toSpec prints only the non-default options") {
    assert(Recurrent("lstm", 64).toSpec === "lstm(64)")
    assert(Recurrent("gru", 32, returnSequences = true).toSpec === "gru(32, sequences=true)")
    assert(Recurrent("rnn", 16, bidirectional = true).toSpec === "rnn(16, bidirectional=true)")
    assert(
      Recurrent("lstm", 8, returnSequences = true, bidirectional = true).toSpec ===
        "lstm(8, sequences=true, bidirectional=true)"
    )
    assert(Embedding(8570, 64).toSpec === "embedding(8570, 64)")
  }

  test("an unknown cell or a bad size is refused with the accepted values") {
    val e = intercept[IllegalArgumentException](Recurrent("LSTMs", 8))
    assert(e.getMessage.contains("lstm, gru, rnn") && e.getMessage.contains("'LSTMs'"))
    assert(intercept[IllegalArgumentException](Recurrent("gru", 0)).getMessage.contains("found 0"))
    assert(intercept[IllegalArgumentException](Embedding(0, 4)).getMessage.contains("found 0"))
  }

  test("output shapes, and sequences only") {
    val in = Shape.of(50, 32)
    assert(Recurrent("lstm", 10).outputShape(in) === Shape.of(10))
    assert(Recurrent("lstm", 10, bidirectional = true).outputShape(in) === Shape.of(20))
    assert(Recurrent("gru", 10, returnSequences = true).outputShape(in) === Shape.of(50, 10))
    assert(Recurrent("rnn", 10, true, true).outputShape(in) === Shape.of(50, 20))
    val e = intercept[IllegalArgumentException](
      new Network(Shape.of(3, 28, 28), IndexedSeq(Recurrent("lstm", 4)))
    )
    assert(e.getMessage.contains("[timesteps, features]") && e.getMessage.contains("[3, 28, 28]"))
    assert(Embedding(100, 8).outputShape(Shape.of(20)) === Shape.of(20, 8))
    assert(Embedding(100, 8).outputShape(Shape.of(20, 1)) === Shape.of(20, 8))
    intercept[IllegalArgumentException](Embedding(100, 8).outputShape(Shape.of(20, 2)))
  }

  test("weight counts follow PyTorch's parameters") {
    // torch.nn.LSTM(32, 128): 4·128·32 + 4·128·128 + 2·4·128 = 82,944 per direction.
    assert(Recurrent("lstm", 128).numWeights(Shape.of(50, 32)) === 82944)
    assert(Recurrent("lstm", 128, bidirectional = true).numWeights(Shape.of(50, 32)) === 165888)
    // torch.nn.GRU(5, 3): 9·5 + 9·3 + 18 = 90; torch.nn.RNN(5, 3): 15 + 9 + 6 = 30.
    assert(Recurrent("gru", 3).numWeights(Shape.of(7, 5)) === 90)
    assert(Recurrent("rnn", 3).numWeights(Shape.of(7, 5)) === 30)
    assert(Embedding(8570, 64).numWeights(Shape.of(100)) === 8570 * 64)
  }

  test("initialisation: Glorot input weights, orthogonal recurrent blocks, forget bias 1") {
    val (f, h) = (6, 5)
    val layer = Recurrent("lstm", h, bidirectional = true)
    val net = new Network(Shape.of(4, f), IndexedSeq(layer))
    val w = net.initWeights(9)
    val per = 4 * h * f + 4 * h * h + 8 * h
    for (d <- 0 until 2) {
      val base = d * per
      val limit = math.sqrt(6.0 / (f + 4 * h))
      val ih = w.slice(base, base + 4 * h * f)
      assert(ih.forall(v => math.abs(v) <= limit) && ih.exists(v => math.abs(v) > limit / 2))
      for (g <- 0 until 4) {
        val q = base + 4 * h * f + g * h * h
        for (i <- 0 until h; k <- 0 until h) {
          val dot = (0 until h).map(j => w(q + i * h + j) * w(q + k * h + j)).sum
          assert(math.abs(dot - (if (i == k) 1 else 0)) < 1e-5, s"rows $i, $k of gate $g")
        }
      }
      val biases = w.slice(base + 4 * h * f + 4 * h * h, base + per)
      assert(biases.slice(h, 2 * h).forall(_ == 1f))
      assert(biases.zipWithIndex.forall { case (v, i) => i >= h && i < 2 * h || v == 0f })
    }
  }

  test("L2 regularisation covers both weight matrices, not the biases nor the embedding") {
    val net = new Network(
      Shape.of(4),
      IndexedSeq(Embedding(10, 3), Recurrent("gru", 2, bidirectional = true))
    )
    val mask = net.regularizationMask
    val per = 6 * 3 + 6 * 2 + 12
    val expected = Array.fill(30)(0f) ++
      Seq.tabulate(2)(_ => Array.fill(30)(1f) ++ Array.fill(12)(0f)).flatten
    assert(per === 42)
    assert(mask.toSeq === expected.toSeq)
  }

  test("a token id outside the vocabulary names the id, the sample and the vocabulary size") {
    val net = new Network(Shape.of(3), IndexedSeq(Embedding(5, 2)))
    val exec = net.executor(2)
    val w = net.initWeights(1)
    val e = intercept[IllegalArgumentException](
      exec.forward(w, Array[Float](0, 1, 4, 2, 5, 1), 2, training = false)
    )
    assert(e.getMessage.contains("5.0") && e.getMessage.contains("sample 1"))
    assert(e.getMessage.contains("[0, 5)"))
    intercept[IllegalArgumentException](exec.forward(w, Array[Float](0, -1, 0), 1, false))
    intercept[IllegalArgumentException](exec.forward(w, Array[Float](0, 1.5f, 0), 1, false))
    // Padded steps are not looked up: an out-of-range id there is ignored and gives zeros.
    val out = exec.forward(w, Array[Float](3, 9, 9), 1, false, Array(1))
    assert(out.slice(0, 2).toSeq === w.slice(6, 8).toSeq)
    assert(out.slice(2, 6).forall(_ == 0f))
  }

  test("embedding gradients accumulate per row; repeated ids add up") {
    val net = new Network(Shape.of(3), IndexedSeq(Embedding(4, 2)))
    val exec = net.executor(1)
    val w = net.initWeights(1)
    exec.forward(w, Array[Float](2, 0, 2), 1, training = true)
    val grad = new Array[Float](w.length)
    exec.backward(grad, Array[Float](1, 2, 3, 4, 5, 6), 1)
    assert(grad.toSeq === Seq[Float](3, 4, 0, 0, 6, 8, 0, 0))
  }

  test("sequence lengths outside 1 to T are refused") {
    val net = new Network(Shape.of(3, 2), IndexedSeq(Recurrent("lstm", 2)))
    val exec = net.executor(2)
    val w = net.initWeights(1)
    val x = new Array[Float](12)
    val e = intercept[IllegalArgumentException](exec.forward(w, x, 2, false, Array(3, 0)))
    assert(e.getMessage.contains("sample 1 has length 0, expected 1 to 3"))
    intercept[IllegalArgumentException](exec.forward(w, x, 2, false, Array(4, 1)))
  }
}
