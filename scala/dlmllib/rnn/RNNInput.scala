package dlmllib.rnn

import java.util.Locale

import dlmllib.data.{Columns, InputReader}
import dlmllib.nn.{Arguments, Dense, Dropout, Embedding, Layer, Network, Recurrent, Shape}
import org.apache.spark.ml.linalg.SQLDataTypes
import org.apache.spark.sql.Dataset
import org.apache.spark.sql.functions.{col, get, lit, size}
import org.apache.spark.sql.types._

/** How the RNN Estimators and Models read their features column and build their network. */
object RNNInput {

  /** The shape `[timesteps, features]` of the samples of `column`: from inputShape for Vectors;
    * from the data for arrays (the `longest` sequence, which the caller measured, None when all are
    * null; the width of the first step of the first non-empty row for nested arrays, 1 for flat
    * arrays and token ids).
    */
  def shape(
      dataset: Dataset[_],
      column: String,
      inputShape: Option[Array[Int]],
      vocabSize: Int,
      longest: => Option[Int]
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
      Arguments.check(
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
        Arguments.check(
          s(1) == features,
          s"inputShape $s does not match featuresCol `$column`, whose steps have $features " +
            "features; inputShape is for Vector columns, leave it unset for arrays"
        )
      }
      Shape.of(checkedSteps(column, longest), features)
    }
  }

  private def checkedSteps(column: String, longest: Option[Int]): Int = {
    val steps = longest.getOrElse(0)
    if (steps < 1)
      throw new IllegalArgumentException(
        s"featuresCol `$column` must hold non-empty sequences, found only empty or null ones"
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
      Arguments.check(
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
    Arguments.check(
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
