package dlmllib.data

import dlmllib.nn.Arguments
import org.apache.spark.sql.{Column, Dataset, Row}
import org.apache.spark.sql.functions.{coalesce, col, count, lit, max, size, when}
import org.apache.spark.sql.types.{BooleanType, DoubleType, IntegerType}

/** What a fit reads of its dataset before stacking it, in one aggregation run on first use: the
  * rows, those that validationIndicatorCol marks, the largest label and, when asked, the longest
  * array of the features column. Each was a query of its own, and each query reads the input again
  * (all of it, when it is not cached).
  *
  * @param validationCol
  *   the boolean column that marks validation rows (checked here), if any
  * @param longestOf
  *   the array column whose longest array to measure, if any
  */
final class InputStats(
    dataset: Dataset[_],
    labelCol: String,
    val validationCol: Option[String],
    longestOf: Option[String]
) {

  /** Whether a row is for validation, when there is a validation column. */
  val marked: Option[Column] = validationCol.map(InputStats.marked(dataset, _))

  private lazy val stats: Row = dataset
    .agg(
      count(lit(1)),
      marked.map(m => count(when(m, 1))).getOrElse(lit(0L)),
      max(col(labelCol).cast(DoubleType)),
      longestOf.map(c => max(size(col(c)))).getOrElse(lit(null).cast(IntegerType))
    )
    .head()

  /** The number of rows. */
  def rows: Long = stats.getLong(0)

  /** The number of rows that validationIndicatorCol marks (0 without it). */
  def validationRows: Long = stats.getLong(1)

  /** The largest label, None when every label is null. */
  def maxLabel: Option[Double] = if (stats.isNullAt(2)) None else Some(stats.getDouble(2))

  /** The length of the longest array of `longestOf`, None without it or when all are null. */
  def longest: Option[Int] = if (stats.isNullAt(3)) None else Some(stats.getInt(3))
}

object InputStats {

  /** Whether a row is for validation: `column` is true (null is not). Fails unless it is boolean.
    */
  private def marked(dataset: Dataset[_], column: String): Column = {
    val field = Columns.field(dataset.schema, "validationIndicatorCol", column)
    Arguments.check(
      field.dataType == BooleanType,
      s"validationIndicatorCol `$column` must be boolean, found ${field.dataType.simpleString}"
    )
    coalesce(col(column), lit(false))
  }
}
