package dlmllib.train
import java.util.Locale

import dlmllib.nn.{Dense, Dropout, Embedding, Layer, Network, Recurrent, Shape}
import dlmllib.param.RNNParams
import dlmllib.util.Columns
import org.apache.spark.ml.linalg.{SQLDataTypes, Vector}
import org.apache.spark.sql.Dataset
import org.apache.spark.sql.functions.{col, get, lit, max, size}
import org.apache.spark.sql.types._

/** How the RNN Estimators and Models read their features column and build their network. */
object RNNInput {

  /** The shape `[timesteps, features]` of the samples of `column`: from inputShape for Vectors;
    * from the data for arrays (the longest sequence; the width of the first step of the first
    * non-empty row for nested arrays, 1 for flat arrays and token ids).
    */
  def shape(
      dataset: Dataset[_],
      column: String,
      inputShape: Option[Array[Int]],
      vocabSize: Int
  ): Shape = {
    val declared = inputShape.map(s => Shape(s.toIndexedSeq))
    val dataType = columnType(dataset.schema, column, vocabSize)
    if (dataType == SQLDataTypes.VectorType) {
      val s = declared.getOrElse(
        throw new IllegalArgumentException(
          s"featuresCol `$column` holds flat vectors: set inputShape to their " +
            "[timesteps, features] (e.g. [50, 3] for 150 values, step-major)"
        )
      )
      require(
        vocabSize == 0 || s(1) == 1,
        s"with vocabSize $vocabSize the features are token ids, one per step: inputShape must " +
          s"be [timesteps, 1], found $s"
      )
      s
    } else {
      val features = dataType match {
        case ArrayType(_: ArrayType, _) =>
          val c = col(column)
          val first = dataset
            .select(size(get(c, lit(0))))
            .where(c.isNotNull && size(c) > 0 && get(c, lit(0)).isNotNull)
            .head(1)
          if (first.isEmpty) 1 else math.max(first(0).getInt(0), 1)
        case _ => 1
      }
      declared.foreach { s =>
        require(
          s(1) == features,
          s"inputShape $s does not match featuresCol `$column`, whose steps have $features " +
            "features; inputShape is for Vector columns, leave it unset for arrays"
        )
      }
      Shape.of(longest(dataset, column), features)
    }
  }

  private def longest(dataset: Dataset[_], column: String): Int = {
    val row = dataset.select(max(size(col(column)))).head()
    val steps = if (row.isNullAt(0)) 0 else row.getInt(0)
    if (steps < 1)
      throw new IllegalArgumentException(
        s"featuresCol `$column` must hold non-empty sequences, found " +
          (if (row.isNullAt(0)) "an empty dataset" else "only empty or null sequences")
      )
    steps
  }

  /** The reader of `column` for sequences of `shape` (the longest; shorter ones are padded). */
  def reader(schema: StructType, column: String, shape: Shape, vocabSize: Int): InputReader =
    SequenceReader(
      column,
      shape,
      vocabSize,
      variableLength = columnType(schema, column, vocabSize) != SQLDataTypes.VectorType
    )

  /** The reader a trained `network` uses on `column`: arrays padded to the network's steps (longer
    * ones are read too), Vectors of `inputShape` (else of the network's input shape).
    */
  def reader(
      schema: StructType,
      column: String,
      network: Network,
      inputShape: Option[Array[Int]]
  ): InputReader = {
    val vocab = vocabSize(network)
    val shape =
      if (columnType(schema, column, vocab) == SQLDataTypes.VectorType)
        vectorShape(network, inputShape)
      else network.inputShape
    reader(schema, column, shape, vocab)
  }

  /** The shape of a Vector a trained `network` reads: `inputShape` when set, checked against the
    * network's features per step, else the network's input shape.
    */
  def vectorShape(network: Network, inputShape: Option[Array[Int]]): Shape =
    inputShape.map(s => Shape(s.toIndexedSeq)).fold(network.inputShape) { s =>
      require(
        s(1) == network.inputShape(1),
        s"inputShape $s does not fit this model, trained on steps of ${network.inputShape(1)} " +
          s"features (input shape ${network.inputShape})"
      )
      s
    }

  /** The vocabulary of a network that starts with an embedding, else 0. */
  def vocabSize(network: Network): Int = network.layers.headOption match {
    case Some(e: Embedding) => e.vocabSize
    case _ => 0
  }

  /** Fails unless `column` exists and holds what the RNN models read. */
  def columnType(schema: StructType, column: String, vocabSize: Int): DataType = {
    val field = Columns.field(schema, "featuresCol", column)
    val ok = field.dataType match {
      case t if t == SQLDataTypes.VectorType => true
      case ArrayType(ArrayType(_: NumericType, _), _) => vocabSize == 0
      case ArrayType(_: IntegerType | _: LongType | _: DoubleType, _) => true
      case ArrayType(_: NumericType, _) => vocabSize == 0
      case _ => false
    }
    require(
      ok,
      if (vocabSize > 0)
        s"with vocabSize $vocabSize, featuresCol `$column` must hold token ids as array<int>, " +
          s"array<bigint> or array<double> (or vectors with inputShape), found " +
          field.dataType.simpleString
      else
        s"featuresCol `$column` must hold sequences: array<array<double>> (one inner array per " +
          "step), array<double> (one feature per step) or vectors with inputShape, found " +
          field.dataType.simpleString
    )
    field.dataType
  }

  /** The many-to-one network: [embedding] → numLayers recurrent layers (all but the last returning
    * sequences, dropout between them) → [dropout] → dense(outputUnits).
    */
  def network(params: RNNParams, shape: Shape, outputUnits: Int): Network = {
    val cell = params.getCellType.toLowerCase(Locale.ROOT)
    val rate = params.getDropout
    def dropout: Seq[Layer] = if (rate > 0) Seq(Dropout(rate)) else Nil
    val embedding: Seq[Layer] =
      if (params.getVocabSize > 0) Seq(Embedding(params.getVocabSize, params.getEmbeddingDim))
      else Nil
    val recurrent: Seq[Layer] = (1 to params.getNumLayers).flatMap { i =>
      val last = i == params.getNumLayers
      Recurrent(cell, params.getHiddenSize, !last, params.getBidirectional) +:
        (if (last) Nil else dropout)
    }
    new Network(shape, (embedding ++ recurrent ++ dropout :+ Dense(outputUnits)).toIndexedSeq)
  }
}

/** The input hooks of the RNN Estimators: sequences of arrays, token ids or flat Vectors. */
trait RNNEstimatorInput extends NetworkEstimator with RNNParams {
  override protected def featuresType(schema: StructType): DataType =
    RNNInput.columnType(schema, $(featuresCol), $(vocabSize))

  override protected def sampleShape(dataset: Dataset[_]): Shape =
    RNNInput.shape(dataset, $(featuresCol), get(inputShape), $(vocabSize))

  override protected def buildNetwork(shape: Shape, outputUnits: Int): Network =
    RNNInput.network(this, shape, outputUnits)

  override protected def trainingReader(schema: StructType, shape: Shape): InputReader =
    RNNInput.reader(schema, $(featuresCol), shape, $(vocabSize))
}

/** The input hooks of the RNN Models: arrays padded to the network's steps (longer ones are read in
  * full), Vectors of inputShape (else of the network's input shape).
  */
trait RNNModelInput extends NetworkModel with RNNParams {
  override protected def featuresType(schema: StructType): DataType =
    RNNInput.columnType(schema, $(featuresCol), RNNInput.vocabSize(network))

  override protected def featuresReader(schema: StructType): InputReader =
    RNNInput.reader(schema, $(featuresCol), network, get(inputShape))

  override protected def vectorReader: InputReader =
    SequenceReader(
      "features",
      RNNInput.vectorShape(network, get(inputShape)),
      RNNInput.vocabSize(network),
      variableLength = false
    )
}

/** Reads sequences into `shape` = `[timesteps, features]` floats, step-major: an
  * array<array<number>> (one inner array of `features` values per step), an array<number> (one
  * value per step, `features` = 1) or a Vector of exactly `timesteps × features` values. Arrays may
  * be shorter than `timesteps`: they are padded with zeros at the end and [[read]] returns their
  * length (the mask). With `vocabSize` > 0 the values are token ids, checked to be whole numbers in
  * [0, vocabSize); otherwise they must be finite.
  */
final case class SequenceReader(
    column: String,
    shape: Shape,
    vocabSize: Int = 0,
    override val variableLength: Boolean = true
) extends InputReader {
  require(shape.rank == 2, s"a sequence shape is [timesteps, features], found $shape")
  private val maxSteps = shape(0)
  private val features = shape(1)

  override def steps(value: Any): Int = value match {
    case s: scala.collection.Seq[_] => s.length
    case _ => 0
  }

  override def padTo(steps: Int): InputReader = copy(shape = Shape.of(steps, features))

  def read(value: Any, out: Array[Float], offset: Int, row: => String): Int = {
    val length = value match {
      case null => InputReader.nullValue(column, row)
      case v: Vector =>
        if (v.size != shape.size)
          throw new IllegalArgumentException(
            s"column `$column` must hold vectors of ${shape.size} values (inputShape $shape), " +
              s"found ${v.size} in $row"
          )
        var i = 0
        while (i < shape.size) { out(offset + i) = v(i).toFloat; i += 1 }
        maxSteps
      case s: scala.collection.Seq[_] =>
        if (s.isEmpty)
          throw new IllegalArgumentException(
            s"column `$column` must hold non-empty sequences, found an empty one in $row"
          )
        if (s.length > maxSteps)
          throw new IllegalArgumentException(
            s"column `$column`: a sequence of ${s.length} steps is longer than the $maxSteps steps " +
              s"read here, in $row"
          )
        var t = 0
        s.foreach { step =>
          readStep(step, out, offset + t * features, t, row)
          t += 1
        }
        java.util.Arrays.fill(out, offset + t * features, offset + shape.size, 0f)
        t
      case other =>
        throw new IllegalArgumentException(
          s"column `$column` must hold sequences (arrays) or vectors, found " +
            s"${other.getClass.getName} in $row"
        )
    }
    check(out, offset, length, row)
    length
  }

  private def readStep(step: Any, out: Array[Float], at: Int, t: Int, row: => String): Unit =
    step match {
      case null =>
        throw new IllegalArgumentException(
          s"column `$column` must not hold null steps, found null at step $t of $row"
        )
      case values: scala.collection.Seq[_] =>
        if (values.length != features)
          throw new IllegalArgumentException(
            s"column `$column`: every step must have $features features (the width of the first " +
              s"step of the first sequence), found ${values.length} at step $t of $row"
          )
        var j = 0
        values.foreach { v =>
          if (v == null)
            throw new IllegalArgumentException(
              s"column `$column` must not hold null values, found null at step $t, feature $j of $row"
            )
          out(at + j) = v.asInstanceOf[Number].floatValue
          j += 1
        }
      case v: Number =>
        if (features != 1)
          throw new IllegalArgumentException(
            s"column `$column`: every step must have $features features, found a single number " +
              s"at step $t of $row"
          )
        if (vocabSize > 0) checkTokenId(v.doubleValue, t, row)
        out(at) = v.floatValue
      case other =>
        throw new IllegalArgumentException(
          s"column `$column` must hold numbers or arrays of numbers per step, found " +
            s"${other.getClass.getName} at step $t of $row"
        )
    }

  /** Token ids in range (exactly, before the float conversion), or finite numbers. */
  private def check(out: Array[Float], offset: Int, length: Int, row: => String): Unit = {
    var i = 0
    while (i < length * features) {
      val v = out(offset + i)
      if (vocabSize > 0) checkTokenId(v.toDouble, i / features, row)
      else if (v.isNaN || v.isInfinite)
        throw new IllegalArgumentException(
          s"column `$column` must hold finite numbers, found $v at step ${i / features}, " +
            s"feature ${i % features} of $row"
        )
      i += 1
    }
  }

  private def checkTokenId(v: Double, t: Int, row: => String): Unit =
    if (!(v >= 0 && v < vocabSize && v == math.floor(v)))
      throw new IllegalArgumentException(
        s"column `$column` must hold token ids, whole numbers from 0 to ${vocabSize - 1} " +
          s"(vocabSize $vocabSize), found $v at step $t of $row"
      )
}
