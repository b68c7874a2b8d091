package dlmllib.ml

import dlmllib.data.Columns
import org.apache.spark.ml.dlmllib.SparkInternals
import org.apache.spark.sql.Dataset
import org.apache.spark.sql.functions.{col, count, floor, max, min, sum, when}
import org.apache.spark.sql.types.NumericType

/** Checks of the label column done on the driver before any stacking. */
object Labels {

  /** The number of classes: from the label column's ML attribute metadata (as StringIndexer writes
    * it), else the largest label + 1. Fails on nulls, negative or fractional labels.
    */
  def numClasses(dataset: Dataset[_], labelCol: String): Int = {
    checkNumeric(dataset, labelCol)
    val label = col(labelCol).cast("double")
    val row = dataset
      .select(
        count(when(label.isNull, 1)),
        min(label),
        max(label),
        sum(when(label =!= floor(label) || label.isNaN, 1).otherwise(0))
      )
      .head()
    if (row.getLong(0) > 0)
      throw new IllegalArgumentException(
        s"labelCol `$labelCol` must not be null, found ${row.getLong(0)} null labels"
      )
    if (row.isNullAt(1))
      throw new IllegalArgumentException(
        "the classifier needs training rows, found an empty dataset"
      )
    val (lo, hi, fractional) = (row.getDouble(1), row.getDouble(2), row.getLong(3))
    if (fractional > 0 || lo < 0)
      throw new IllegalArgumentException(
        s"labelCol `$labelCol` must hold class indices 0, 1, 2, … (whole numbers >= 0), found " +
          (if (lo < 0) s"the negative label $lo" else s"$fractional fractional or NaN labels")
      )
    SparkInternals.numClassesFromMetadata(dataset.schema(labelCol)) match {
      case Some(k) =>
        if (hi >= k)
          throw new IllegalArgumentException(
            s"labelCol `$labelCol` metadata declares $k classes (0 to ${k - 1}), found the label $hi"
          )
        k
      case None =>
        if (hi < 1)
          throw new IllegalArgumentException(
            s"labelCol `$labelCol` must hold at least 2 classes (labels 0 and 1), found only label $hi"
          )
        hi.toInt + 1
    }
  }

  def checkNumeric(dataset: Dataset[_], labelCol: String): Unit = {
    val field = Columns.field(dataset.schema, "labelCol", labelCol)
    require(
      field.dataType.isInstanceOf[NumericType],
      s"labelCol `$labelCol` must be numeric, found ${field.dataType.simpleString}"
    )
  }
}
