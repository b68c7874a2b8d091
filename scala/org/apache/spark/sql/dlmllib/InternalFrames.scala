package org.apache.spark.sql.dlmllib

import scala.reflect.ClassTag

import org.apache.spark.{OneToOneDependency, Partition, TaskContext}
import org.apache.spark.rdd.RDD
import org.apache.spark.sql.{classic, DataFrame, SparkSession}
import org.apache.spark.sql.catalyst.InternalRow
import org.apache.spark.sql.types.StructType

/** A DataFrame of internal rows, through Spark's `private[sql]` constructor (reached from inside
  * Spark's `sql` package because Scala enforces that qualifier): dlmllib's `transform` passes its
  * input's columns through as Spark holds them, instead of building and encoding a Row per row.
  */
object InternalFrames {

  /** The DataFrame of `schema` whose rows `rows()` makes when an action first plans its job, not
    * before: planning a query with shuffles runs them, which `transform` leaves to the action.
    */
  def deferred(session: SparkSession, schema: StructType)(rows: => RDD[InternalRow]): DataFrame = {
    val spark = session.asInstanceOf[classic.SparkSession]
    spark.internalCreateDataFrame(new Deferred(spark, () => rows), schema)
  }

  /** `make()`'s RDD, made on the driver the first time a job asks for the dependencies. */
  private final class Deferred[T: ClassTag](
      spark: classic.SparkSession,
      @transient private val make: () => RDD[T]
  ) extends RDD[T](spark.sparkContext, Nil) {
    @transient private lazy val made = make()
    override protected def getDependencies = Seq(new OneToOneDependency(made))
    override protected def getPartitions: Array[Partition] = firstParent[T].partitions
    override def compute(split: Partition, context: TaskContext): Iterator[T] =
      firstParent[T].iterator(split, context)
  }
}
