package dlmllib.rnn

import java.util.Locale

import dlmllib.nn.Recurrent
import dlmllib.param.TrainingParams
import org.apache.spark.ml.param._

/** Params of the RNN Estimators and Models. Recurrent networks default `clipNorm` to 5.0 (not 0 as
  * the other models): exploding gradients through time are their usual failure.
  */
trait RNNParams extends TrainingParams {

  /** The recurrent cell: lstm, gru or rnn (Elman, tanh), case-insensitive. Default lstm. */
  final val cellType: Param[String] = new Param[String](
    this,
    "cellType",
    s"the recurrent cell: ${Recurrent.Cells.mkString(", ")} (case-insensitive)",
    (s: String) => Recurrent.Cells.contains(s.toLowerCase(Locale.ROOT))
  )

  final def getCellType: String = $(cellType)

  /** Units of each recurrent layer (>= 1). Default 64. */
  final val hiddenSize: IntParam =
    new IntParam(
      this,
      "hiddenSize",
      "units of each recurrent layer (>= 1)",
      ParamValidators.gtEq(1)
    )

  final def getHiddenSize: Int = $(hiddenSize)

  /** Stacked recurrent layers (>= 1). Default 1. */
  final val numLayers: IntParam =
    new IntParam(this, "numLayers", "stacked recurrent layers (>= 1)", ParamValidators.gtEq(1))

  final def getNumLayers: Int = $(numLayers)

  /** Bidirectional recurrent layers. Default false. */
  final val bidirectional: BooleanParam =
    new BooleanParam(this, "bidirectional", "bidirectional recurrent layers")

  final def getBidirectional: Boolean = $(bidirectional)

  /** Dropout rate between recurrent layers and before the output layer, in [0, 1). Default 0. */
  final val dropout: DoubleParam = new DoubleParam(
    this,
    "dropout",
    "dropout rate between recurrent layers and before the output layer, in [0, 1)",
    ParamValidators.inRange(0.0, 1.0, lowerInclusive = true, upperInclusive = false)
  )

  final def getDropout: Double = $(dropout)

  /** Shape `[timesteps, features]` of a flat Vector featuresCol (step-major: the features of step
    * 0, then of step 1, …). Not needed for array columns, whose steps are read from the data.
    */
  final val inputShape: IntArrayParam = new IntArrayParam(
    this,
    "inputShape",
    "[timesteps, features] of a flat Vector featuresCol (step-major); not needed for array columns",
    (a: Array[Int]) => a.length == 2 && a.forall(_ > 0)
  )

  final def getInputShape: Array[Int] = $(inputShape)

  /** 0 (the default): the features are numbers. > 0: they are token ids in [0, vocabSize), one per
    * step (an array<int>, array<long> or array<double> column, or a Vector with inputShape `[T,
    * 1]`), embedded by an embedding layer of embeddingDim.
    */
  final val vocabSize: IntParam = new IntParam(
    this,
    "vocabSize",
    "0: the features are numbers; > 0: they are token ids in [0, vocabSize), one per step, " +
      "embedded in embeddingDim dimensions",
    ParamValidators.gtEq(0)
  )

  final def getVocabSize: Int = $(vocabSize)

  /** Dimension of the token embedding when vocabSize > 0 (>= 1). Default 32. */
  final val embeddingDim: IntParam = new IntParam(
    this,
    "embeddingDim",
    "dimension of the token embedding when vocabSize > 0 (>= 1)",
    ParamValidators.gtEq(1)
  )

  final def getEmbeddingDim: Int = $(embeddingDim)

  setDefault(
    cellType -> "lstm",
    hiddenSize -> 64,
    numLayers -> 1,
    bidirectional -> false,
    dropout -> 0.0,
    vocabSize -> 0,
    embeddingDim -> 32,
    clipNorm -> 5.0
  )
}
