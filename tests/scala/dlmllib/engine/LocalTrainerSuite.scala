package dlmllib.engine

import java.util.Random

import dlmllib.nn._
import dlmllib.optim.{Adam, Sgd}
import org.scalatest.funsuite.AnyFunSuite

/** LocalTrainer's step on a hand-checkable network: one linear map `y = W x` (no bias, W
  * regularised) under a mean squared error, whose gradients are easy to write down.
  */
class LocalTrainerSuite extends AnyFunSuite {
  import LocalTrainerSuite._

  private val net = new Network(Shape.of(2), IndexedSeq(Linear(1)))
  private val batch = Batch(Array(1f, 2f, 3f, -1f), Array(1f, 0f), 2)

  /** dLoss/dW for w = (w0, w1) on `batch`: mean over samples of 2 * (w.x - t) * x. */
  private def handGradient(w: Array[Float]): Array[Double] = {
    val xs = Seq((1.0, 2.0, 1.0), (3.0, -1.0, 0.0))
    val g = xs.map { case (a, b, t) => val r = w(0) * a + w(1) * b - t; (2 * r * a, 2 * r * b) }
    Array(g.map(_._1).sum / 2, g.map(_._2).sum / 2)
  }

  test("an SGD step applies the loss gradient, L2 and the learning rate") {
    val trainer = new LocalTrainer(net, SquaredError, Sgd, maxBatch = 4, regParam = 0.1)
    trainer.learningRate = 0.05f
    val w = Array(0.5f, -0.25f)
    val g = handGradient(w)
    val loss = trainer.step(w, batch)
    // Loss before the step: mean of (0.5 - 0.5 - 1)^2 and (1.5 + 0.25)^2, plus 0.05 * |w|^2.
    assert(math.abs(loss - ((1.0 + 1.75 * 1.75) / 2 + 0.05 * (0.25 + 0.0625))) < 1e-6)
    assert(math.abs(w(0) - (0.5 - 0.05 * (g(0) + 0.1 * 0.5))) < 1e-6)
    assert(math.abs(w(1) - (-0.25 - 0.05 * (g(1) - 0.1 * 0.25))) < 1e-6)
    assert(trainer.stepCount == 1)
  }

  test("clipping bounds the applied gradient and reports the norm before clipping") {
    val trainer = new LocalTrainer(net, SquaredError, Sgd, maxBatch = 2, clipNorm = 0.5)
    trainer.learningRate = 1f
    val w = Array(0.5f, -0.25f)
    val g = handGradient(w)
    val norm = math.sqrt(g(0) * g(0) + g(1) * g(1))
    trainer.step(w, batch)
    assert(math.abs(trainer.lastGradientNorm - norm) < 1e-5)
    val moved = math.sqrt(math.pow(w(0) - 0.5, 2) + math.pow(w(1) + 0.25, 2))
    assert(norm > 0.5 && math.abs(moved - 0.5) < 1e-5)
  }

  test("Adam steps fit the linear map and evaluate/predict agree with it") {
    val trainer = new LocalTrainer(net, SquaredError, Adam(), maxBatch = 2)
    trainer.learningRate = 0.05f
    val w = net.initWeights(1L)
    (1 to 2000).foreach(_ => trainer.step(w, batch))
    // x = (1, 2) -> 1 and (3, -1) -> 0 is solved exactly by w = (1/7, 3/7).
    assert(math.abs(w(0) - 1.0 / 7) < 1e-3 && math.abs(w(1) - 3.0 / 7) < 1e-3, w.mkString(","))
    assert(trainer.evaluate(w, batch) < 1e-5)
    val out = trainer.predict(w, batch)
    assert(math.abs(out(0) - 1f) < 1e-3 && math.abs(out(1)) < 1e-3)
    assert(trainer.state.length == 4 && trainer.stepCount == 2000)
  }

  test("each step reseeds the training rng from (seed, step)") {
    def draws(seed: Long): Seq[Long] = {
      val recorder = RngRecorder()
      val n = new Network(Shape.of(2), IndexedSeq(recorder, Linear(1)))
      val trainer = new LocalTrainer(n, SquaredError, Sgd, maxBatch = 2, seed = seed)
      val w = n.initWeights(0L)
      (1 to 3).map { _ => trainer.step(w, batch); recorder.last }
    }
    assert(draws(5L) == draws(5L))
    assert(draws(5L) != draws(6L))
    assert(draws(5L).distinct.size == 3)
  }

  test("a trainer that served another replica steps exactly as a new one") {
    // what a round sets (state, step count, rate, seed) is all a step reads from the trainer
    val n = new Network(
      Shape.of(2, 6, 6),
      LayerSpec.parse("conv2d(3, 3, relu); batchnorm(); dropout(0.5); dense(4, tanh)") :+ Linear(1)
    )
    val rng = new Random(2L)
    val b = Batch(Array.fill(3 * 72)(rng.nextFloat()), Array(1f, 0f, 2f), 3)
    def round(trainer: LocalTrainer, seed: Long): Array[Float] = {
      trainer.seed = seed
      trainer.state = Array.tabulate(trainer.state.length)(i => (i % 7) * 1e-3f)
      trainer.stepCount = 40L
      trainer.learningRate = 0.01f
      val w = n.initWeights(9L)
      (1 to 3).foreach(_ => trainer.step(w, b))
      w ++ trainer.state
    }
    val reused = new LocalTrainer(n, SquaredError, Adam(), maxBatch = 4)
    round(reused, 1L)
    val fresh = round(new LocalTrainer(n, SquaredError, Adam(), maxBatch = 4), 2L)
    assert(round(reused, 2L).sameElements(fresh))
    assert(!round(reused, 3L).sameElements(fresh)) // the seed reaches dropout
  }

  test("bad batches and weights are rejected with what was expected") {
    val trainer = new LocalTrainer(net, SquaredError, Sgd, maxBatch = 1)
    val e1 = intercept[IllegalArgumentException](trainer.step(Array(0f, 0f), batch))
    assert(e1.getMessage.contains("batch of 2") && e1.getMessage.contains("maxBatch of 1"))
    val e2 = intercept[IllegalArgumentException](trainer.step(Array(0f), batch))
    assert(e2.getMessage.contains("2 weights"))
    val e3 =
      intercept[IllegalArgumentException](trainer.step(Array(0f, 0f), Batch(Array(1f), null, 1)))
    assert(e3.getMessage.contains("needs 2 features, found 1"))
  }
}

object LocalTrainerSuite {

  /** y = W x without bias, W (units × inputs, row major) regularised. */
  final case class Linear(units: Int) extends Layer {
    def toSpec: String = s"linear($units)"
    def outputShape(input: Shape): Shape = Shape.of(units)
    override def numWeights(input: Shape): Int = units * input.size
    override def initWeights(input: Shape, w: Array[Float], offset: Int, rng: Random): Unit =
      (0 until numWeights(input)).foreach(i => w(offset + i) = rng.nextGaussian().toFloat * 0.1f)
    override def regularized(input: Shape): Seq[(Int, Int)] = Seq((0, numWeights(input)))
    def kernel(input: Shape, offset: Int, maxBatch: Int): Kernel = new Kernel {
      private val n = input.size
      private val out = new Array[Float](maxBatch * units)
      private val inGrad = new Array[Float](maxBatch * n)
      private var x: Array[Float] = _
      def forward(ctx: Context, in: Array[Float], batch: Int): Array[Float] = {
        x = in
        for (b <- 0 until batch; u <- 0 until units)
          out(b * units + u) =
            (0 until n).map(i => ctx.weights(offset + u * n + i) * in(b * n + i)).sum
        out
      }
      def backward(ctx: Context, dy: Array[Float], batch: Int, need: Boolean): Array[Float] = {
        for (b <- 0 until batch; u <- 0 until units; i <- 0 until n)
          ctx.gradient(offset + u * n + i) += dy(b * units + u) * x(b * n + i)
        for (b <- 0 until batch; i <- 0 until n)
          inGrad(b * n + i) =
            (0 until units).map(u => dy(b * units + u) * ctx.weights(offset + u * n + i)).sum
        inGrad
      }
    }
  }

  /** Passes its input through and records one draw of the context's rng per training forward. */
  final case class RngRecorder() extends Layer {
    @volatile var last: Long = 0L
    def toSpec: String = "recorder()"
    def outputShape(input: Shape): Shape = input
    def kernel(input: Shape, offset: Int, maxBatch: Int): Kernel = new Kernel {
      def forward(ctx: Context, in: Array[Float], batch: Int): Array[Float] = {
        if (ctx.training) last = ctx.rng.nextLong()
        in
      }
      def backward(ctx: Context, dy: Array[Float], batch: Int, need: Boolean): Array[Float] = dy
    }
  }

  /** Mean over samples of the summed squared error. */
  object SquaredError extends Loss {
    def lossAndGradient(
        output: Array[Float],
        target: Array[Float],
        batch: Int,
        width: Int,
        gradient: Array[Float]
    ): Double = {
      var s = 0.0
      for (i <- 0 until batch * width) {
        val r = output(i) - target(i)
        s += r.toDouble * r
        gradient(i) = 2f * r / batch
      }
      s / batch
    }
  }
}
