package dlmllib.rnn

import dlmllib.data.{InputError, InputReader}
import dlmllib.nn.{Arguments, Shape}
import org.apache.spark.ml.linalg.Vector

/** Reads sequences into `shape` = `[timesteps, features]` floats, step-major: an
  * array<array<number>> (one inner array of `features` values per step), an array<number> (one
  * value per step, `features` = 1), both boxed or as double arrays from `data.FeatureRows`, or a
  * Vector of exactly `timesteps × features` values. Arrays may be shorter than `timesteps`: they
  * are padded with zeros at the end and [[read]] returns their length (the mask). With `vocabSize`
  * > 0 the values are token ids, checked to be whole numbers in [0, vocabSize); otherwise they must
  * be finite.
  */
final case class SequenceReader(
    column: String,
    shape: Shape,
    vocabSize: Int = 0,
    override val variableLength: Boolean = true
) extends InputReader {
  Arguments.check(shape.rank == 2, s"a sequence shape is [timesteps, features], found $shape")
  private val maxSteps = shape(0)
  private val features = shape(1)

  override def steps(value: Any): Int = value match {
    case s: scala.collection.Seq[_] => s.length
    case s: Array[_] => s.length
    case _ => 0
  }

  override def padTo(steps: Int): InputReader = copy(shape = Shape.of(steps, features))

  def read(value: Any, out: Array[Float], offset: Int, row: => String): Int = {
    val length = value match {
      case null => InputReader.nullValue(column, row)
      case v: Vector =>
        if (v.size != shape.size)
          throw new InputError(
            s"column `$column` must hold vectors of ${shape.size} values (inputShape $shape), " +
              s"found ${v.size} in $row"
          )
        var i = 0
        while (i < shape.size) { out(offset + i) = v(i).toFloat; i += 1 }
        maxSteps
      case s: scala.collection.Seq[_] => readSteps(s.length, s.iterator, out, offset, row)
      case s: Array[Array[Double]] => readSteps(s.length, s.iterator, out, offset, row)
      case s: Array[Double] => readSteps(s.length, s.iterator.map(Double.box), out, offset, row)
      case other =>
        throw new InputError(
          s"column `$column` must hold sequences (arrays) or vectors, found " +
            s"${other.getClass.getName} in $row"
        )
    }
    check(out, offset, length, row)
    length
  }

  /** Reads `length` steps into `out(offset …)`, zeros after them; returns `length`. */
  private def readSteps(
      length: Int,
      steps: Iterator[Any],
      out: Array[Float],
      offset: Int,
      row: => String
  ): Int = {
    if (length == 0)
      throw new InputError(
        s"column `$column` must hold non-empty sequences, found an empty one in $row"
      )
    if (length > maxSteps)
      throw new InputError(
        s"column `$column`: a sequence of $length steps is longer than the $maxSteps steps " +
          s"read here, in $row"
      )
    var t = 0
    steps.foreach { step =>
      readStep(step, out, offset + t * features, t, row)
      t += 1
    }
    java.util.Arrays.fill(out, offset + length * features, offset + shape.size, 0f)
    length
  }

  private def readStep(step: Any, out: Array[Float], at: Int, t: Int, row: => String): Unit =
    step match {
      case null =>
        throw new InputError(
          s"column `$column` must not hold null steps, found null at step $t of $row"
        )
      case values: Array[Double] =>
        checkWidth(values.length, t, row)
        var j = 0
        while (j < features) { out(at + j) = values(j).toFloat; j += 1 }
      case values: scala.collection.Seq[_] =>
        checkWidth(values.length, t, row)
        var j = 0
        values.foreach { v =>
          if (v == null)
            throw new InputError(
              s"column `$column` must not hold null values, found null at step $t, feature $j of $row"
            )
          out(at + j) = v.asInstanceOf[Number].floatValue
          j += 1
        }
      case v: Number =>
        if (features != 1)
          throw new InputError(
            s"column `$column`: every step must have $features features, found a single number " +
              s"at step $t of $row"
          )
        if (vocabSize > 0) checkTokenId(v.doubleValue, t, row)
        out(at) = v.floatValue
      case other =>
        throw new InputError(
          s"column `$column` must hold numbers or arrays of numbers per step, found " +
            s"${other.getClass.getName} at step $t of $row"
        )
    }

  private def checkWidth(found: Int, t: Int, row: => String): Unit =
    if (found != features)
      throw new InputError(
        s"column `$column`: every step must have $features features (the width of the first " +
          s"step of the first sequence), found $found at step $t of $row"
      )

  /** Token ids in range (exactly, before the float conversion), or finite numbers. */
  private def check(out: Array[Float], offset: Int, length: Int, row: => String): Unit =
    if (vocabSize > 0) {
      var t = 0
      while (t < length) { checkTokenId(out(offset + t).toDouble, t, row); t += 1 }
    } else
      InputReader.checkFinite(
        out,
        offset,
        length * features,
        column,
        row,
        i => s"step ${i / features}, feature ${i % features}"
      )

  private def checkTokenId(v: Double, t: Int, row: => String): Unit =
    if (!(v >= 0 && v < vocabSize && v == math.floor(v)))
      throw new InputError(
        s"column `$column` must hold token ids, whole numbers from 0 to ${vocabSize - 1} " +
          s"(vocabSize $vocabSize), found $v at step $t of $row"
      )
}
