package dlmllib.nn

import java.util.Random

import org.scalatest.funsuite.AnyFunSuite

class PresetsSuite extends AnyFunSuite {

  private val shapes = Seq(Shape.of(1, 8, 8), Shape.of(1, 28, 28), Shape.of(3, 32, 32))

  test("lenet5 keeps the classic sizes and pads where the input is small") {
    assert(
      Presets.lenet5(Shape.of(1, 28, 28)) == IndexedSeq(
        Conv2D(6, 5, Relu, padding = Same),
        MaxPool2D(2, 2),
        Conv2D(16, 5, Relu),
        MaxPool2D(2, 2),
        Dense(120, Relu),
        Dense(84, Relu)
      )
    )
    assert(Presets.lenet5(Shape.of(3, 32, 32)).head == Conv2D(6, 5, Relu))
    val small = Presets.lenet5(Shape.of(1, 8, 8))
    assert(
      small.take(3) == IndexedSeq(
        Conv2D(6, 5, Relu, padding = Same),
        MaxPool2D(2, 2),
        Conv2D(16, 5, Relu, padding = Same)
      )
    )
    assert(new Network(Shape.of(1, 8, 8), small).shapes(4) == Shape.of(16, 2, 2))
    assert(
      new Network(Shape.of(1, 28, 28), Presets.lenet5(Shape.of(1, 28, 28))).shapes(4) ==
        Shape.of(16, 5, 5)
    )
    assert(
      new Network(Shape.of(3, 32, 32), Presets.lenet5(Shape.of(3, 32, 32))).shapes(4) ==
        Shape.of(16, 5, 5)
    )
  }

  test("vgg adds blocks while the size allows") {
    def convs(s: Shape) = Presets.vgg(s).collect { case c: Conv2D => c.filters }
    assert(convs(Shape.of(1, 8, 8)) == Seq(32, 64))
    assert(convs(Shape.of(1, 28, 28)) == Seq(32, 64, 128))
    assert(convs(Shape.of(3, 32, 32)) == Seq(32, 64, 128, 256))
    assert(
      Presets.vgg(Shape.of(1, 8, 8)) == IndexedSeq(
        Conv2D(32, 3, Relu, padding = Same),
        BatchNorm(),
        MaxPool2D(2, 2),
        Conv2D(64, 3, Relu, padding = Same),
        BatchNorm(),
        MaxPool2D(2, 2),
        Dense(128, Relu),
        Dropout(0.5)
      )
    )
    assert(
      new Network(Shape.of(1, 28, 28), Presets.vgg(Shape.of(1, 28, 28))).shapes(9) ==
        Shape.of(128, 3, 3)
    )
  }

  test("resnet downsamples while the size allows and ends in global average pooling") {
    def strided(s: Shape) = Presets.resnet(s).collect { case r: Residual if r.stride == 2 => r }
    assert(strided(Shape.of(1, 8, 8)) == Seq(Residual(32, 3, 2)))
    assert(strided(Shape.of(1, 28, 28)) == Seq(Residual(32, 3, 2), Residual(64, 3, 2)))
    assert(strided(Shape.of(3, 32, 32)).map(_.filters) == Seq(32, 64, 128))
    val layers = Presets.resnet(Shape.of(3, 32, 32))
    assert(
      layers
        .take(3) == IndexedSeq(Conv2D(16, 3, Relu, padding = Same), BatchNorm(), Residual(16, 3))
    )
    assert(layers.last == GlobalAvgPool())
    val net = new Network(Shape.of(3, 32, 32), layers)
    assert(net.shapes(layers.length - 1) == Shape.of(128, 4, 4))
    assert(net.outputShape == Shape.of(128))
  }

  test("every preset builds a working network for small and classic inputs") {
    for (name <- Presets.names; shape <- shapes) {
      val net = new Network(shape, Presets.resolve(name, shape) :+ Dense(10))
      assert(net.outputShape == Shape.of(10), s"$name on $shape")
      val rng = new Random(1)
      val x = Array.fill(2 * shape.size)(rng.nextFloat())
      val out = net.executor(2).forward(net.initWeights(3L), x, 2, training = true)
      assert(out.take(20).forall(v => !v.isNaN && !v.isInfinite), s"$name on $shape")
      assert(out.take(20).distinct.length > 1, s"$name on $shape")
      // Printing the preset gives a spec that resolves to the same layers.
      assert(
        Presets.resolve(LayerSpec.print(Presets.resolve(name, shape)), shape) ==
          Presets.resolve(name, shape)
      )
    }
  }

  test("tiny and non-square inputs still give networks that fit") {
    val tiny = Shape.of(1, 3, 3)
    for (
      (name, shape) <- Presets.names
        .map(_ -> Shape.of(2, 40, 12)) ++ Seq("lenet5" -> tiny, "vgg" -> tiny, "resnet" -> tiny)
    ) {
      val net = new Network(shape, Presets.resolve(name, shape) :+ Dense(3))
      val out = net.executor(1).forward(net.initWeights(1L), Array.fill(shape.size)(0.5f), 1, false)
      assert(out.take(3).forall(v => !v.isNaN), s"$name on $shape")
    }
    assert(Presets.vgg(Shape.of(1, 3, 3)).collect { case c: Conv2D => c }.length == 1)
    assert(!Presets.lenet5(Shape.of(1, 3, 3)).drop(2).exists(_.isInstanceOf[MaxPool2D]))
    assert(new Network(tiny, Presets.lenet5(tiny)).outputShape == Shape.of(84))
  }

  test("resolve takes preset names in any case, specs, and explains unknown names") {
    assert(Presets.resolve(" LeNet5 ", Shape.of(1, 8, 8)) == Presets.lenet5(Shape.of(1, 8, 8)))
    assert(Presets.resolve("dense(4, relu)", Shape.of(1, 8, 8)) == IndexedSeq(Dense(4, Relu)))
    assert(Presets.resolve("flatten", Shape.of(1, 8, 8)) == IndexedSeq(Flatten()))
    val m = intercept[IllegalArgumentException](Presets.resolve("alexnet", Shape.of(1, 8, 8)))
    assert(m.getMessage.contains("unknown preset `alexnet`"), m.getMessage)
    assert(m.getMessage.contains("lenet5, vgg, resnet"), m.getMessage)
    val r = intercept[IllegalArgumentException](Presets.resolve("vgg", Shape.of(64)))
    assert(r.getMessage.contains("[channels, height, width], found [64]"), r.getMessage)
  }
}
