package dlmllib.nn

import org.scalatest.funsuite.AnyFunSuite

/** Finite differences against every layer's backward pass, weights and inputs: the worst error of
  * each parameter group (inputs; each layer's kernels; its other weights) stays below the
  * tolerance. Smooth layers use eps = 1e-2 (float32 rounding noise ~1e-5 absolute, relative errors
  * below ~6e-3); layers with kinks (relu, max pool) use eps = 1e-3 so that few perturbations cross
  * one, count errors below 0.1 in absolute terms (rounding noise up to ~2e-3 through batch norm),
  * and leave out the points where a kink inside the perturbation could explain the difference (see
  * [[GradientCheck]]); at most a tenth of the points may be left out. A real bug gives O(1) errors.
  */
class LayerGradientSuite extends AnyFunSuite {
  private val tolerance = 1e-2

  private def check(layer: Layer, in: Shape, batch: Int = 3, kinks: Boolean = false): Unit =
    bounded(
      if (kinks) GradientCheck.checkLayer(layer, in, batch, eps = 1e-3f, floor = 0.1, kinks = true)
      else GradientCheck.checkLayer(layer, in, batch = batch)
    )

  /** Every group's worst error below the tolerance, with at most a tenth of the points on kinks. */
  private def bounded(r: GradientCheck.Result): Unit = {
    info(r.toString)
    assert(r.failing(tolerance).isEmpty, r.toString)
    assert(r.checked > 0 && r.onKinks * 10 <= r.checked + r.onKinks, r.toString)
  }

  for (a <- Activation.all) test(s"dense, ${a.name}") {
    check(Dense(5, a), Shape.of(2, 3), kinks = a == Relu || a == LeakyRelu)
  }

  for {
    (stride, padding, in) <- Seq(
      (1, Valid, Shape.of(2, 7, 6)),
      (2, Valid, Shape.of(2, 7, 8)),
      (1, Same, Shape.of(3, 5, 7)),
      (2, Same, Shape.of(2, 7, 6)),
      (3, Same, Shape.of(1, 8, 5))
    )
    a <- Seq(Linear, Tanh)
  } test(s"conv2d stride $stride, ${padding.name}, ${a.name}, on $in") {
    check(Conv2D(4, 3, a, stride, padding), in)
  }

  test("conv2d with relu and an even kernel") {
    check(Conv2D(3, 2, Relu, 1, Same), Shape.of(2, 5, 5), batch = 4, kinks = true)
  }

  for {
    (stride, padding, in) <- Seq(
      (1, Valid, Shape.of(9, 3)),
      (2, Valid, Shape.of(10, 2)),
      (1, Same, Shape.of(7, 3)),
      (3, Same, Shape.of(10, 2))
    )
    a <- Seq(Linear, Sigmoid)
  } test(s"conv1d stride $stride, ${padding.name}, ${a.name}, on $in") {
    check(Conv1D(4, 3, a, stride, padding), in)
  }

  test("max pool, overlapping and gapped windows") {
    check(MaxPool2D(3, 2), Shape.of(2, 7, 8), kinks = true)
    check(MaxPool2D(2, 3), Shape.of(2, 8, 7), kinks = true)
    check(MaxPool2D(2), Shape.of(3, 4, 4), kinks = true)
  }

  test("average pool, overlapping and gapped windows") {
    check(AvgPool2D(3, 2), Shape.of(2, 7, 8))
    check(AvgPool2D(2, 3), Shape.of(2, 8, 7))
  }

  test("global average pool and flatten")(
    { check(GlobalAvgPool(), Shape.of(3, 4, 5)); check(Flatten(), Shape.of(2, 3, 4)) }
  )

  test("dropout in training with a fixed generator") {
    check(Dropout(0.4), Shape.of(20), batch = 5)
  }

  for (in <- Seq(Shape.of(6), Shape.of(5, 3), Shape.of(3, 4, 5)))
    test(s"batch norm in training on $in")(check(BatchNorm(), in, batch = 4))

  test("batch norm in inference") {
    // the running statistics (weights 6 until 12) get zero gradient by design
    val r = GradientCheck.checkLayer(
      BatchNorm(),
      Shape.of(3, 4, 5),
      training = false,
      checkWeight = _ < 6
    )
    assert(r.maxError < tolerance, r.toString)
  }

  for (
    (layer, in) <- Seq(
      Residual(3, 3) -> Shape.of(3, 5, 5), // identity shortcut
      Residual(4, 3, stride = 2) -> Shape.of(2, 7, 6), // projection with stride
      Residual(4, 3) -> Shape.of(2, 5, 5) // projection for new channels
    )
  )
    test(s"residual block ${layer.toSpec} on $in") {
      bounded(GradientCheck.checkLayer(layer, in, 2, eps = 1e-3f, floor = 0.1, kinks = true))
    }

  test("a small network: conv, pool, batch norm, dropout, dense") {
    val net = new Network(
      Shape.of(2, 9, 9),
      IndexedSeq(
        Conv2D(4, 3, Tanh),
        AvgPool2D(2),
        BatchNorm(),
        Conv2D(3, 2, Sigmoid, padding = Same),
        Dropout(0.3),
        Dense(6, Tanh),
        Dense(3)
      )
    )
    val rng = new java.util.Random(11)
    val batch = 4
    val input = Array.fill(net.inputShape.size * batch)(rng.nextGaussian().toFloat)
    val r = GradientCheck.check(net, input, batch)
    bounded(r)
  }

  test("a network with kinks: conv relu, max pool, residual, global pool, dense") {
    val net = new Network(
      Shape.of(1, 8, 8),
      IndexedSeq(Conv2D(3, 3, Relu), MaxPool2D(2), Residual(4, 2), GlobalAvgPool(), Dense(3))
    )
    val rng = new java.util.Random(12)
    val input = Array.fill(net.inputShape.size * 2)(rng.nextGaussian().toFloat)
    bounded(GradientCheck.check(net, input, 2, eps = 1e-3f, floor = 0.1, kinks = true))
  }
}
