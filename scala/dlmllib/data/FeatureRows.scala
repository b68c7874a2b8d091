package dlmllib.data

import org.apache.spark.rdd.RDD
import org.apache.spark.sql.{Column, DataFrame, Row}
import org.apache.spark.sql.catalyst.{CatalystTypeConverters, InternalRow}
import org.apache.spark.sql.catalyst.util.ArrayData
import org.apache.spark.sql.functions.col
import org.apache.spark.sql.types.{ArrayType, DataType, DoubleType, NumericType}

/** A DataFrame's rows as Spark holds them internally, with the features column read for the
  * readers: for the stacking and for `transform`. A Row holds an array<double> as a boxed value per
  * number, which Spark's Row encoder builds one by one (a quarter of the stacking's profile; a
  * transform through Rows also encoded every column again). Numeric arrays (flat, or nested one
  * level) are therefore cast to doubles by Spark's generated code and taken from its internal rows
  * in one copy each: `Array[Double]`, or `Array[Array[Double]]`. A row with a null inside takes the
  * boxed form, as a Row holds it, so that the readers find the null and name where it is. Other
  * columns (vectors, image structs) are converted as a Row would hold them.
  */
object FeatureRows {

  /** (features, label) of each row of `df`'s `featuresCol` and `labelCol` (any numeric type: read
    * as a double, null for null).
    */
  def apply(df: DataFrame, featuresCol: String, labelCol: String): RDD[(Any, java.lang.Double)] = {
    val (rows, features) = appended(df, Seq(col(labelCol).cast(DoubleType)), featuresCol)
    rows.map(r => (features(r), if (r.isNullAt(0)) null else Double.box(r.getDouble(0))))
  }

  /** The internal rows of `df.select(columns :+ featuresCol)` (the features last, cast to doubles
    * when numeric arrays), and the reader of their features. The rows may be reused objects: copy
    * one to keep it. Planning a query with shuffles may run them, as `Dataset.rdd` does.
    */
  def appended(
      df: DataFrame,
      columns: Seq[Column],
      featuresCol: String
  ): (RDD[InternalRow], InternalRow => Any) = {
    val dataType = df.schema(featuresCol).dataType
    val unboxed = DoubleArrays.of(dataType)
    val features = unboxed.map(t => col(featuresCol).cast(t)).getOrElse(col(featuresCol))
    val selected = classicDataset(df.select(columns :+ features: _*))
    val at = selected.schema.length - 1 // not columns.length: "*" is one column of many
    val read: InternalRow => Any = unboxed match {
      case Some(t) =>
        val values = DoubleArrays.reader(t)
        r => values(r.getArray(at))
      case None =>
        val toScala = CatalystTypeConverters.createToScalaConverter(dataType)
        r => toScala(r.get(at, dataType))
    }
    (selected.queryExecution.toRdd, read)
  }

  /** Spark's own Dataset behind the API's: dlmllib runs in the JVM of a classic session (or a
    * Connect server's), never in a Connect client.
    */
  private def classicDataset(df: DataFrame): org.apache.spark.sql.classic.DataFrame = df match {
    case c: org.apache.spark.sql.classic.Dataset[Row @unchecked] => c
    case other => throw new IllegalArgumentException(s"not a classic Dataset: ${other.getClass}")
  }

  /** Numeric arrays as primitive double arrays. */
  private object DoubleArrays {
    private val flat = ArrayType(DoubleType)
    private val nested = ArrayType(flat)

    /** The type to cast a column of `dataType` to, when it is an array of numbers (or of arrays).
      */
    def of(dataType: DataType): Option[DataType] = dataType match {
      case ArrayType(_: NumericType, _) => Some(flat)
      case ArrayType(ArrayType(_: NumericType, _), _) => Some(nested)
      case _ => None
    }

    /** Turns a value of type `t` (`flat` or `nested`) into primitive arrays; null stays null. */
    def reader(t: DataType): ArrayData => Any =
      if (t == flat) values else (a: ArrayData) => if (a == null) null else steps(a)

    private def values(a: ArrayData): Any =
      if (a == null) null
      else if (hasNull(a)) a.toSeq[Any](DoubleType)
      else a.toDoubleArray()

    private def steps(a: ArrayData): Any = {
      val out = new Array[Array[Double]](a.numElements())
      var t = 0
      while (t < out.length) {
        if (a.isNullAt(t) || hasNull(a.getArray(t))) return boxed(a)
        out(t) = a.getArray(t).toDoubleArray()
        t += 1
      }
      out
    }

    private def boxed(a: ArrayData): Seq[Any] =
      a.toSeq[ArrayData](flat).map(s => if (s == null) null else s.toSeq[Any](DoubleType))

    private def hasNull(a: ArrayData): Boolean = {
      var i = 0
      while (i < a.numElements()) { if (a.isNullAt(i)) return true; i += 1 }
      false
    }
  }
}
