package dlmllib.nn

import org.scalatest.funsuite.AnyFunSuite

/** Finite differences against every layer's backward pass, weights and inputs. Smooth layers use
  * eps = 1e-2 (float32 rounding noise ~1e-5 absolute, relative errors below ~6e-3); layers with
  * kinks (relu, max pool) use eps = 1e-3 so that few perturbations cross one, and count errors
  * below 0.1 in absolute terms (rounding noise up to ~2e-3 through batch norm). A real bug gives
  * O(1) errors. Where a perturbed weight moves every position of a channel across relus (residual
  * blocks, convs before relu), a few values still sit on a kink: those checks bound the fraction of
  * values off by more than the tolerance instead of the maximum.
  */
class LayerGradientSuite extends AnyFunSuite {
  private val tolerance = 1e-2

  private def check(layer: Layer, in: Shape, batch: Int = 3, kinks: Boolean = false): Unit = {
    val r =
      if (kinks) GradientCheck.checkLayer(layer, in, batch = batch, eps = 1e-3f, floor = 0.1)
      else GradientCheck.checkLayer(layer, in, batch = batch)
    info(r.toString)
    assert(r.maxError < tolerance, r.toString)
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

  private def checkMostly(r: GradientCheck.Result, allowed: Double = 0.02): Unit = {
    val off = r.fractionAbove(tolerance)
    info(f"$r, ${off * 100}%.1f%% above $tolerance")
    assert(r.errors.length > 200 && off <= allowed, f"${off * 100}%.1f%% above $tolerance: $r")
  }

  for (
    (layer, in) <- Seq(
      Residual(3, 3) -> Shape.of(3, 5, 5), // identity shortcut
      Residual(4, 3, stride = 2) -> Shape.of(2, 7, 6), // projection with stride
      Residual(4, 3) -> Shape.of(2, 5, 5) // projection for new channels
    )
  )
    test(s"residual block ${layer.toSpec} on $in") {
      checkMostly(GradientCheck.checkLayer(layer, in, batch = 2, eps = 1e-3f, floor = 0.1))
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
    info(r.toString)
    assert(r.maxError < tolerance, r.toString)
  }

  test("a network with kinks: conv relu, max pool, residual, global pool, dense") {
    val net = new Network(
      Shape.of(1, 8, 8),
      IndexedSeq(Conv2D(3, 3, Relu), MaxPool2D(2), Residual(4, 2), GlobalAvgPool(), Dense(3))
    )
    val rng = new java.util.Random(12)
    val input = Array.fill(net.inputShape.size * 2)(rng.nextGaussian().toFloat)
    checkMostly(GradientCheck.check(net, input, 2, eps = 1e-3f, floor = 0.1), allowed = 0.06)
  }
}
