package dlmllib.distributed

import dlmllib.nn.{Dense, Network, Relu, Shape, SoftmaxCrossEntropy}
import dlmllib.data.{FlatReader, Stacker}
import dlmllib.engine.{Batch, Classification, LocalTrainer}
import dlmllib.optim.{Adam, LearningRateSchedule}
import dlmllib.testing.{Digits, SparkTestSession}
import org.apache.spark.sql.Row
import org.scalatest.funsuite.AnyFunSuite

class DistributedTrainerSuite extends AnyFunSuite with SparkTestSession {
  private val shape = Shape.of(1, 8, 8)
  private val network = new Network(shape, IndexedSeq(Dense(32, Relu), Dense(10)))
  private val task = Classification(10)
  private val reader = FlatReader("features", shape)
  private val seed = 11L

  private def config(localSteps: Option[Int], batchSize: Int = 32) = TrainingConfig(
    name = "test",
    maxEpochs = 3,
    batchSize = batchSize,
    localSteps = localSteps,
    aggregationDepth = 2,
    stepSize = 0.01,
    schedule = LearningRateSchedule.Constant,
    optimizer = Adam(),
    regParam = 1e-4,
    clipNorm = 1.0,
    tol = 0.0,
    patience = 100,
    seed = seed
  )

  private def rows: Seq[Row] = rows(Digits.small.train)

  private def rows(idx: Array[Int]): Seq[Row] = {
    val d = Digits.small
    idx.toSeq.map(i => Row(org.apache.spark.ml.linalg.Vectors.dense(d.images(i)), d.labels(i)))
  }

  private def stacked(rows: Seq[Row], partitions: Int, batchSize: Int) = {
    val (r, t, s) = (reader, task, seed) // locals: the closure must not capture the suite
    spark.sparkContext
      .parallelize(rows, partitions)
      .mapPartitionsWithIndex((p, it) =>
        Iterator.single(Stacker.stack(Stacker.sourced(it, p), r, t, "label", batchSize, s, p))
      )
      .cache()
  }

  /** Plain sequential mini-batch training with one LocalTrainer, no Spark. */
  private def sequential(epochs: Int): Array[Float] = {
    val batches =
      Stacker.stack(Stacker.sourced(rows.iterator, 0), reader, task, "label", 32, seed, 0)
    val trainer = new LocalTrainer(
      network,
      SoftmaxCrossEntropy,
      Adam(),
      32,
      1e-4,
      1.0,
      Round.trainerSeed(seed, 0)
    )
    trainer.learningRate = 0.01f
    val w = network.initWeights(seed)
    for (epoch <- 0 until epochs; b <- Round.batchOrder(seed, epoch, 0, batches.length))
      trainer.step(w, batches(b))
    w
  }

  private def distributed(localSteps: Int, partitions: Int): TrainedNetwork = {
    val data = stacked(rows, partitions, 32)
    try
      DistributedTrainer.train(
        spark.sparkContext,
        network,
        task,
        config(Some(localSteps)),
        network.initWeights(seed),
        data,
        null
      )
    finally data.unpersist()
  }

  test("one partition is sequential mini-batch training, whatever the local steps per round") {
    val expected = sequential(3)
    for (localSteps <- Seq(0, 5)) {
      val got = distributed(localSteps, 1)
      val maxDiff = expected.indices.map(i => math.abs(expected(i) - got.weights(i))).max
      assert(maxDiff <= 1e-6f, s"localSteps $localSteps: max weight difference $maxDiff")
      assert(got.history.epochs == 3)
    }
  }

  test("the same seed, data and partitioning give the same model") {
    val a = distributed(4, 2).weights
    val b = distributed(4, 2).weights
    assert(a.sameElements(b))
  }

  test("training lowers the loss with several partitions") {
    val h = distributed(0, 4).history
    assert(h.objective.last < h.objective.head * 0.5, h.objective.mkString(", "))
    assert(h.samplesPerSecond.forall(_ > 0))
  }

  test("8 partitions sharing each mini-batch reach one partition's test accuracy") {
    val test = stacked(rows(Digits.small.test), 1, 64)
    def accuracy(partitions: Int): Double = {
      val c = config(None, batchSize = 64)
      val data = stacked(rows, partitions, c.replicaBatch(partitions))
      val trained =
        try
          DistributedTrainer.train(
            spark.sparkContext,
            network,
            task,
            c,
            network.initWeights(seed),
            data,
            null
          )
        finally data.unpersist()
      DistributedTrainer.evaluate(spark.sparkContext, network, task, c, trained.weights, test)._2
    }
    try {
      val (one, eight) = (accuracy(1), accuracy(8))
      assert(one > 0.9, s"one partition: $one")
      assert(eight >= one - 0.01, s"one partition $one, eight partitions $eight")
    } finally test.unpersist()
  }
}
