"""Params of the RNN Estimators and Models; mirrors the Scala package ``dlmllib.rnn``."""

from pyspark.ml.param import TypeConverters

from dlmllib.param import _param, _TrainingParams, _TrainingSetters


class _RNNParams(_TrainingParams):
    """Params of the RNN Estimators and Models."""

    cellType = _param(
        "cellType",
        "the recurrent cell: lstm, gru, rnn (case-insensitive)",
        TypeConverters.toString,
    )
    hiddenSize = _param("hiddenSize", "units of each recurrent layer (>= 1)", TypeConverters.toInt)
    numLayers = _param("numLayers", "stacked recurrent layers (>= 1)", TypeConverters.toInt)
    bidirectional = _param(
        "bidirectional", "bidirectional recurrent layers", TypeConverters.toBoolean
    )
    dropout = _param(
        "dropout",
        "dropout rate between recurrent layers and before the output layer, in [0, 1)",
        TypeConverters.toFloat,
    )
    inputShape = _param(
        "inputShape",
        "[timesteps, features] of a flat Vector featuresCol (step-major); not needed for array "
        "columns",
        TypeConverters.toListInt,
    )
    vocabSize = _param(
        "vocabSize",
        "0: the features are numbers; > 0: they are token ids in [0, vocabSize), one per step, "
        "embedded in embeddingDim dimensions",
        TypeConverters.toInt,
    )
    embeddingDim = _param(
        "embeddingDim",
        "dimension of the token embedding when vocabSize > 0 (>= 1)",
        TypeConverters.toInt,
    )

    # Recurrent networks clip gradients by default: exploding gradients are their usual failure.
    _defaults = dict(
        cellType="lstm",
        hiddenSize=64,
        numLayers=1,
        bidirectional=False,
        dropout=0.0,
        vocabSize=0,
        embeddingDim=32,
        clipNorm=5.0,
    )

    def getCellType(self) -> str:
        return self.getOrDefault(self.cellType)

    def getHiddenSize(self) -> int:
        return self.getOrDefault(self.hiddenSize)

    def getNumLayers(self) -> int:
        return self.getOrDefault(self.numLayers)

    def getBidirectional(self) -> bool:
        return self.getOrDefault(self.bidirectional)

    def getDropout(self) -> float:
        return self.getOrDefault(self.dropout)

    def getInputShape(self) -> list[int]:
        """Raises when unset (array columns need none)."""
        return self.getOrDefault(self.inputShape)

    def getVocabSize(self) -> int:
        return self.getOrDefault(self.vocabSize)

    def getEmbeddingDim(self) -> int:
        return self.getOrDefault(self.embeddingDim)


class _RNNSetters(_TrainingSetters):
    """Setters of the RNN Estimators' own params."""

    def setCellType(self, value: str):
        return self._set(cellType=value)

    def setHiddenSize(self, value: int):
        return self._set(hiddenSize=value)

    def setNumLayers(self, value: int):
        return self._set(numLayers=value)

    def setBidirectional(self, value: bool):
        return self._set(bidirectional=value)

    def setDropout(self, value: float):
        return self._set(dropout=value)

    def setInputShape(self, value: list[int]):
        return self._set(inputShape=value)

    def setVocabSize(self, value: int):
        return self._set(vocabSize=value)

    def setEmbeddingDim(self, value: int):
        return self._set(embeddingDim=value)


class _RNNModelSetters(_RNNParams):
    """What an RNN Model may set besides Spark's columns: the shape of flat Vectors to read."""

    def setInputShape(self, value: list[int]):
        """The ``[timesteps, features]`` of flat Vectors passed to ``transform``."""
        return self._set(inputShape=value)
