package dlmllib.distributed

import org.apache.spark.{SparkContext, SparkEnv}

/** How many threads a task of a job over some partitions may run. */
object Cores {

  /** The application's cores (`defaultParallelism`) shared out among `partitions` tasks, so that a
    * job of fewer partitions than cores still uses every core; at least `spark.task.cpus`, the
    * cores Spark gives each task. A task caps it with [[onThisMachine]].
    */
  def perPartition(sc: SparkContext, partitions: Int): Int =
    math.max(sc.getConf.getInt("spark.task.cpus", 1), sc.defaultParallelism / partitions)

  /** `threads`, but no more than the machine running the task has cores, nor, on a cluster, than
    * its executor was given (`spark.executor.cores`, where set).
    */
  def onThisMachine(threads: Int): Int = {
    val env = SparkEnv.get
    val executorCores =
      if (env == null || env.executorId == "driver") None
      else env.conf.getOption("spark.executor.cores").map(_.toInt)
    (Seq(threads, Runtime.getRuntime.availableProcessors) ++ executorCores).min
  }
}
