package dlmllib.distributed

import scala.collection.mutable.ArrayBuffer

import dlmllib.data.FlatReader
import dlmllib.engine.Classification
import dlmllib.nn.{Dense, Network, Relu, Shape}
import dlmllib.optim.{Adam, LearningRateSchedule}
import dlmllib.testing.{Digits, SparkTestSession}
import org.apache.logging.log4j.{Level, LogManager}
import org.apache.logging.log4j.core.{LogEvent, Logger}
import org.apache.logging.log4j.core.appender.AbstractAppender
import org.apache.logging.log4j.core.config.{Configurator, Property}
import org.scalatest.concurrent.Eventually
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.time.{Seconds, Span}

/** Training data several times larger than the storage memory spills to disk chunk by chunk, and
  * training still learns, logging one line per epoch.
  */
class SpillSuite extends AnyFunSuite with SparkTestSession with Eventually {

  /** In local mode the storage memory is (heap - 300 MB) × spark.memory.fraction: about 3 MB. */
  override protected def sessionConfig: Map[String, String] = {
    val heap = Runtime.getRuntime.maxMemory - (300L << 20)
    Map("spark.memory.fraction" -> (3e6 / heap).toString)
  }

  private val shape = Shape.of(1, 28, 28)
  private val network = new Network(shape, IndexedSeq(Dense(64, Relu), Dense(10)))
  private val task = Classification(10)
  private val reader = FlatReader("features", shape)
  private val config = TrainingConfig(
    name = "spill",
    maxEpochs = 4,
    batchSize = 32,
    localSteps = Some(16),
    aggregationDepth = 2,
    stepSize = 0.003,
    schedule = LearningRateSchedule.Constant,
    optimizer = Adam(),
    regParam = 0.0,
    clipNorm = 0.0,
    tol = 0.0,
    patience = 0,
    seed = 3L,
    chunkBytes = 512L << 10
  )

  /** Bytes of `data` cached in memory and on disk, once Spark's status store has heard of every
    * chunk (it learns of them asynchronously).
    */
  private def cached(data: Stacked): (Long, Long) = {
    val chunks = data.batchesPerChunk.count(_ > 0)
    eventually(timeout(Span(10, Seconds))) {
      val info = spark.sparkContext.getRDDStorageInfo.find(_.id == data.data.id).get
      assert(info.numCachedPartitions == chunks)
      (info.memSize, info.diskSize)
    }
  }

  /** `body`'s result and what it logged: dlmllib.distributed from INFO, the rest from WARN. */
  private def logged[T](body: => T): (T, Seq[String]) = {
    val messages = ArrayBuffer.empty[String]
    val appender = new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
      override def append(e: LogEvent): Unit = messages.synchronized {
        messages += s"${e.getLevel} ${e.getLoggerName} ${e.getMessage.getFormattedMessage}"
      }
    }
    appender.start()
    val root = LogManager.getRootLogger.asInstanceOf[Logger]
    val ours = "dlmllib.distributed"
    val level = LogManager.getLogger(ours).getLevel
    Configurator.setLevel(ours, Level.INFO)
    root.addAppender(appender)
    val result =
      try body
      finally { root.removeAppender(appender); Configurator.setLevel(ours, level) }
    (result, messages.synchronized(messages.toSeq))
  }

  test("mini-batches several times larger than the storage memory spill to disk and train") {
    val storage = spark.sparkContext.getExecutorMemoryStatus.values.map(_._1).sum
    val d = Digits.mnist
    val trainRows = d.frame(spark, d.train, 2)
    val testRows = d.frame(spark, d.test, 2)
    val (train, test) = (
      Fitting.stack(
        trainRows,
        d.train.length,
        reader,
        task,
        "label",
        config.replicaBatch(2),
        config
      ),
      Fitting.stack(testRows, d.test.length, reader, task, "label", config.batchSize, config)
    )
    try {
      val (memory, disk) = cached(train)
      info(
        f"storage memory ${storage / 1e6}%.1f MB; training batches: ${memory / 1e6}%.1f MB in " +
          f"memory, ${disk / 1e6}%.1f MB on disk, ${train.batchesPerChunk.length} chunks"
      )
      assert(memory + disk > 3 * storage, "the data fits in memory: the test proves nothing")
      assert(memory <= storage && disk > 2 * storage)
      val (result, log) = logged {
        DistributedTrainer.train(
          spark.sparkContext,
          network,
          task,
          config,
          network.initWeights(config.seed),
          train,
          test
        )
      }
      assert(log.count(_.matches("INFO .* spill epoch [0-9]/4: .*")) == 4, log.mkString("\n"))
      assert(!log.exists(_.startsWith("WARN org.apache.spark")), log.mkString("\n"))
      val h = result.history
      info(
        "test accuracy per epoch " + h.validationMetric.map(a => f"$a%.3f").mkString(", ") +
          "; seconds per epoch " + h.secondsPerEpoch.map(s => f"$s%.2f").mkString(", ")
      )
      assert(h.epochs == 4 && h.validationMetric.last >= 0.85, h.validationMetric.mkString(", "))
    } finally {
      train.unpersist()
      test.unpersist()
    }
  }
}
