package dlmllib.nn

import java.util.Random
import org.scalatest.funsuite.AnyFunSuite

/** Convolution forward passes against hand-worked numbers and a direct (naive) convolution. */
class ConvolutionSuite extends AnyFunSuite {

  private def forward(layer: Layer, in: Shape, w: Array[Float], x: Array[Float], batch: Int) =
    new Network(in, IndexedSeq(layer)).executor(batch).forward(w, x, batch, training = false)

  // 1×4×4 input 1..16 (row-major): x(i, j) = 4i + j + 1
  private val ramp = Array.tabulate(16)(i => (i + 1).toFloat)

  test("conv2d on a hand-worked 4×4 case, valid padding") {
    // filter 0: the 3×3 diagonal, bias 1: x(i,j) + x(i+1,j+1) + x(i+2,j+2) + 1 = 12i + 3j + 19
    // filter 1: all ones, bias 0: 9 · x(i+1, j+1)
    val w = Array(1f, 0, 0, 0, 1, 0, 0, 0, 1) ++ Array.fill(9)(1f) ++ Array(1f, 0f)
    val out = forward(Conv2D(2, 3), Shape.of(1, 4, 4), w, ramp, 1)
    assert(out.take(8).toSeq == Seq(19f, 22f, 31f, 34f, 54f, 63f, 90f, 99f))
  }

  test("conv2d on a hand-worked 4×4 case, same padding with stride 2") {
    // out = ceil(4/2) = 2, one zero row/column of padding after (Keras): windows start at 0 and 2
    // ones kernel: rows 0-2 × cols 0-2 = 54; rows 0-2 × cols 2-3 = 3+4+7+8+11+12 = 45;
    // rows 2-3 × cols 0-2 = 9+10+11+13+14+15 = 72; rows 2-3 × cols 2-3 = 11+12+15+16 = 54
    val w = Array.fill(9)(1f) :+ 0f
    val out = forward(Conv2D(1, 3, stride = 2, padding = Same), Shape.of(1, 4, 4), w, ramp, 1)
    assert(out.take(4).toSeq == Seq(54f, 45f, 72f, 54f))
    // same padding, stride 1: pad one on each side; corner (0,0) sums x(0..1, 0..1) = 1+2+5+6
    val out1 = forward(Conv2D(1, 3, padding = Same), Shape.of(1, 4, 4), w, ramp, 1)
    assert(out1(0) == 14f && out1(5) == 54f && out1(15) == 11f + 12f + 15f + 16f)
  }

  /** Direct convolution with Keras padding worked out independently of [[Padding]]. */
  private def naive2D(
      x: Array[Float],
      w: Array[Float],
      batch: Int,
      c: Int,
      h: Int,
      wd: Int,
      f: Int,
      k: Int,
      s: Int,
      same: Boolean
  ): Array[Float] = {
    def geometry(n: Int) =
      if (same) {
        val out = (n + s - 1) / s
        (out, math.max((out - 1) * s + k - n, 0) / 2)
      } else ((n - k) / s + 1, 0)
    val (oh, pt) = geometry(h)
    val (ow, pl) = geometry(wd)
    val y = new Array[Float](batch * f * oh * ow)
    for (n <- 0 until batch; o <- 0 until f; i <- 0 until oh; j <- 0 until ow) {
      var sum = w(f * c * k * k + o).toDouble
      for (ch <- 0 until c; a <- 0 until k; b <- 0 until k) {
        val (yy, xx) = (i * s - pt + a, j * s - pl + b)
        if (yy >= 0 && yy < h && xx >= 0 && xx < wd)
          sum += w(((o * c + ch) * k + a) * k + b) * x(((n * c + ch) * h + yy) * wd + xx)
      }
      y(((n * f + o) * oh + i) * ow + j) = sum.toFloat
    }
    y
  }

  test("conv2d matches a direct convolution on random shapes, strides and paddings") {
    val rng = new Random(5)
    for (trial <- 0 until 40) {
      val (c, h, wd) = (1 + rng.nextInt(3), 3 + rng.nextInt(8), 3 + rng.nextInt(8))
      val k = 1 + rng.nextInt(math.min(h, wd))
      val (f, s, same, batch) =
        (1 + rng.nextInt(4), 1 + rng.nextInt(3), rng.nextBoolean(), 1 + rng.nextInt(3))
      val layer = Conv2D(f, k, Linear, s, if (same) Same else Valid)
      val in = Shape.of(c, h, wd)
      val w = Array.fill(layer.numWeights(in))(rng.nextGaussian().toFloat)
      val x = Array.fill(batch * in.size)(rng.nextGaussian().toFloat)
      val expected = naive2D(x, w, batch, c, h, wd, f, k, s, same)
      assert(layer.outputShape(in).size * batch == expected.length, s"$layer on $in")
      val out = forward(layer, in, w, x, batch)
      expected.indices.foreach { i =>
        assert(
          math.abs(out(i) - expected(i)) < 1e-4f * (1 + math.abs(expected(i))),
          s"trial $trial: $layer on $in, batch $batch, output $i: ${out(i)} vs ${expected(i)}"
        )
      }
    }
  }

  test("conv2d still matches a direct convolution after backward passes") {
    // im2col never writes the padding's window elements: nothing else may write them either
    val rng = new Random(9)
    for (trial <- 0 until 20; workspace <- Seq(Conv2DKernel.defaultWorkspaceFloats, 0)) {
      val (c, h, wd, k) = (1 + rng.nextInt(3), 3 + rng.nextInt(6), 3 + rng.nextInt(6), 3)
      val (f, s, batch) = (1 + rng.nextInt(3), 1 + rng.nextInt(2), 1 + rng.nextInt(3))
      val layer = Conv2D(f, k, Linear, s, Same)
      val in = Shape.of(c, h, wd)
      val w = Array.fill(layer.numWeights(in))(rng.nextGaussian().toFloat)
      def input() = Array.fill(batch * in.size)(rng.nextGaussian().toFloat)
      val kernel = new Conv2DKernel(layer.geometry(in), f, Linear, 0, batch, workspace)
      val ctx = new Context(w, new Array[Float](w.length))
      ctx.training = true
      val dy = Array.fill(batch * layer.outputShape(in).size)(rng.nextGaussian().toFloat * 9)
      kernel.forward(ctx, input(), batch)
      kernel.backward(ctx, dy, batch, needInputGradient = true)
      val x = input()
      val out = kernel.forward(ctx, x, batch)
      val expected = naive2D(x, w, batch, c, h, wd, f, k, s, same = true)
      expected.indices.foreach { i =>
        assert(
          math.abs(out(i) - expected(i)) < 1e-4f * (1 + math.abs(expected(i))),
          s"trial $trial: $layer on $in, workspace $workspace, output $i"
        )
      }
    }
  }

  test("conv2d with same padding works when the kernel is larger than the input") {
    val rng = new Random(8)
    for ((h, wd, k, st) <- Seq((1, 1, 5, 1), (3, 3, 5, 1), (2, 4, 7, 2), (3, 2, 5, 3))) {
      val layer = Conv2D(2, k, Linear, st, Same)
      val in = Shape.of(2, h, wd)
      val w = Array.fill(layer.numWeights(in))(rng.nextGaussian().toFloat)
      val x = Array.fill(2 * in.size)(rng.nextGaussian().toFloat)
      val expected = naive2D(x, w, 2, 2, h, wd, 2, k, st, same = true)
      val out = forward(layer, in, w, x, 2)
      expected.indices.foreach(i =>
        assert(
          math.abs(out(i) - expected(i)) < 1e-4f * (1 + math.abs(expected(i))),
          s"$layer on $in"
        )
      )
      val r = GradientCheck.checkLayer(layer, in, batch = 2)
      assert(r.maxError < 1e-2, s"$layer on $in: $r")
    }
  }

  test("conv2d gives the same results whether it keeps the windows or unfolds them again") {
    val rng = new Random(6)
    val g = Conv2D(5, 3, Tanh, 2, Same).geometry(Shape.of(3, 9, 8))
    val batch = 7
    val numWeights = 5 * g.windowSize + 5
    val w = Array.fill(numWeights)(rng.nextGaussian().toFloat * 0.3f)
    val x = Array.fill(batch * g.inputSize)(rng.nextGaussian().toFloat)
    val dy = Array.fill(batch * 5 * g.positions)(rng.nextGaussian().toFloat)
    def run(workspace: Int): (Seq[Float], Seq[Float], Seq[Float], Boolean) = {
      val k = new Conv2DKernel(g, 5, Tanh, 0, batch, workspace)
      val ctx = new Context(w, new Array[Float](numWeights))
      val out = k.forward(ctx, x, batch).take(dy.length).toSeq
      val dx = k.backward(ctx, dy, batch, needInputGradient = true).take(x.length).toSeq
      (out, dx, ctx.gradient.toSeq, k.keepsWindows)
    }
    val (out1, dx1, g1, kept1) = run(Conv2DKernel.defaultWorkspaceFloats)
    val (out3, dx3, g3, kept3) = run(3 * g.positions * g.windowSize)
    assert(kept1 && !kept3)
    def close(a: Seq[Float], b: Seq[Float]) =
      a.zip(b).forall { case (u, v) => math.abs(u - v) <= 1e-4f * (1 + math.abs(u)) }
    assert(close(out1, out3) && close(dx1, dx3) && close(g1, g3))
  }

  test("conv1d matches a direct convolution on random shapes, strides and paddings") {
    val rng = new Random(8)
    for (trial <- 0 until 30) {
      val (t, feat) = (2 + rng.nextInt(10), 1 + rng.nextInt(4))
      val k = 1 + rng.nextInt(t)
      val (f, s, same, batch) =
        (1 + rng.nextInt(4), 1 + rng.nextInt(3), rng.nextBoolean(), 1 + rng.nextInt(3))
      val (outT, pad) =
        if (same) { val o = (t + s - 1) / s; (o, math.max((o - 1) * s + k - t, 0) / 2) }
        else ((t - k) / s + 1, 0)
      val layer = Conv1D(f, k, Linear, s, if (same) Same else Valid)
      val in = Shape.of(t, feat)
      assert(layer.outputShape(in) == Shape.of(outT, f))
      val w = Array.fill(layer.numWeights(in))(rng.nextGaussian().toFloat)
      val x = Array.fill(batch * in.size)(rng.nextGaussian().toFloat)
      val out = forward(layer, in, w, x, batch)
      for (n <- 0 until batch; i <- 0 until outT; o <- 0 until f) {
        var sum = w(f * k * feat + o).toDouble
        for (j <- 0 until k; ch <- 0 until feat) {
          val step = i * s - pad + j
          if (step >= 0 && step < t)
            sum += w((o * k + j) * feat + ch) * x((n * t + step) * feat + ch)
        }
        val got = out((n * outT + i) * f + o)
        assert(math.abs(got - sum) < 1e-4 * (1 + math.abs(sum)), s"trial $trial: $layer on $in")
      }
    }
  }

  test("pools on hand-worked numbers") {
    // 1×4×4 ramp; max pool 2: the bottom-right of each window
    assert(
      forward(MaxPool2D(2), Shape.of(1, 4, 4), null, ramp, 1).take(4).toSeq == Seq(6f, 8f, 14f, 16f)
    )
    // size 3 stride 1: 2×2 output, max = bottom-right corner x(i+2, j+2)
    assert(
      forward(MaxPool2D(3, 1), Shape.of(1, 4, 4), null, ramp, 1).take(4).toSeq == Seq(
        11f,
        12f,
        15f,
        16f
      )
    )
    // avg pool 2: mean of 2×2 windows; stride 3 on 4×4 gives one window (floor mode)
    assert(
      forward(AvgPool2D(2), Shape.of(1, 4, 4), null, ramp, 1).take(4).toSeq == Seq(
        3.5f,
        5.5f,
        11.5f,
        13.5f
      )
    )
    assert(AvgPool2D(2, 3).outputShape(Shape.of(1, 4, 4)) == Shape.of(1, 1, 1))
    assert(forward(GlobalAvgPool(), Shape.of(1, 4, 4), null, ramp, 1)(0) == 8.5f)
  }

  test("2×2 max pool takes each window's maximum and routes its gradient to the first of them") {
    val rng = new Random(4L)
    for (in <- Seq(Shape.of(3, 7, 5), Shape.of(2, 6, 8), Shape.of(1, 2, 3))) {
      val batch = 3
      // few distinct values (with -0 beside 0), so that windows hold ties
      val x = Array.fill(batch * in.size)(Seq(-2f, -0f, 0f, 1f, 2f)(rng.nextInt(5)))
      val exec = new Network(in, IndexedSeq(MaxPool2D(2))).executor(batch)
      val out = MaxPool2D(2).outputShape(in)
      val y = exec.forward(null, x, batch, training = true)
      val dy = Array.tabulate(batch * out.size)(o => o + 1f)
      val dx = new Array[Float](batch * in.size)
      exec.backwardWithInputGradient(new Array[Float](0), dy, batch).copyToArray(dx)
      val (h, w) = (in(1), in(2))
      for (plane <- 0 until batch * in(0); oy <- 0 until out(1); ox <- 0 until out(2)) {
        val o = (plane * out(1) + oy) * out(2) + ox
        val window =
          for (ky <- 0 to 1; kx <- 0 to 1) yield (plane * h + 2 * oy + ky) * w + 2 * ox + kx
        val first = window.find(i => x(i) == window.map(x(_)).max).get // -0 == 0
        assert(y(o) == x(first), s"$in window $o")
        window.foreach(i => assert(dx(i) == (if (i == first) dy(o) else 0f), s"$in input $i"))
      }
    }
  }
}
