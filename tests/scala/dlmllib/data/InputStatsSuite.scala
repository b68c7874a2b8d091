package dlmllib.data

import dlmllib.testing.SparkTestSession
import org.apache.spark.sql.Row
import org.apache.spark.sql.functions.max
import org.apache.spark.sql.types._
import org.scalatest.funsuite.AnyFunSuite

/** What a fit reads of its dataset before stacking: right, and in one pass over it. */
class InputStatsSuite extends AnyFunSuite with SparkTestSession {

  private val schema = StructType(
    Seq(
      StructField("features", ArrayType(ArrayType(DoubleType))),
      StructField("label", IntegerType),
      StructField("isVal", BooleanType)
    )
  )

  private def frame(rows: Row*) =
    spark.createDataFrame(spark.sparkContext.parallelize(rows, 3), schema)

  test("rows, validation rows, the largest label and the longest sequence, in one query") {
    val step = Seq(1.0, 2.0)
    val df = frame(
      Row(Seq(step), 3, true),
      Row(Seq(step, step, step), 1, false),
      Row(null, null, null),
      Row(Seq(step, step), 7, true),
      Row(Seq(step), 0, false)
    )
    val stats = new InputStats(df, "label", Some("isVal"), Some("features"))
    val (read, n) =
      jobs((stats.rows, stats.validationRows, stats.maxLabel, stats.longest, stats.rows))
    assert(read == ((5L, 2L, Some(7.0), Some(3), 5L)))
    val (_, oneQuery) = jobs(df.agg(max("label")).head())
    assert(n == oneQuery, s"$n jobs, where one aggregation runs $oneQuery")
  }

  test("without a validation column or a column to measure; only null labels") {
    val stats = new InputStats(frame(Row(null, null, true)), "label", None, None)
    assert(stats.rows == 1L && stats.validationRows == 0L)
    assert(stats.maxLabel.isEmpty && stats.longest.isEmpty)
    val empty = new InputStats(frame(), "label", None, Some("features"))
    assert(empty.rows == 0L && empty.maxLabel.isEmpty && empty.longest.isEmpty)
  }

  test("the validation column must be boolean, checked before any job") {
    val df = frame(Row(null, 1, true)).withColumnRenamed("isVal", "v").selectExpr("*", "1 as n")
    val (e, n) = jobs(intercept[IllegalArgumentException] {
      new InputStats(df, "label", Some("n"), None)
    })
    assert(e.getMessage.contains("validationIndicatorCol `n` must be boolean, found int"))
    assert(n == 0)
  }
}
