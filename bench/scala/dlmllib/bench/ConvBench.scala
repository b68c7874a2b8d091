package dlmllib.bench

import dlmllib.nn._
import java.util.Random

/** Throughput of sgemm and of the convolution kernels, on one thread. Not a test: run with
  * `build/sbt "Test/runMain dlmllib.bench.ConvBench"` (see bench/README.md).
  */
object ConvBench {
  private val rng = new Random(1)
  private def randomArray(n: Int) = Array.fill(n)(rng.nextGaussian().toFloat)

  /** Seconds per call of `f`, best of a few timed rounds of about `seconds / 4` each. */
  private def time(seconds: Double)(f: => Unit): Double = {
    val warm = System.nanoTime()
    var calls = 0
    while (System.nanoTime() - warm < 3e8 || calls < 3) { f; calls += 1 }
    val perRound = math.max(1, (seconds / 4 / ((System.nanoTime() - warm) / 1e9 / calls)).toInt)
    (1 to 4).map { _ =>
      val t0 = System.nanoTime()
      var i = 0
      while (i < perRound) { f; i += 1 }
      (System.nanoTime() - t0) / 1e9 / perRound
    }.min
  }

  private def sgemmRate(ta: String, tb: String, m: Int, n: Int, k: Int): Double = {
    val a = randomArray(m * k)
    val b = randomArray(k * n)
    val c = new Array[Float](m * n)
    val (lda, ldb) = (if (ta == "N") m else k, if (tb == "N") k else n)
    val s = time(1.0)(Blas.blas.sgemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, m))
    2.0 * m * n * k / s / 1e9
  }

  final case class ConvCase(name: String, in: Shape, layer: Conv2D)

  def main(args: Array[String]): Unit = {
    val batch = 64
    println(
      s"BLAS: ${Blas.blas.getClass.getName}, OPENBLAS_NUM_THREADS=" +
        sys.env
          .getOrElse("OPENBLAS_NUM_THREADS", "unset") + s", batch $batch; * = the default choice"
    )
    println(f"sgemm 512×512×512 NN: ${sgemmRate("N", "N", 512, 512, 512)}%.1f GFLOP/s")

    val cases = Seq(
      ConvCase(
        "LeNet-5 conv1 1×28×28 → 6@5×5 same",
        Shape.of(1, 28, 28),
        Conv2D(6, 5, Relu, padding = Same)
      ),
      ConvCase("LeNet-5 conv2 6×14×14 → 16@5×5", Shape.of(6, 14, 14), Conv2D(16, 5, Relu)),
      ConvCase("Keras conv1 1×28×28 → 32@3×3", Shape.of(1, 28, 28), Conv2D(32, 3, Relu)),
      ConvCase("Keras conv2 32×26×26 → 64@3×3", Shape.of(32, 26, 26), Conv2D(64, 3, Relu))
    )
    for (c <- cases) {
      val g = c.layer.geometry(c.in)
      val (p, k, f) = (g.positions, g.windowSize, c.layer.filters)
      val out = batch * f * p
      val flops = 2.0 * out * k
      val w = randomArray(c.layer.numWeights(c.in))
      val x = randomArray(batch * c.in.size)
      val dy = randomArray(out)
      println(s"\n${c.name} (P=$p, K=$k, filters=$f)")
      for (
        (label, workspace) <- Seq(
          (if (batch.toLong * p * k <= Conv2DKernel.defaultWorkspaceFloats) "kept*"
           else "kept") -> Int.MaxValue,
          (if (batch.toLong * p * k <= Conv2DKernel.defaultWorkspaceFloats) "recomputed"
           else "recomputed*") -> 0
        )
      ) {
        val kernel = new Conv2DKernel(g, f, Relu, 0, batch, workspace)
        val ctx = new Context(w, new Array[Float](w.length))
        val m = p
        val fwd = time(1.5)(kernel.forward(ctx, x, batch))
        val step = time(1.5) {
          kernel.forward(ctx, x, batch)
          kernel.backward(ctx, dy, batch, needInputGradient = true)
        }
        val rates = Seq(
          sgemmRate("N", "N", m, f, k),
          sgemmRate("T", "N", k, f, m),
          sgemmRate("N", "T", m, k, f)
        )
        println(
          f"  windows $label%-10s: forward ${flops / fwd / 1e9}%5.1f GFLOP/s, " +
            f"forward+backward ${3 * flops / step / 1e9}%5.1f GFLOP/s (${step * 1e3}%.2f ms); " +
            f"raw sgemm at these shapes: forward ${rates(0)}%.1f, dW ${rates(1)}%.1f, dX ${rates(2)}%.1f GFLOP/s"
        )
      }
    }

    for (
      (name, in) <- Seq(
        "LeNet-5 pool1 6×28×28" -> Shape.of(6, 28, 28),
        "Keras pool 64×24×24" -> Shape.of(64, 24, 24)
      )
    ) {
      val kernel = MaxPool2D(2).kernel(in, 0, batch)
      val ctx = new Context(new Array[Float](0), new Array[Float](0))
      val x = randomArray(batch * in.size)
      val dy = randomArray(batch * in.size / 4)
      val infer = time(1.0)(kernel.forward(ctx, x, batch))
      ctx.training = true
      val train = time(1.0) {
        kernel.forward(ctx, x, batch)
        kernel.backward(ctx, dy, batch, needInputGradient = true)
      }
      val bytes = batch * in.size * 4.0
      println(
        f"\nmaxpool(2) on $name: inference forward ${bytes / infer / 1e9}%.2f GB/s of input " +
          f"(${infer * 1e3}%.3f ms), training forward+backward ${train * 1e3}%.3f ms"
      )
    }

    val lenet = new Network(
      Shape.of(1, 28, 28),
      IndexedSeq(
        Conv2D(6, 5, Relu, padding = Same),
        MaxPool2D(2),
        Conv2D(16, 5, Relu),
        MaxPool2D(2),
        Dense(120, Relu),
        Dense(84, Relu),
        Dense(10)
      )
    )
    val exec = lenet.executor(batch)
    val w = lenet.initWeights(1L)
    val grad = new Array[Float](w.length)
    val x = randomArray(batch * 784)
    val labels = Array.fill(batch)(rng.nextInt(10).toFloat)
    val dOut = new Array[Float](batch * 10)
    val step = time(3.0) {
      val out = exec.forward(w, x, batch, training = true)
      SoftmaxCrossEntropy.lossAndGradient(out, labels, batch, 10, dOut)
      exec.backward(grad, dOut, batch)
    }
    val infer = time(2.0)(exec.forward(w, x, batch, training = false))
    println(
      f"\nLeNet-5 (${lenet.toSpec}) forward+backward: ${step * 1e3}%.2f ms per batch of $batch, " +
        f"${batch / step}%.0f images/s; inference forward ${infer * 1e3}%.2f ms, " +
        f"${batch / infer}%.0f images/s"
    )
  }
}
