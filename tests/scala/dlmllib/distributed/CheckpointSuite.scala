package dlmllib.distributed

import java.nio.file.Files
import java.util.concurrent.atomic.AtomicInteger

import dlmllib.data.FlatReader
import dlmllib.engine.Classification
import dlmllib.nn.{Dense, Network, Relu, Shape}
import dlmllib.optim.{Adam, LearningRateSchedule}
import dlmllib.testing.{Digits, SparkTestSession}
import org.apache.spark.SparkException
import org.scalatest.funsuite.AnyFunSuite

/** Training interrupted after a checkpoint and resumed ends exactly as an uninterrupted run. */
class CheckpointSuite extends AnyFunSuite with SparkTestSession {
  private val shape = Shape.of(1, 8, 8)
  private def network(hidden: Int) = new Network(shape, IndexedSeq(Dense(hidden, Relu), Dense(10)))
  private val task = Classification(10)
  private val reader = FlatReader("features", shape)

  private def config(dir: Option[String]) = TrainingConfig(
    name = "test",
    maxEpochs = 6,
    batchSize = 32,
    localSteps = Some(4),
    aggregationDepth = 2,
    stepSize = 0.01,
    schedule = LearningRateSchedule.Cosine,
    optimizer = Adam(),
    regParam = 1e-4,
    clipNorm = 1.0,
    tol = 0.0,
    patience = 0,
    seed = 5L,
    checkpointDir = dir,
    checkpointInterval = 2
  )

  /** Trains on the digits' cached chunks behind a counter: once `failAfter` chunks were read, the
    * run is interrupted (a lost driver, as far as the checkpoints know).
    */
  private def train(net: Network, dir: Option[String], failAfter: Int = Int.MaxValue) = {
    val df = Digits.small.frame(spark, Digits.small.train, 2)
    val data = Fitting.stack(df, df.count(), reader, task, "label", 32, config(dir))
    CheckpointSuite.ticks.set(0)
    val counted = data.data.mapPartitions { it =>
      if (CheckpointSuite.ticks.incrementAndGet() > failAfter)
        throw new IllegalStateException("interrupted")
      it
    }
    try
      DistributedTrainer.train(
        spark.sparkContext,
        net,
        task,
        config(dir),
        net.initWeights(5L),
        data.copy(data = counted),
        null
      )
    finally data.unpersist()
  }

  /** The files of `dir` but the hidden ones (the local file system's checksums). */
  private def files(dir: String): Seq[String] =
    new java.io.File(dir).list().toSeq.filterNot(_.startsWith("."))

  test("a run interrupted after a checkpoint resumes to the weights of an uninterrupted run") {
    val expected = train(network(32), None)
    val dir = Files.createTempDirectory("ckpt").resolve("run").toString
    intercept[SparkException](train(network(32), Some(dir), failAfter = 60))
    val kept = files(dir)
    assert(kept.size == 1 && kept.head.matches("checkpoint-[24]"), kept)
    val resumed = train(network(32), Some(dir))
    assert(resumed.history.resumedFromEpoch == kept.head.stripPrefix("checkpoint-").toInt)
    assert(resumed.weights.sameElements(expected.weights))
    assert(resumed.history.objective.sameElements(expected.history.objective))
    assert(resumed.history.epochs == 6 && expected.history.resumedFromEpoch == 0)
    assert(files(dir) == Seq("checkpoint-6"))
  }

  test("a checkpoint of a different network or params fails, naming what differs") {
    val dir = Files.createTempDirectory("ckpt").toString
    train(network(16), Some(dir))
    val e = intercept[IllegalArgumentException](train(network(32), Some(dir)))
    assert(e.getMessage.contains("holds a checkpoint of a different fit"), e.getMessage)
    assert(e.getMessage.contains("dense(16, relu)") && e.getMessage.contains("dense(32, relu)"))
    assert(files(dir) == Seq("checkpoint-6"))
  }
}

object CheckpointSuite {

  /** Chunks read so far (tasks run in this JVM in local mode). */
  val ticks = new AtomicInteger
}
