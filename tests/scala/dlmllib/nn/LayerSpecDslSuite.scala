package dlmllib.nn

import org.scalatest.funsuite.AnyFunSuite

class LayerSpecDslSuite extends AnyFunSuite {

  private def fails(spec: String): String =
    intercept[IllegalArgumentException](LayerSpec.parse(spec)).getMessage

  test("the API example parses to its layers") {
    val layers = LayerSpec.parse(
      "conv2d(32, 3, relu); maxpool(2); conv2d(64, 3, relu, padding=same); maxpool(2);\n" +
        "dense(128, relu); dropout(0.5)"
    )
    assert(
      layers == IndexedSeq(
        Conv2D(32, 3, Relu),
        MaxPool2D(2, 2),
        Conv2D(64, 3, Relu, padding = Same),
        MaxPool2D(2, 2),
        Dense(128, Relu),
        Dropout(0.5)
      )
    )
  }

  test("keywords, defaults, case and whitespace") {
    assert(
      LayerSpec.parse(" CONV2D ( filters = 8 ,kernel=5, Padding=SAME, stride=2 ) ;MaxPool(3,1)") ==
        IndexedSeq(Conv2D(8, 5, Linear, 2, Same), MaxPool2D(3, 1))
    )
    assert(LayerSpec.parse("avgpool(2, stride=1)") == IndexedSeq(AvgPool2D(2, 1)))
    assert(LayerSpec.parse("maxpool2d(size=2)") == IndexedSeq(MaxPool2D(2, 2)))
    assert(LayerSpec.parse("dense(10);") == IndexedSeq(Dense(10)))
    assert(LayerSpec.parse("flatten; globalavgpool()") == IndexedSeq(Flatten(), GlobalAvgPool()))
    assert(LayerSpec.parse("batchnorm(eps=1e-3)") == IndexedSeq(BatchNorm(0.1, 1e-3)))
    assert(LayerSpec.parse("residual(16, 3, 2)") == IndexedSeq(Residual(16, 3, 2)))
    assert(
      LayerSpec.parse("embedding(8570, 64); lstm(64, return_sequences=TRUE); gru(hidden=8)") ==
        IndexedSeq(Embedding(8570, 64), Recurrent("lstm", 64, true), Recurrent("gru", 8))
    )
  }

  test("every layer and keyword variant prints and parses back to an equal layer") {
    val layers: Seq[Layer] =
      Activation.all.flatMap(a => Seq(Dense(7, a))) ++
        (for {
          a <- Activation.all
          p <- Padding.all
          s <- Seq(1, 2)
          conv <- Seq(Conv2D(4, 3, a, s, p), Conv1D(5, 2, a, s, p))
        } yield conv) ++
        Seq(Conv2D(4, 3), Conv1D(4, 3), MaxPool2D(2, 2), MaxPool2D(3, 1), AvgPool2D(2, 2)) ++
        Seq(AvgPool2D(3, 2), GlobalAvgPool(), Flatten(), Dropout(0.5), Dropout(0.125)) ++
        Seq(BatchNorm(), BatchNorm(0.01), BatchNorm(0.1, 1e-3), BatchNorm(0.2, 2.5e-7)) ++
        Seq(Residual(16, 3), Residual(32, 3, 2), Embedding(8570, 64)) ++
        (for {
          c <- Seq("lstm", "gru", "rnn")
          seq <- Seq(false, true)
          bi <- Seq(false, true)
        } yield Recurrent(c, 9, seq, bi))
    layers.foreach(l => assert(LayerSpec.parse(l.toSpec) == IndexedSeq(l), l.toSpec))
    val spec = LayerSpec.print(layers)
    assert(LayerSpec.parse(spec) == layers.toIndexedSeq)
    assert(LayerSpec.parse(spec.toUpperCase.replace(";", " ;\n  ")) == layers.toIndexedSeq)
  }

  test("unknown layer names list the known ones") {
    val m = fails("dense(10); convolution(3, 3)")
    assert(m.contains("offset 11") && m.contains("`convolution(3, 3)`"), m)
    assert(m.contains("unknown layer `convolution`"), m)
    LayerSpec.layerNames.foreach(n => assert(m.contains(n), m))
  }

  test("wrong argument counts") {
    val tooMany = fails("dense(10, relu, 3)")
    assert(tooMany.contains("offset 16") && tooMany.contains("at most 2 arguments"), tooMany)
    assert(tooMany.contains("dense(units, activation=…)") && tooMany.contains("found 3"), tooMany)
    val missing = fails("conv2d(32)")
    assert(missing.contains("offset 0") && missing.contains("needs its kernel"), missing)
    assert(fails("dropout()").contains("needs its rate"))
    assert(fails("flatten(1)").contains("takes at most 0 arguments"))
  }

  test("bad numbers and values name the parameter and what was found") {
    val m = fails("conv2d(32, 3x, relu)")
    assert(m.contains("offset 11") && m.contains("expected an integer for kernel, found `3x`"), m)
    assert(fails("dense(1.5)").contains("expected an integer for units, found `1.5`"))
    assert(fails("dropout(half)").contains("expected a number for rate, found `half`"))
    val act = fails("dense(10, softplus)")
    assert(act.contains("expected an activation (relu, leakyrelu, sigmoid, tanh, linear)"), act)
    assert(act.contains("`softplus`"), act)
    assert(fails("conv2d(3, 3, padding=full)").contains("expected a padding (valid, same)"))
    val b = fails("lstm(4, sequences=yes)")
    assert(b.contains("offset 18") && b.contains("expected true or false for sequences"), b)
  }

  test("unknown, repeated and misplaced keywords") {
    val m = fails("maxpool(2, strides=2)")
    assert(m.contains("offset 11") && m.contains("unknown keyword `strides` for maxpool"), m)
    assert(m.contains("expected one of size, stride"), m)
    assert(fails("dense(4, units=5)").contains("units of dense is given twice"))
    assert(fails("dense(units=4, relu)").contains("positional argument `relu` after keyword"))
    assert(fails("flatten(x=1)").contains("flatten takes no arguments"))
    assert(fails("dense(4, =relu)").contains("expected a keyword before `=`"))
    assert(fails("dense(4, activation=)").contains("expected a value after `activation=`"))
  }

  test("unbalanced parentheses") {
    val open = fails("dense(10; dropout(0.5)")
    assert(open.contains("unbalanced parentheses") && open.contains("offset 5"), open)
    assert(open.contains("`dense(10`") && open.contains("before `;`"), open)
    assert(fails("dense(10").contains("not closed before the end of the spec"))
    assert(fails("dense(10))").contains("one `)` too many"))
    assert(fails("dense 10)").contains("expected `(` after the layer name `dense`, found `1`"))
    assert(fails("dense)").contains("`)` without `(`"))
    assert(fails("dense(max(2))").contains("unexpected `(`"))
    assert(fails("dense(10,").contains("not closed"))
  }

  test("empty layers and specs") {
    val m = fails("dense(10);; dropout(0.5)")
    assert(m.contains("offset 10") && m.contains("empty layer"), m)
    assert(fails("  ").contains("the spec is empty"))
    assert(fails(";").contains("the spec is empty"))
    assert(fails("dense(10, )").contains("expected an argument, found `)`"))
    assert(fails("(10)").contains("expected a layer name, found `(`"))
  }

  test("a layer's own checks are reported at the layer") {
    val m = fails("dense(10); lstm(0)")
    assert(m.contains("offset 11") && m.contains("`lstm(0)`") && m.contains("positive"), m)
  }
}
