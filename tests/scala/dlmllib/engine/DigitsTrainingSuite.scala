package dlmllib.engine

import java.util.Random

import dlmllib.nn._
import dlmllib.optim.Adam
import dlmllib.testing.Digits
import org.scalatest.funsuite.AnyFunSuite

/** End to end without Spark: CNNs from the layer-spec DSL and the presets, trained by LocalTrainer
  * with Adam on the real 8×8 digits, must classify the held-out split well.
  */
class DigitsTrainingSuite extends AnyFunSuite {

  private val batchSize = 32
  private val digits = Digits.small

  /** The batch of the digits at `rows` (indices into the whole file). */
  private def stack(rows: Seq[Int]): Batch = {
    val features = new Array[Float](rows.length * 64)
    for ((r, i) <- rows.zipWithIndex; j <- 0 until 64)
      features(i * 64 + j) = digits.images(r)(j).toFloat
    Batch(features, rows.map(digits.labels(_).toFloat).toArray, rows.length)
  }

  private def accuracy(trainer: LocalTrainer, w: Array[Float], rows: Seq[Int]): Double = {
    val correct = rows.grouped(batchSize).map { group =>
      val out = trainer.predict(w, stack(group))
      group.indices.count { i =>
        val scores = out.slice(i * 10, i * 10 + 10)
        scores.indexOf(scores.max) == digits.labels(group(i)).toInt
      }
    }
    correct.sum.toDouble / rows.length
  }

  /** Trains `layers` + `dense(10)` with Adam on shuffled mini-batches; returns the test accuracy,
    * the mean training loss of each epoch and the seconds spent training.
    */
  private def fit(layers: IndexedSeq[Layer], epochs: Int): (Double, Seq[Double], Double) = {
    val train = digits.train
    val net = new Network(Shape.of(1, 8, 8), layers :+ Dense(10))
    val trainer = new LocalTrainer(net, SoftmaxCrossEntropy, Adam(), batchSize, seed = 3L)
    trainer.learningRate = 0.003f
    val w = net.initWeights(11L)
    val rng = new Random(5L)
    val order = train.clone()
    val started = System.nanoTime()
    val epochLosses = (1 to epochs).map { _ =>
      for (i <- order.length - 1 to 1 by -1) { // Fisher-Yates, seeded
        val j = rng.nextInt(i + 1); val t = order(i); order(i) = order(j); order(j) = t
      }
      val losses =
        order.toSeq.grouped(batchSize).map(rows => trainer.step(w, stack(rows))).toSeq
      losses.sum / losses.length
    }
    val seconds = (System.nanoTime() - started) / 1e9
    (accuracy(trainer, w, digits.test.toSeq), epochLosses, seconds)
  }

  test("the digits load with the file's split, scaled to [0, 1]") {
    assert(digits.train.length == 1347 && digits.test.length == 450)
    assert(digits.train.intersect(digits.test).isEmpty)
    assert(digits.images.forall(_.forall(p => p >= 0.0 && p <= 1.0)))
    assert(digits.images.exists(_.contains(1.0)))
    assert(digits.train.map(digits.labels(_)).distinct.sorted.toSeq == (0 until 10).map(_.toDouble))
  }

  test("a conv network trained with Adam reaches 97% on the held-out digits") {
    val layers = LayerSpec.parse(
      "conv2d(16, 3, relu, padding=same); maxpool(2); conv2d(32, 3, relu, padding=same); " +
        "maxpool(2); dense(64, relu)"
    )
    val (acc, losses, seconds) = fit(layers, epochs = 20)
    info(
      f"test accuracy $acc%.4f after 20 epochs in $seconds%.1f s; " +
        f"loss ${losses.head}%.3f -> ${losses.last}%.4f"
    )
    assert(losses.last < losses.head / 10)
    assert(acc >= 0.97)
  }

  test("every preset learns the 8x8 digits") {
    for (name <- Presets.names) {
      val (acc, losses, seconds) = fit(Presets.resolve(name, Shape.of(1, 8, 8)), epochs = 6)
      info(f"$name: test accuracy $acc%.4f after 6 epochs in $seconds%.1f s")
      assert(losses.last < losses.head, name)
      assert(acc >= 0.9, s"$name: $acc")
    }
  }
}
