package dlmllib.ml

import dlmllib.data.Columns
import dlmllib.nn.Arguments
import org.apache.spark.ml.dlmllib.SparkInternals
import org.apache.spark.sql.Dataset
import org.apache.spark.sql.functions.{col, max}
import org.apache.spark.sql.types.NumericType

/** What the driver reads of the label column before any stacking. The labels themselves are checked
  * row by row as they are stacked (`engine.Task.target`), where an error can name the row.
  */
object Labels {

  /** The number of classes: from the label column's ML attribute metadata (as StringIndexer writes
    * it), else the largest label + 1.
    */
  def numClasses(dataset: Dataset[_], labelCol: String): Int = {
    checkNumeric(dataset, labelCol)
    SparkInternals.numClassesFromMetadata(dataset.schema(labelCol)).getOrElse {
      val row = dataset.select(max(col(labelCol).cast("double"))).head()
      val hi = if (row.isNullAt(0)) Double.NaN else row.getDouble(0)
      Arguments.check(
        hi >= 1 && hi < Int.MaxValue,
        s"labelCol `$labelCol` must hold at least 2 classes (labels 0 and 1), found " +
          (if (row.isNullAt(0)) "only null labels" else s"the largest label $hi")
      )
      hi.toInt + 1
    }
  }

  def checkNumeric(dataset: Dataset[_], labelCol: String): Unit = {
    val field = Columns.field(dataset.schema, "labelCol", labelCol)
    Arguments.check(
      field.dataType.isInstanceOf[NumericType],
      s"labelCol `$labelCol` must be numeric, found ${field.dataType.simpleString}"
    )
  }
}
