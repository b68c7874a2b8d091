package dlmllib.distributed

import dlmllib.data.{Columns, InputReader, SparkErrors, Stacker}
import dlmllib.engine.{Batch, Seeds, Task}
import dlmllib.nn.{Arguments, Network}
import org.apache.spark.Partitioner
import org.apache.spark.rdd.RDD
import org.apache.spark.sql.{Dataset, Row}
import org.apache.spark.sql.functions.{coalesce, col, lit}
import org.apache.spark.sql.types.{BooleanType, DoubleType}
import org.apache.spark.storage.StorageLevel

/** The fit skeleton every dlmllib Estimator shares: split off validation rows, stack both sets into
  * cached mini-batches (which reads and checks every row before any training), run the
  * [[DistributedTrainer]] and release the cache.
  */
object Fitting {

  /** Trains `network` on `dataset`'s `reader.column` and `labelCol` (a double column), holding out
    * the rows that the boolean column `validationCol` marks (when given) for validation, from
    * `initial` weights (default: the network's seeded initialisation).
    */
  def fit(
      dataset: Dataset[_],
      validationCol: Option[String],
      labelCol: String,
      reader: InputReader,
      network: Network,
      task: Task,
      config: TrainingConfig,
      initial: Option[Array[Float]] = None
  ): TrainedNetwork = {
    val name = config.name
    def rows(df: Dataset[_]): Dataset[Row] =
      df.select(col(reader.column), col(labelCol).cast(DoubleType).as(labelCol))
    val (trainRows, validationRows) = validationCol match {
      case None => (rows(dataset), null)
      case Some(c) =>
        val field = Columns.field(dataset.schema, "validationIndicatorCol", c)
        Arguments.check(
          field.dataType == BooleanType,
          s"validationIndicatorCol `$c` must be boolean, found ${field.dataType.simpleString}"
        )
        val marked = coalesce(col(c), lit(false))
        (rows(dataset.filter(!marked)), rows(dataset.filter(marked)))
    }
    val replicaBatch = config.replicaBatch(trainRows.rdd.getNumPartitions)
    val train = stack(trainRows, reader, task, labelCol, replicaBatch, config)
    val validation =
      if (validationRows == null) null
      else stack(validationRows, reader, task, labelCol, config.batchSize, config)
    try {
      val trainCount =
        SparkErrors.unwrapInputErrors(train.map(_.map(_.size.toLong).sum).sum().toLong)
      Arguments.check(
        trainCount > 0,
        s"validationIndicatorCol `${validationCol.getOrElse("")}` marks every row for " +
          s"validation: $name needs rows to train on"
      )
      if (validation != null) {
        val n = SparkErrors.unwrapInputErrors(validation.map(_.map(_.size.toLong).sum).sum().toLong)
        Arguments.check(
          n > 0,
          s"validationIndicatorCol `${validationCol.get}` marks no row for validation"
        )
      }
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

  private def stack(
      rows: Dataset[Row],
      reader: InputReader,
      task: Task,
      labelCol: String,
      batchSize: Int,
      config: TrainingConfig
  ): RDD[Array[Batch]] = {
    val seed = config.seed
    spread(rows.rdd, seed)
      .mapPartitionsWithIndex((p, it) =>
        Iterator.single(Stacker.stack(it, reader, task, labelCol, batchSize, seed, p))
      )
      .setName(s"${config.name} mini-batches")
      .persist(StorageLevel.MEMORY_AND_DISK)
  }

  /** The rows spread uniformly at random (seeded, deterministically ordered) over the same number
    * of partitions. Averaging replicas trained on different classes diverges, and real inputs are
    * often grouped by label (a file per class, a sorted table), so every partition must see a
    * sample of the whole data set. One partition keeps its order. Each row keeps its input position
    * for error messages.
    */
  private def spread(rows: RDD[Row], seed: Long): RDD[Stacker.Sourced] = {
    val n = rows.getNumPartitions
    if (n <= 1) rows.mapPartitionsWithIndex((p, it) => Stacker.sourced(it, p))
    else
      rows
        .mapPartitionsWithIndex { (p, it) =>
          val rng = new java.util.Random(Seeds.derive(seed, 3L, p.toLong))
          it.zipWithIndex.map { case (row, i) => ((rng.nextInt(n), p, i), row) }
        }
        .repartitionAndSortWithinPartitions(new ByFirstKey(n))
        .map { case ((_, p, i), row) => (row, p, i) }
  }

  private final class ByFirstKey(n: Int) extends Partitioner {
    override def numPartitions: Int = n
    override def getPartition(key: Any): Int = key.asInstanceOf[(Int, Int, Int)]._1
  }
}
