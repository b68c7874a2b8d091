package dlmllib.data

import org.apache.spark.rdd.RDD
import org.apache.spark.sql.{classic, DataFrame}
import org.apache.spark.sql.catalyst.InternalRow
import org.apache.spark.sql.catalyst.util.ArrayData
import org.apache.spark.sql.functions.col
import org.apache.spark.sql.types.{ArrayType, DataType, DoubleType, NumericType}

/** The features and labels of a DataFrame, one pair per row, as the stacking reads them. A Row
  * holds an array<double> as a boxed value per number, which Spark's Row encoder builds one by one
  * (a quarter of the stacking's profile). Numeric arrays (flat, or nested one level) are therefore
  * cast to doubles by Spark's generated code and taken from its internal rows in one copy each:
  * `Array[Double]`, or `Array[Array[Double]]`. A row with a null inside takes the boxed form, as a
  * Row holds it, so that the readers find the null and name where it is. Other columns (vectors,
  * image structs) come as a Row's values.
  */
object FeatureRows {

  /** (features, label) of each row of `df`'s `featuresCol` and `labelCol` (any numeric type: read
    * as a double, null for null).
    */
  def apply(df: DataFrame, featuresCol: String, labelCol: String): RDD[(Any, java.lang.Double)] = {
    val featuresType = df.schema(featuresCol).dataType
    val unboxed = DoubleArrays.of(featuresType)
    val features = unboxed.map(t => col(featuresCol).cast(t)).getOrElse(col(featuresCol))
    val rows = df.select(features, col(labelCol).cast(DoubleType))
    (rows, unboxed) match {
      case (c: classic.Dataset[_], Some(t)) =>
        val read = DoubleArrays.reader(t)
        c.queryExecution.toRdd.map(r => (read(r.getArray(0)), label(r)))
      case _ =>
        rows.rdd.map(r => (r.get(0), if (r.isNullAt(1)) null else Double.box(r.getDouble(1))))
    }
  }

  private def label(r: InternalRow): java.lang.Double =
    if (r.isNullAt(1)) null else Double.box(r.getDouble(1))

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
