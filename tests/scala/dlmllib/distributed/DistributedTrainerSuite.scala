package dlmllib.distributed

import dlmllib.nn.{Dense, Network, Relu, Shape, SoftmaxCrossEntropy}
import dlmllib.data.FlatReader
import dlmllib.engine.{Classification, LocalTrainer}
import dlmllib.optim.{Adam, LearningRateSchedule}
import dlmllib.testing.{Digits, SparkTestSession}
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
    seed = seed,
    chunkBytes = 64L << 10 // several chunks per partition
  )

  /** The digits' rows `idx` stacked over `partitions` replicas in batches of `batchSize`. */
  private def stacked(idx: Array[Int], partitions: Int, batchSize: Int = 32): Stacked = {
    val df = Digits.small.frame(spark, idx, partitions)
    Fitting.stack(df, df.count(), reader, task, "label", batchSize, config(None))
  }

  /** Plain sequential mini-batch training with one LocalTrainer, no Spark, on the batches of `data`
    * (one replica) in its epoch order, on the threads the fit gives one replica.
    */
  private def sequential(data: Stacked, epochs: Int): Array[Float] = {
    val chunks = data.data.mapPartitionsWithIndex((c, it) => it.map((c, _))).collect().toMap
    val trainer = new LocalTrainer(
      network,
      SoftmaxCrossEntropy,
      Adam(),
      32,
      1e-4,
      1.0,
      Round.trainerSeed(seed, 0),
      threads = Cores.perPartition(spark.sparkContext, 1)
    )
    trainer.learningRate = 0.01f
    val w = network.initWeights(seed)
    for (epoch <- 0 until epochs; (c, b) <- data.epochOrder(seed, epoch, 0))
      trainer.step(w, chunks(c)(b))
    w
  }

  private def distributed(localSteps: Int, partitions: Int): TrainedNetwork = {
    val data = stacked(Digits.small.train, partitions)
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
    val data = stacked(Digits.small.train, 1)
    val expected =
      try {
        assert(data.chunksPerReplica > 1, "one chunk: the test would not cross chunks")
        sequential(data, 3)
      } finally data.unpersist()
    for (localSteps <- Seq(0, 5)) {
      val got = distributed(localSteps, 1)
      val maxDiff = expected.indices.map(i => math.abs(expected(i) - got.weights(i))).max
      assert(maxDiff <= 1e-6f, s"localSteps $localSteps: max weight difference $maxDiff")
      assert(got.history.epochs == 3)
    }
  }

  test("fewer partitions than cores: each replica steps on the cores left over") {
    val sc = spark.sparkContext // local[2]
    assert(Cores.perPartition(sc, 1) == 2)
    assert(Cores.perPartition(sc, 2) == 1)
    assert(Cores.perPartition(sc, 8) == 1)
  }

  test("the same seed, data and partitioning give the same model") {
    val a = distributed(4, 2).weights
    val b = distributed(4, 2).weights
    assert(a.sameElements(b))
  }

  test("rows grouped by label are dealt evenly: every replica holds a share of every class") {
    val d = Digits.small
    val sorted = d.train.sortBy(d.labels(_))
    val df = d.frame(spark, sorted, 4)
    val data = Fitting.stack(df, df.count(), reader, task, "label", 32, config(None))
    try {
      assert(data.data.getNumPartitions == 4 * data.chunksPerReplica && data.chunksPerReplica > 1)
      val perReplica = data.data
        .mapPartitionsWithIndex { (c, it) =>
          it.flatMap(_.iterator).flatMap(b => b.targets.take(b.size)).map(y => (c, y.toInt))
        }
        .collect()
        .groupBy { case (c, _) => c / data.chunksPerReplica }
      assert(perReplica.values.map(_.length).sum == d.train.length)
      // each input partition deals every chunk its share of each run of rows to within 2 rows
      val slack = 2 * 4 * data.chunksPerReplica
      val perClass = d.train.groupBy(d.labels(_).toInt).map { case (k, v) => (k, v.length) }
      for ((r, ys) <- perReplica; (k, n) <- perClass) {
        val got = ys.count(_._2 == k)
        assert(
          math.abs(got - n / 4.0) <= slack,
          s"replica $r holds $got of the $n rows of class $k"
        )
      }
    } finally data.unpersist()
  }

  test("replicas are anchored spread over the executors, on chunks of their own where they can") {
    // 4 replicas of 3 chunks; executor a cached most chunks, replica 3 has an empty chunk
    val batches = Array(5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 0)
    val executors = Array("a", "a", "b", "a", "a", "a", "a", "b", "b", "a", "b", "b")
    val anchors = Stacked.anchors(4, batches, executors)
    assert(anchors.map(executors).groupBy(identity).values.map(_.length).toSet == Set(2))
    assert(anchors.forall(batches(_) > 0))
    for (r <- anchors.indices) {
      val own = (3 * r until 3 * r + 3).filter(c => batches(c) > 0)
      if (own.exists(executors(_) == executors(anchors(r))))
        assert(own.contains(anchors(r)), s"replica $r anchored on chunk ${anchors(r)}")
    }
    // Replica 1's chunks were all cached on the executor that replica 0 takes: it anchors on a
    // chunk of the other executor, where gathered() then moves its chunks.
    val crowded = Array("a", "b", "a", "a")
    val two = Stacked.anchors(2, Array(5, 5, 5, 5), crowded)
    assert(two(0) == 0 && crowded(two(1)) == "b", two.toSeq)
  }

  test("training lowers the loss with several partitions") {
    val h = distributed(0, 4).history
    assert(h.objective.last < h.objective.head * 0.5, h.objective.mkString(", "))
    assert(h.samplesPerSecond.forall(_ > 0))
  }

  test("8 partitions sharing each mini-batch reach one partition's test accuracy") {
    val test = stacked(Digits.small.test, 1, 64)
    def accuracy(partitions: Int): Double = {
      val c = config(None, batchSize = 64)
      val data = stacked(Digits.small.train, partitions, c.replicaBatch(partitions))
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
