package dlmllib.nn

import dlmllib.optim.Adam
import dlmllib.engine.{Batch, LocalTrainer}
import java.util.Random
import org.scalatest.funsuite.AnyFunSuite

/** End to end: recurrent networks learn a task of variable-length sequences whose padded steps hold
  * large noise, so that a mask leak would show as lost accuracy.
  */
class RecurrentTrainingSuite extends AnyFunSuite {
  private val steps = 12

  /** Sequences of 1 to 12 values in [-1, 1], noise in [-3, 3] after their length; the class is
    * whether the valid values sum to more than 0.
    */
  private def sample(n: Int, rng: Random): Batch = {
    val x = Array.fill(n * steps)(6 * rng.nextFloat() - 3)
    val lengths = Array.fill(n)(1 + rng.nextInt(steps))
    val y = Array.tabulate(n) { i =>
      var sum = 0.0
      for (t <- 0 until lengths(i)) {
        x(i * steps + t) = 2 * rng.nextFloat() - 1
        sum += x(i * steps + t)
      }
      if (sum > 0) 1f else 0f
    }
    Batch(x, y, n, lengths)
  }

  private def accuracy(trainer: LocalTrainer, w: Array[Float], test: Batch): Double = {
    val out = trainer.predict(w, test)
    (0 until test.size)
      .count(i => (if (out(2 * i + 1) > out(2 * i)) 1f else 0f) == test.targets(i))
      .toDouble / test.size
  }

  for (
    recurrent <- Seq(
      Recurrent("lstm", 8),
      Recurrent("gru", 8, bidirectional = true),
      Recurrent("rnn", 8)
    )
  )
    test(s"$recurrent; dense(2) learns the sign of a masked sum") {
      val net = new Network(Shape.of(steps, 1), IndexedSeq(recurrent, Dense(2)))
      val trainer = new LocalTrainer(net, SoftmaxCrossEntropy, Adam(), maxBatch = 500)
      trainer.learningRate = 0.01f
      val w = net.initWeights(1)
      val rng = new Random(4)
      val test = sample(500, rng)
      val before = accuracy(trainer, w, test)
      for (_ <- 0 until 400) trainer.step(w, sample(32, rng))
      val after = accuracy(trainer, w, test)
      info(f"test accuracy $before%.3f before, $after%.3f after 400 steps")
      assert(after > 0.9)
    }
}
