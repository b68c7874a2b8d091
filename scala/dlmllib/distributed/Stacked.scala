package dlmllib.distributed

import dlmllib.engine.{Batch, Seeds}
import org.apache.spark.{Dependency, NarrowDependency, Partition, TaskContext}
import org.apache.spark.rdd.RDD

/** Mini-batches stacked for training, cut into chunks of a few MB that Spark caches one by one:
  * data larger than the executors' storage memory spills to disk chunk by chunk, and a round reads
  * only the chunks it trains on. Partition `c` of `data` is chunk `c`, which holds at most one
  * element (its batches) and belongs to replica `c / chunksPerReplica`.
  *
  * @param replicas
  *   the replicas of the network trained side by side (the input's partitions)
  * @param batchSize
  *   the samples of the largest batch
  * @param batchesPerChunk
  *   the number of batches of every chunk (0 for an empty one)
  * @param anchors
  *   a chunk per replica, which decides where the replica trains (see [[Stacked.anchors]])
  */
final case class Stacked(
    data: RDD[Array[Batch]],
    replicas: Int,
    batchSize: Int,
    batchesPerChunk: Array[Int],
    anchors: Array[Int]
) {
  val chunksPerReplica: Int = batchesPerChunk.length / replicas

  /** The chunks of replica `r`. */
  def chunks(r: Int): Range = r * chunksPerReplica until (r + 1) * chunksPerReplica

  /** The number of batches of replica `r`. */
  def batches(r: Int): Int = chunks(r).map(batchesPerChunk).sum

  /** The (chunk, batch) pairs in the order replica `r` visits them in `epoch`: its chunks in a
    * random order and the batches of each in a random order, both drawn from the seed.
    */
  def epochOrder(seed: Long, epoch: Int, r: Int): Array[(Int, Int)] = {
    val own = chunks(r).filter(batchesPerChunk(_) > 0)
    val order = Seeds.permutation(own.length, Seeds.derive(seed, 2L, epoch.toLong, r.toLong))
    order.flatMap { i =>
      val c = own(i)
      Seeds
        .permutation(batchesPerChunk(c), Seeds.derive(seed, 4L, epoch.toLong, c.toLong))
        .map((c, _))
    }
  }

  /** One partition per replica, which reads the chunks `groups(r)` in that order, where its anchor
    * is cached.
    */
  def select(groups: Array[Array[Int]]): RDD[Array[Batch]] = new ChunkGroups(data, groups, anchors)

  /** One partition per replica, which reads all its chunks. */
  def byReplica: RDD[Array[Batch]] =
    select(Array.tabulate(replicas)(r => chunks(r).filter(batchesPerChunk(_) > 0).toArray))

  /** These chunks, each cached anew on the executor of its replica's anchor (then the old cache
    * released), so that rounds read no chunk over the network; or these, if they are there already.
    *
    * @param executors
    *   the executor that cached each chunk
    */
  def gathered(executors: Array[String]): Stacked =
    if (batchesPerChunk.indices.forall(c => executors(c) == executors(anchor(c)))) this
    else {
      val moved = new ChunkGroups(
        data,
        Array.tabulate(batchesPerChunk.length)(c => Array(c)),
        Array.tabulate(batchesPerChunk.length)(anchor)
      ).setName(data.name).persist(data.getStorageLevel)
      try moved.count()
      catch { case e: Throwable => moved.unpersist(); throw e }
      data.unpersist()
      // Every chunk now sits where its replica trains: each replica can anchor on one of its own.
      copy(data = moved, anchors = Array.tabulate(replicas)(ownChunk))
    }

  private def anchor(chunk: Int): Int = anchors(chunk / chunksPerReplica)

  /** The first of replica r's chunks that holds batches (its first chunk if none does). */
  private def ownChunk(r: Int): Int =
    chunks(r).find(batchesPerChunk(_) > 0).getOrElse(chunks(r).start)

  def unpersist(): Unit = data.unpersist()
}

object Stacked {

  /** An anchor chunk per replica, so that the replicas train on different executors: a chunk on the
    * executor that holds the fewest anchors so far (then the most of the replica's chunks), one of
    * the replica's own there if it has one. The anchor may be another replica's chunk: when Spark
    * cached all of a replica's chunks on an executor that other replicas already train on,
    * [[Stacked.gathered]] then moves them to an executor of their own.
    *
    * @param executors
    *   the executor that cached each chunk
    */
  def anchors(replicas: Int, batchesPerChunk: Array[Int], executors: Array[String]): Array[Int] = {
    val perReplica = batchesPerChunk.length / replicas
    val load = scala.collection.mutable.Map[String, Int]().withDefaultValue(0)
    val filled = batchesPerChunk.indices.filter(batchesPerChunk(_) > 0)
    Array.tabulate(replicas) { r =>
      val own = (r * perReplica until (r + 1) * perReplica).filter(batchesPerChunk(_) > 0)
      val candidates = if (filled.isEmpty) Seq(r * perReplica) else filled
      val anchor = candidates.minBy { c =>
        val e = executors(c)
        (load(e), -own.count(executors(_) == e), if (own.contains(c)) 0 else 1, c)
      }
      load(executors(anchor)) += 1
      anchor
    }
  }
}

private final class ChunkGroup(val index: Int, val chunks: Array[Partition]) extends Partition

/** Partition `r` reads the chunks `groups(r)` of `data` in order. It also depends on chunk
  * `anchors(r)`, which it never reads: Spark runs a task where its first parent is cached, so
  * replica `r` trains on the same executor every round, whichever chunks the round reads.
  */
private final class ChunkGroups(
    data: RDD[Array[Batch]],
    groups: Array[Array[Int]],
    anchors: Array[Int]
) extends RDD[Array[Batch]](data.context, Nil) {

  override def getDependencies: Seq[Dependency[_]] = Seq(new NarrowDependency(data) {
    override def getParents(r: Int): Seq[Int] = anchors(r) +: groups(r).toSeq
  })

  override protected def getPartitions: Array[Partition] =
    Array.tabulate(groups.length)(r => new ChunkGroup(r, groups(r).map(data.partitions(_))))

  override def compute(split: Partition, context: TaskContext): Iterator[Array[Batch]] = {
    val parent = firstParent[Array[Batch]]
    split.asInstanceOf[ChunkGroup].chunks.iterator.flatMap(parent.iterator(_, context))
  }
}
