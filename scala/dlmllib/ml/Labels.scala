package dlmllib.ml

import dlmllib.data.{Columns, InputStats}
import dlmllib.nn.Arguments
import org.apache.spark.ml.dlmllib.SparkInternals
import org.apache.spark.sql.Dataset
import org.apache.spark.sql.types.NumericType

/** What the driver reads of the label column before any stacking. The labels themselves are checked
  * row by row as they are stacked (`engine.Task.target`), where an error can name the row.
  */
object Labels {

  /** The number of classes: from the label column's ML attribute metadata (as StringIndexer writes
    * it), else the largest label (of `stats`) + 1.
    */
  def numClasses(dataset: Dataset[_], labelCol: String, stats: InputStats): Int =
    SparkInternals.numClassesFromMetadata(dataset.schema(labelCol)).getOrElse {
      val hi = stats.maxLabel.getOrElse(Double.NaN)
      Arguments.check(
        hi >= 1 && hi < Int.MaxValue,
        s"labelCol `$labelCol` must hold at least 2 classes (labels 0 and 1), found " +
          (if (stats.maxLabel.isEmpty) "only null labels" else s"the largest label $hi")
      )
      hi.toInt + 1
    }

  def checkNumeric(dataset: Dataset[_], labelCol: String): Unit = {
    val field = Columns.field(dataset.schema, "labelCol", labelCol)
    Arguments.check(
      field.dataType.isInstanceOf[NumericType],
      s"labelCol `$labelCol` must be numeric, found ${field.dataType.simpleString}"
    )
  }
}
