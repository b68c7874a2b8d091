package dlmllib.engine

import java.util.Random

import scala.jdk.CollectionConverters._

import dlmllib.nn._
import dlmllib.optim.{Adam, Optimizer, Sgd}
import org.scalatest.funsuite.AnyFunSuite

/** A trainer on several threads cuts each step's batch into slices ([[Slices]]). */
class SlicesSuite extends AnyFunSuite {
  import SlicesSuite._

  private val rng = new Random(4L)
  private def values(n: Int) = Array.fill(n)(rng.nextFloat() * 2 - 1)

  /** Weights and losses after 4 steps on `batch` with a trainer of `threads`. */
  private def train(
      net: Network,
      loss: Loss,
      batch: Batch,
      threads: Int,
      seed: Long = 1L,
      optimizer: Optimizer = Adam()
  ): (Array[Float], Seq[Double]) = {
    val trainer =
      new LocalTrainer(net, loss, optimizer, maxBatch = 8, seed = seed, threads = threads)
    trainer.learningRate = 0.01f
    val w = net.initWeights(3L)
    val losses = (1 to 4).map(_ => trainer.step(w, batch))
    (w, losses)
  }

  private def assertClose(a: (Array[Float], Seq[Double]), b: (Array[Float], Seq[Double])) = {
    val worst = a._1.indices.map(i => math.abs(a._1(i) - b._1(i))).max
    assert(worst <= 1e-5f, s"max weight difference $worst")
    a._2.zip(b._2).foreach { case (x, y) => assert(math.abs(x - y) <= 1e-5 * math.abs(x)) }
  }

  test("a step on slices gives one thread's weights and losses, within rounding") {
    val recorder = Recorder()
    val cnn = new Network(
      Shape.of(1, 6, 6),
      recorder +: LayerSpec.parse("conv2d(3, 3, relu); maxpool(2); dense(5, tanh); dense(3)")
    )
    val images = Batch(values(7 * 36), Array(0f, 2f, 1f, 1f, 0f, 2f, 1f), 7)
    val one = train(cnn, SoftmaxCrossEntropy, images, 1)
    recorder.seen.clear()
    for (threads <- Seq(2, 3)) assertClose(train(cnn, SoftmaxCrossEntropy, images, threads), one)
    // 7 samples: slices of 3 and 4, then 2, 2 and 3; the first on the caller, the others on workers
    assert(recorder.seen.asScala.map(_._2).toSet == Set(2, 3, 4))
    val threads = recorder.seen.asScala.map(_._1).toSet
    assert(threads(Thread.currentThread.getName) && threads.exists(_.startsWith("dlmllib-worker")))

    // a target as wide as the output (mean squared error over 2 outputs)
    val dense = new Network(Shape.of(4), LayerSpec.parse("dense(6, sigmoid); dense(2)"))
    val rows = Batch(values(5 * 4), values(5 * 2), 5)
    assertClose(train(dense, MeanSquaredError, rows, 2), train(dense, MeanSquaredError, rows, 1))

    // sequences of their own lengths
    val lstm = new Network(Shape.of(4, 3), IndexedSeq(Recurrent("lstm", 5), Dense(2)))
    val sequences = Batch(values(6 * 12), Array(0f, 1f, 1f, 0f, 1f, 0f), 6, Array(4, 1, 3, 2, 4, 2))
    assertClose(
      train(lstm, SoftmaxCrossEntropy, sequences, 2),
      train(lstm, SoftmaxCrossEntropy, sequences, 1)
    )
  }

  test("dropout on slices: the same seed gives the same weights, another seed others") {
    val net = new Network(Shape.of(6), LayerSpec.parse("dense(8, relu); dropout(0.5); dense(2)"))
    val b = Batch(values(8 * 6), Array(0f, 1f, 1f, 0f, 1f, 0f, 0f, 1f), 8)
    val a = train(net, SoftmaxCrossEntropy, b, 2, seed = 5L)._1
    assert(train(net, SoftmaxCrossEntropy, b, 2, seed = 5L)._1.sameElements(a))
    assert(!train(net, SoftmaxCrossEntropy, b, 2, seed = 6L)._1.sameElements(a))
  }

  test("batch norm on slices normalises with the whole batch's statistics") {
    // the running statistics are weights too: one thread's within rounding means the whole batch's.
    // SGD: the biases before a batch norm have a gradient of 0 plus rounding, which Adam's
    // normalised steps would turn into steps of the learning rate either way
    val net = new Network(
      Shape.of(2, 6, 6),
      LayerSpec.parse(
        "conv2d(4, 3, padding=same); batchnorm(); residual(4, 3); dense(5); batchnorm()"
      )
        :+ Dense(3)
    )
    val b = Batch(values(7 * 72), Array(0f, 2f, 1f, 1f, 0f, 2f, 1f), 7)
    val one = train(net, SoftmaxCrossEntropy, b, 1, optimizer = Sgd)
    for (threads <- Seq(2, 3))
      assertClose(train(net, SoftmaxCrossEntropy, b, threads, optimizer = Sgd), one)
  }

  test("an error in any slice fails the step with that error, also while others wait for it") {
    val net = new Network(Shape.of(2), IndexedSeq(Dense(2), BatchNorm(), Recorder(failOn = 3)))
    val trainer = new LocalTrainer(net, SoftmaxCrossEntropy, Adam(), maxBatch = 8, threads = 2)
    val b = Batch(values(5 * 2), Array(0f, 1f, 1f, 0f, 1f), 5) // slices of 2 and 3
    val e = intercept[IllegalStateException](trainer.step(net.initWeights(1L), b))
    assert(e.getMessage == "a slice of 3")
  }
}

object SlicesSuite {

  /** Passes its input through, recording the thread and the batch size of each forward; throws on a
    * batch of `failOn` samples.
    */
  final case class Recorder(failOn: Int = 0) extends Layer {
    val seen = new java.util.concurrent.ConcurrentLinkedQueue[(String, Int)]()
    def toSpec: String = "recorder()"
    def outputShape(input: Shape): Shape = input
    def kernel(input: Shape, offset: Int, maxBatch: Int): Kernel = new Kernel {
      def forward(ctx: Context, in: Array[Float], batch: Int): Array[Float] = {
        if (batch == failOn) throw new IllegalStateException(s"a slice of $batch")
        seen.add((Thread.currentThread.getName, batch))
        in
      }
      def backward(ctx: Context, dy: Array[Float], batch: Int, need: Boolean): Array[Float] = dy
    }
  }
}
