package dlmllib.bench

import dlmllib.nn.{Blas, Network, Recurrent, Shape}
import java.util.Random

/** One LSTM training step (forward + backward, no input gradient, as for a first layer) at batch 64
  * × 50 steps × 32 features, hidden 128, against the raw sgemm rate of the same BLAS. Run:
  * `build/sbt "Test/runMain dlmllib.bench.LstmBench"`. Not part of the tests.
  */
object LstmBench {
  private val (batch, steps, features, hidden) = (64, 50, 32, 128)

  def main(args: Array[String]): Unit = {
    val repeats = if (args.nonEmpty) args(0).toInt else 30
    println(
      s"BLAS: ${Blas.blas.getClass.getName}, " +
        s"OPENBLAS_NUM_THREADS=${sys.env.getOrElse("OPENBLAS_NUM_THREADS", "unset")}"
    )

    val net = new Network(Shape.of(steps, features), IndexedSeq(Recurrent("lstm", hidden)))
    val exec = net.executor(batch)
    val w = net.initWeights(1)
    val grad = new Array[Float](w.length)
    val rng = new Random(2)
    val x = Array.fill(batch * steps * features)(rng.nextGaussian().toFloat)
    val dy = Array.fill(batch * hidden)(rng.nextGaussian().toFloat)
    val stepSeconds = bestOf(repeats) {
      exec.forward(w, x, batch, training = true)
      exec.backward(grad, dy, batch)
    }
    // Matrix products only: forward projection and recurrence; backward input-weight,
    // recurrent-weight and recurrent-state gradients (the element-wise work is not counted).
    val g = 4 * hidden
    val flops = 2.0 * batch * g * (steps * features + (steps - 1) * hidden) +
      2.0 * batch * g * (steps * features + steps * hidden + (steps - 1) * hidden)
    println(
      f"LSTM training step: ${stepSeconds * 1e3}%.2f ms, ${flops / stepSeconds / 1e9}%.2f GFLOP/s, " +
        f"${batch / stepSeconds}%.0f sequences/s (${flops / 1e9}%.3f GFLOP per step)"
    )

    val forwardSeconds = bestOf(repeats)(exec.forward(w, x, batch, training = false))
    println(f"  of which forward: ${forwardSeconds * 1e3}%.2f ms")

    // The same BLAS on the shapes of that step, and on a square product.
    sgemmRate("input projection", g, batch * steps, features, repeats)
    sgemmRate("recurrent step", g, batch, hidden, repeats * 20)
    sgemmRate("square 512", 512, 512, 512, repeats)
  }

  private def sgemmRate(name: String, m: Int, n: Int, k: Int, repeats: Int): Unit = {
    val rng = new Random(3)
    val a = Array.fill(m * k)(rng.nextFloat())
    val b = Array.fill(k * n)(rng.nextFloat())
    val c = new Array[Float](m * n)
    val s = bestOf(repeats)(Blas.blas.sgemm("T", "N", m, n, k, 1f, a, 0, k, b, 0, k, 0f, c, 0, m))
    println(f"sgemm $name ($m × $n × $k): ${2.0 * m * n * k / s / 1e9}%.2f GFLOP/s")
  }

  /** Best time of `repeats` runs (after as many warm-up runs), in seconds: the least disturbed by
    * the other processes sharing the machine.
    */
  private def bestOf(repeats: Int)(body: => Unit): Double = {
    for (_ <- 0 until repeats) body
    var best = Double.MaxValue
    for (_ <- 0 until repeats) {
      val t0 = System.nanoTime()
      body
      best = math.min(best, (System.nanoTime() - t0) / 1e9)
    }
    best
  }
}
