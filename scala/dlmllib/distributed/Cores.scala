package dlmllib.distributed

import org.apache.spark.SparkContext

/** How many threads a task of a job over some partitions may run. */
object Cores {

  /** The application's cores (`defaultParallelism`) shared out among `partitions` tasks, so that a
    * job of fewer partitions than cores still uses every core; at least `spark.task.cpus`, the
    * cores Spark gives each task. A task caps it with [[onThisMachine]].
    */
  def perPartition(sc: SparkContext, partitions: Int): Int =
    math.max(sc.getConf.getInt("spark.task.cpus", 1), sc.defaultParallelism / partitions)

  /** `threads`, but no more than the machine running the task has cores. */
  def onThisMachine(threads: Int): Int = math.min(threads, Runtime.getRuntime.availableProcessors)
}
