package dlmllib.bench

import dlmllib.nn._
import java.util.Random

/** Each layer of a network alone, on one thread: its training forward and its backward (with the
  * input gradient, except for the first layer, which needs none), at a batch size, on random inputs
  * after a relu. Run: `build/sbt "Test/runMain dlmllib.bench.LayerBench 32 <layer spec> 3,32,32"`
  * (batch, layers, input shape). Times are medians of 20 runs after 1.5 s of warm-up. Not a test.
  */
object LayerBench {
  def main(args: Array[String]): Unit = {
    require(args.length == 3, "arguments: batch, layer spec, input shape (e.g. 3,32,32)")
    val batch = args(0).toInt
    var shape = Shape.of(args(2).split(",").map(_.trim.toInt): _*)
    val rng = new Random(2)
    println(s"BLAS: ${Blas.blas.getClass.getName}, batch $batch")
    var total = 0.0
    LayerSpec.parse(args(1)).zipWithIndex.foreach { case (layer, i) =>
      val net = new Network(shape, IndexedSeq(layer))
      val exec = net.executor(batch)
      val w = net.initWeights(1)
      val gradient = new Array[Float](w.length)
      val x = Array.fill(batch * shape.size)(math.max(0f, rng.nextGaussian().toFloat))
      val dy = Array.fill(batch * net.outputShape.size)(rng.nextGaussian().toFloat)
      def forward(): Unit = exec.forward(w, x, batch, training = true)
      val forwardMs = median(forward())
      val backwardMs = median {
        forward()
        if (i == 0) exec.backward(gradient, dy, batch)
        else exec.backwardWithInputGradient(gradient, dy, batch)
      } - forwardMs
      total += forwardMs + backwardMs
      println(
        f"${layer.toSpec}%-40s on ${shape.toString}%-14s forward $forwardMs%7.3f ms, " +
          f"backward $backwardMs%7.3f ms"
      )
      shape = net.outputShape
    }
    println(f"all layers: $total%.2f ms per batch of $batch")
  }

  /** Median milliseconds of 20 runs of `body`, after 1.5 s of warm-up. */
  private def median(body: => Unit): Double = {
    val warm = System.nanoTime()
    while (System.nanoTime() - warm < 1.5e9) body
    val times = (0 until 20).map { _ =>
      val t0 = System.nanoTime()
      body
      (System.nanoTime() - t0) / 1e6
    }
    times.sorted.apply(10)
  }
}
