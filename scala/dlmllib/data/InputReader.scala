package dlmllib.data

import dlmllib.nn.{Arguments, Shape}
import org.apache.spark.ml.linalg.{SQLDataTypes, Vector}
import org.apache.spark.sql.types._

/** Reads one column's value into float32, `shape.size` floats per sample. One per Estimator family
  * and column type; serialisable, so tasks run it where the rows are.
  */
trait InputReader extends Serializable {

  /** The column this reader reads. */
  def column: String

  /** The shape of one sample. */
  def shape: Shape

  /** True when samples are sequences of varying length ([[read]] returns the valid length). */
  def variableLength: Boolean = false

  /** The number of time steps of `value` for a variable-length reader (0 when `value` is not a
    * sequence: [[read]] then says why); `shape(0)` otherwise.
    */
  def steps(value: Any): Int = shape(0)

  /** This reader padding sequences to `steps` time steps (a variable-length reader's `shape(0)`):
    * how a model reads sequences longer than any it was trained on.
    */
  def padTo(steps: Int): InputReader = {
    Arguments.check(
      steps == shape(0),
      s"a reader of fixed-size samples $shape cannot read $steps steps"
    )
    this
  }

  /** Writes `value`'s features into `out(offset until offset + shape.size)`; returns the valid
    * length of a variable-length sample (ignored otherwise). `row` names the sample in errors.
    * Throws IllegalArgumentException naming the column, the row, the expected and the found.
    */
  def read(value: Any, out: Array[Float], offset: Int, row: => String): Int
}

object InputReader {

  /** Fails unless every float in `out(offset until offset + n)` is finite; `at` names the position
    * of the i-th value in the error (e.g. "step 3, feature 1").
    */
  def checkFinite(
      out: Array[Float],
      offset: Int,
      n: Int,
      column: String,
      row: => String,
      at: Int => String = i => s"position $i"
  ): Unit = {
    var i = 0
    while (i < n) {
      val v = out(offset + i)
      if (v.isNaN || v.isInfinite)
        throw new InputError(
          s"column `$column` must hold finite numbers, found $v at ${at(i)} of $row"
        )
      i += 1
    }
  }

  def nullValue(column: String, row: => String): Nothing =
    throw new InputError(s"column `$column` must not be null, found null in $row")
}

/** A Spark `Vector` or a numeric array (boxed, or a double[] from [[FeatureRows]]), flattened in
  * the order of `shape` (CHW for images).
  */
final case class FlatReader(column: String, shape: Shape) extends InputReader {

  def read(value: Any, out: Array[Float], offset: Int, row: => String): Int = {
    val n = shape.size
    def wrongLength(found: Int): Nothing = throw new InputError(
      s"column `$column` must hold $n values (inputShape $shape), found $found in $row"
    )
    value match {
      case null => InputReader.nullValue(column, row)
      case v: Vector =>
        if (v.size != n) wrongLength(v.size)
        java.util.Arrays.fill(out, offset, offset + n, 0f)
        v.foreachActive((i, x) => out(offset + i) = x.toFloat)
      case a: Array[Double] =>
        if (a.length != n) wrongLength(a.length)
        var i = 0
        while (i < n) { out(offset + i) = a(i).toFloat; i += 1 }
      case a: scala.collection.Seq[_] =>
        if (a.length != n) wrongLength(a.length)
        var i = 0
        a.foreach { x =>
          if (x == null) InputReader.nullValue(s"$column[$i]", row)
          out(offset + i) = x.asInstanceOf[Number].floatValue
          i += 1
        }
      case other =>
        throw new InputError(
          s"column `$column` must hold vectors or numeric arrays, found ${other.getClass.getName}"
        )
    }
    InputReader.checkFinite(out, offset, n, column, row)
    0
  }
}

object FlatReader {

  /** True for the column types a [[FlatReader]] reads. */
  def accepts(dataType: DataType): Boolean = dataType match {
    case t if t == SQLDataTypes.VectorType => true
    case ArrayType(_: NumericType, _) => true
    case _ => false
  }
}
