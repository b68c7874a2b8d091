package dlmllib.distributed

import dlmllib.data.{FeatureRows, InputReader, InputStats, SparkErrors, Stacker}
import dlmllib.engine.{Seeds, Task}
import dlmllib.nn.{Arguments, Network}
import org.apache.spark.{Partition, Partitioner, SparkEnv}
import org.apache.spark.rdd.{RDD, ShuffledRDD}
import org.apache.spark.sql.{DataFrame, Dataset}
import org.apache.spark.storage.StorageLevel

/** The fit skeleton every dlmllib Estimator shares: split off validation rows, stack both sets into
  * cached chunks of mini-batches (which reads and checks every row before any training), run the
  * [[DistributedTrainer]] and release the cache.
  */
object Fitting {

  /** Trains `network` on `dataset`'s `reader.column` and `labelCol`, holding out the rows that
    * `stats`' validation column marks (when it has one) for validation, from `initial` weights
    * (default: the network's seeded initialisation). `stats` are those of `dataset`.
    */
  def fit(
      dataset: Dataset[_],
      stats: InputStats,
      labelCol: String,
      reader: InputReader,
      network: Network,
      task: Task,
      config: TrainingConfig,
      initial: Option[Array[Float]] = None
  ): TrainedNetwork = {
    val name = config.name
    val validationCol = stats.validationCol
    val (trainRows, validationRows) = stats.marked match {
      case None => (dataset.toDF(), null)
      case Some(marked) => (dataset.filter(!marked).toDF(), dataset.filter(marked).toDF())
    }
    val validationCount = stats.validationRows
    val trainCount = stats.rows - validationCount
    Arguments.check(
      trainCount > 0,
      s"validationIndicatorCol `${validationCol.getOrElse("")}` marks every row for " +
        s"validation: $name needs rows to train on"
    )
    Arguments.check(
      validationRows == null || validationCount > 0,
      s"validationIndicatorCol `${validationCol.getOrElse("")}` marks no row for validation"
    )
    val replicaBatch = config.replicaBatch(trainRows.rdd.getNumPartitions)
    val train = stack(trainRows, trainCount, reader, task, labelCol, replicaBatch, config)
    var validation: Stacked = null
    try {
      if (validationRows != null)
        validation =
          stack(validationRows, validationCount, reader, task, labelCol, config.batchSize, config)
      DistributedTrainer.train(
        dataset.sparkSession.sparkContext,
        network,
        task,
        config,
        initial.getOrElse(network.initWeights(config.seed)),
        train,
        validation
      )
    } finally {
      train.unpersist()
      if (validation != null) validation.unpersist()
    }
  }

  /** `rows` (`count` of them) dealt over chunks of about `config.chunkBytes` of features, the same
    * number for each input partition (replica), and stacked into cached mini-batches of
    * `batchSize`. This first pass reads and checks every row (errors name it), as [[FeatureRows]]
    * gives them.
    */
  private[distributed] def stack(
      rows: DataFrame,
      count: Long,
      reader: InputReader,
      task: Task,
      labelCol: String,
      batchSize: Int,
      config: TrainingConfig
  ): Stacked = {
    val input = FeatureRows(rows, reader.column, labelCol)
    val replicas = input.getNumPartitions
    val rowsPerChunk =
      batchSize * math.max(1L, config.chunkBytes / (4L * reader.shape.size) / batchSize)
    val rowsPerReplica = (count + replicas - 1) / replicas
    val chunksPerReplica = math.max(1L, (rowsPerReplica + rowsPerChunk - 1) / rowsPerChunk).toInt
    val read = (row: (Any, java.lang.Double), p: Int, i: Int) =>
      Stacker.sample(row._1, row._2, reader, task, labelCol, p, i)
    val (size, variableLength) = (reader.shape.size, reader.variableLength)
    val data = spread(input, read, replicas * chunksPerReplica, config.seed)
      .mapPartitions { it =>
        val batches = Stacker.stack(it, size, variableLength, batchSize)
        if (batches.isEmpty) Iterator.empty else Iterator.single(batches)
      }
      .setName(s"${config.name} mini-batches")
      .persist(Level)
    try {
      val (batches, executors) = SparkErrors
        .unwrapInputErrors(
          data
            .mapPartitions(it => Iterator.single((it.map(_.length).sum, SparkEnv.get.executorId)))
            .collect()
        )
        .unzip
      Stacked(data, replicas, batchSize, batches, Stacked.anchors(replicas, batches, executors))
        .gathered(executors)
    } catch {
      case e: Throwable => data.unpersist(); throw e
    }
  }

  /** How the mini-batches are cached: in memory as far as it goes, the chunks beyond on disk.
    * Serialized, so that a chunk read from disk does not try (and fail, with a warning) to move
    * back into a full memory on every round.
    */
  val Level: StorageLevel = StorageLevel.MEMORY_AND_DISK_SER

  /** The rows dealt over `chunks` chunks uniformly at random (seeded, deterministically ordered).
    * Averaging replicas trained on different classes diverges, and real inputs are often grouped by
    * label (a file per class, a sorted table), so every replica must see a sample of the whole data
    * set: each input partition deals its rows like cards, every `chunks` rows a fresh random
    * permutation of the chunks, so that all chunks get equal shares of it; within a chunk the rows
    * come in a random order. Each row is `read` where it stands (errors name its input position),
    * so that the shuffle moves flat floats.
    */
  private def spread[R](
      rows: RDD[R],
      read: (R, Int, Int) => Stacker.Sample,
      chunks: Int,
      seed: Long
  ): RDD[Stacker.Sample] = {
    val dealt = rows.mapPartitionsWithIndex { (p, it) =>
      val dealer = new Dealer(chunks, Seeds.derive(seed, 3L, p.toLong))
      it.zipWithIndex.map { case (row, i) =>
        val (chunk, rank) = dealer.next()
        ((chunk, rank, p, i), read(row, p, i))
      }
    }
    new Dealt(dealt, new ByFirstKey(chunks)).setKeyOrdering(Ordering[Key]).values
  }

  /** Deals chunk numbers: every `n` draws a random permutation of 0 until n (Fisher–Yates, one step
    * per draw), each with a random rank that orders the rows within a chunk.
    */
  private final class Dealer(n: Int, seed: Long) {
    private val rng = new java.util.Random(seed)
    private val cards = Array.tabulate(n)(identity)
    private var left = 0

    def next(): (Int, Long) = {
      if (left == 0) left = n
      val j = rng.nextInt(left)
      left -= 1
      val card = cards(j)
      cards(j) = cards(left)
      cards(left) = card
      (card, rng.nextLong())
    }
  }

  /** (chunk, rank in the chunk, input partition, index in it): where a row goes and its place
    * there.
    */
  private type Key = (Int, Long, Int, Int)

  /** The shuffle that deals the rows to the chunks (as `repartitionAndSortWithinPartitions`), with
    * no preference for where a chunk is stacked. Every chunk gathers rows of every input partition,
    * so Spark's preference for the executor holding most of a chunk's rows (all of them, when one
    * executor cached the whole input) would crowd the chunks, and the replicas with them, onto it.
    */
  private final class Dealt(rows: RDD[(Key, Stacker.Sample)], part: Partitioner)
      extends ShuffledRDD[Key, Stacker.Sample, Stacker.Sample](rows, part) {
    override protected def getPreferredLocations(split: Partition): Seq[String] = Nil
  }

  private final class ByFirstKey(n: Int) extends Partitioner {
    override def numPartitions: Int = n
    override def getPartition(key: Any): Int = key.asInstanceOf[Key]._1
  }
}
