package dlmllib.testing

import org.apache.spark.sql.SparkSession
import org.scalatest.{BeforeAndAfterAll, Suite}

/** One local[2] SparkSession per suite. */
trait SparkTestSession extends BeforeAndAfterAll { self: Suite =>
  @transient protected var spark: SparkSession = _

  /** Settings a suite adds to the session's. */
  protected def sessionConfig: Map[String, String] = Map.empty

  override protected def beforeAll(): Unit = {
    super.beforeAll()
    spark = SparkSession
      .builder()
      .master("local[2]")
      .appName(getClass.getSimpleName)
      .config("spark.ui.enabled", "false")
      .config("spark.sql.shuffle.partitions", "4")
      .config(sessionConfig)
      .getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
  }

  /** The value of `body` and the number of Spark jobs it started. */
  protected def jobs[T](body: => T): (T, Int) = {
    val sc = spark.sparkContext
    val group = s"jobs-${System.nanoTime()}"
    sc.setJobGroup(group, "counted")
    try (body, sc.statusTracker.getJobIdsForGroup(group).length)
    finally sc.clearJobGroup()
  }

  override protected def afterAll(): Unit =
    try if (spark != null) spark.stop()
    finally super.afterAll()
}
