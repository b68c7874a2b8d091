package dlmllib.nn

import java.util.Random
import org.scalatest.funsuite.AnyFunSuite

/** Layer descriptions: specs, shapes, errors, weight counts and initialisation. */
class LayerSpecSuite extends AnyFunSuite {

  test("layers print in the layer-spec DSL, only non-default keyword arguments") {
    val specs = Seq(
      Dense(128, Relu) -> "dense(128, relu)",
      Dense(10) -> "dense(10)",
      Conv2D(32, 3, Relu) -> "conv2d(32, 3, relu)",
      Conv2D(
        64,
        3,
        Relu,
        stride = 2,
        padding = Same
      ) -> "conv2d(64, 3, relu, stride=2, padding=same)",
      Conv2D(8, 5, padding = Same) -> "conv2d(8, 5, padding=same)",
      Conv1D(16, 3, Tanh, stride = 2) -> "conv1d(16, 3, tanh, stride=2)",
      MaxPool2D(2) -> "maxpool(2)",
      MaxPool2D(3, 2) -> "maxpool(3, stride=2)",
      AvgPool2D(2, 2) -> "avgpool(2)",
      GlobalAvgPool() -> "globalavgpool()",
      Flatten() -> "flatten()",
      Dropout(0.5) -> "dropout(0.5)",
      Residual(64, 3) -> "residual(64, 3)",
      Residual(64, 3, stride = 2) -> "residual(64, 3, stride=2)"
    )
    specs.foreach { case (l, s) => assert(l.toSpec == s && l.toString == s) }
  }

  test("output shapes") {
    val img = Shape.of(1, 28, 28)
    assert(Conv2D(6, 5).outputShape(img) == Shape.of(6, 24, 24))
    assert(Conv2D(6, 5, padding = Same).outputShape(img) == Shape.of(6, 28, 28))
    assert(
      Conv2D(6, 3, stride = 2, padding = Same).outputShape(Shape.of(1, 7, 7)) == Shape.of(6, 4, 4)
    )
    assert(Conv2D(6, 3, stride = 2).outputShape(Shape.of(1, 8, 8)) == Shape.of(6, 3, 3))
    assert(MaxPool2D(2).outputShape(Shape.of(6, 25, 24)) == Shape.of(6, 12, 12))
    assert(MaxPool2D(3, 2).outputShape(Shape.of(6, 7, 7)) == Shape.of(6, 3, 3))
    assert(GlobalAvgPool().outputShape(Shape.of(6, 5, 5)) == Shape.of(6))
    assert(Flatten().outputShape(Shape.of(6, 5, 5)) == Shape.of(150))
    assert(Residual(8, 3, 2).outputShape(Shape.of(4, 7, 6)) == Shape.of(8, 4, 3))
    assert(Conv1D(4, 3).outputShape(Shape.of(10, 2)) == Shape.of(8, 4))
    assert(Conv1D(4, 3, stride = 2, padding = Same).outputShape(Shape.of(9, 2)) == Shape.of(5, 4))
  }

  test("shape errors name the layer, what it needs and what it found") {
    def message(l: Layer, in: Shape) =
      intercept[IllegalArgumentException](l.outputShape(in)).getMessage
    assert(
      message(Conv2D(32, 5), Shape.of(1, 3, 3)) ==
        "conv2d(32, 5) needs an input of at least 5×5, found [1, 3, 3]"
    )
    assert(
      message(Conv2D(32, 5), Shape.of(784)) ==
        "conv2d(32, 5) needs an input [channels, height, width], found [784]"
    )
    assert(message(MaxPool2D(2), Shape.of(3, 1, 4)).contains("at least 2×2, found [3, 1, 4]"))
    assert(message(Conv1D(4, 5), Shape.of(3, 2)).contains("at least 5 time steps, found [3, 2]"))
    assert(message(Conv1D(4, 5), Shape.of(3, 2, 2)).contains("[timesteps, features]"))
    assert(message(GlobalAvgPool(), Shape.of(3, 2)).contains("found [3, 2]"))
    assert(message(Residual(4, 3), Shape.of(10)).contains("residual(4, 3) needs"))
    assert(message(BatchNorm(), Shape.of(1, 2, 3, 4)).contains("found [1, 2, 3, 4]"))
    val e = intercept[IllegalArgumentException](
      new Network(Shape.of(1, 4, 4), IndexedSeq(Conv2D(2, 3), Conv2D(2, 3)))
    )
    assert(e.getMessage.startsWith("layer 2 `conv2d(2, 3)`"))
    assert(intercept[IllegalArgumentException](Dropout(1.0)).getMessage.contains("found 1.0"))
    assert(intercept[IllegalArgumentException](MaxPool2D(2, 0)).getMessage.contains("stride"))
    assert(Padding.fromName("SAME") == Same)
    assert(
      intercept[IllegalArgumentException](Padding.fromName("full")).getMessage
        .contains("valid, same")
    )
  }

  test("weight counts and regularised ranges") {
    val in = Shape.of(3, 8, 8)
    assert(Conv2D(4, 3).numWeights(in) == 4 * 27 + 4)
    assert(Conv2D(4, 3).regularized(in) == Seq((0, 108)))
    assert(Conv1D(4, 3).numWeights(Shape.of(10, 2)) == 4 * 6 + 4)
    assert(MaxPool2D(2).numWeights(in) == 0)
    // identity block: conv 3→3, bn, conv 3→3, bn
    assert(Residual(3, 3).numWeights(in) == 2 * (81 + 3 + 12))
    // projection block adds a 1×1 conv 3→4 and its batch norm
    val proj = Residual(4, 3, 2)
    assert(proj.numWeights(in) == (108 + 4) + 16 + (144 + 4) + 16 + (12 + 4) + 16)
    assert(proj.regularized(in) == Seq((0, 108), (128, 144), (292, 12)))
  }

  private def stats(a: Seq[Float]): (Double, Double) = {
    val m = a.map(_.toDouble).sum / a.size
    (m, math.sqrt(a.map(v => (v - m) * (v - m)).sum / a.size))
  }

  test("He initialisation before relus, Glorot otherwise, zero biases") {
    val in = Shape.of(16, 10, 10)
    def init(l: Layer) = {
      val w = new Array[Float](l.numWeights(in)); l.initWeights(in, w, 0, new Random(3)); w
    }
    val he = init(Conv2D(64, 3, Relu))
    val (m, sd) = stats(he.take(64 * 144).toSeq)
    assert(math.abs(m) < 0.01 && math.abs(sd - math.sqrt(2.0 / 144)) < 0.005)
    assert(he.drop(64 * 144).forall(_ == 0f))
    val glorot = init(Conv2D(64, 3, Tanh))
    val limit = math.sqrt(6.0 / (144 + 64 * 9))
    assert(glorot.take(64 * 144).forall(v => math.abs(v) <= limit))
    assert(math.abs(stats(glorot.take(64 * 144).toSeq)._2 - limit / math.sqrt(3)) < 0.005)
    val dense = init(Dense(50))
    assert(dense.take(50 * 1600).forall(v => math.abs(v) <= math.sqrt(6.0 / 1650)))
  }

  test("dropout is the identity in inference and keeps the mean in training") {
    val net = new Network(Shape.of(1000), IndexedSeq(Dropout(0.3)))
    val exec = net.executor(1)
    val x = Array.fill(1000)(1f)
    assert(exec.forward(Array.emptyFloatArray, x, 1, training = false).take(1000).forall(_ == 1f))
    exec.context.rng = new Random(4)
    val out = exec.forward(Array.emptyFloatArray, x, 1, training = true).take(1000)
    assert(out.forall(v => v == 0f || math.abs(v - 1 / 0.7f) < 1e-6))
    assert(math.abs(out.count(_ == 0f) / 1000.0 - 0.3) < 0.05)
  }
}
