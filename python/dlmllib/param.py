"""Params of dlmllib's Estimators and Models; mirrors the Scala package ``dlmllib.param``.

Each default here equals the Scala one, because PySpark hands its Python defaults to the JVM.
"""

import inspect
from typing import Optional

from pyspark.ml.param import Param, Params, TypeConverters
from pyspark.ml.param.shared import (
    HasAggregationDepth,
    HasMaxIter,
    HasRegParam,
    HasSeed,
    HasSolver,
    HasStepSize,
    HasValidationIndicatorCol,
)

# The Scala default seed, the same in every language and process (PySpark's own default is the
# per-process randomised hash of the class name).
DEFAULT_SEED = 42


def _keywords_of_set_params(estimator) -> None:
    """Shows an Estimator's ``__init__`` with the keyword signature of its ``setParams`` (which
    it forwards to), so that help() and IDEs list every param once."""
    signature = inspect.signature(estimator.setParams)
    estimator.__init__.__signature__ = signature.replace(return_annotation=None)


def _param(name: str, doc: str, converter) -> Param:
    return Param(Params._dummy(), name, doc, typeConverter=converter)


class _TrainingParams(
    HasMaxIter,
    HasStepSize,
    HasSeed,
    HasRegParam,
    HasSolver,
    HasValidationIndicatorCol,
    HasAggregationDepth,
):
    """The training params shared by the four dlmllib Estimators and their Models."""

    batchSize = _param("batchSize", "mini-batch size (>= 1)", TypeConverters.toInt)
    solver = _param("solver", "the optimizer: adam, sgd, momentum", TypeConverters.toString)
    localSteps = _param(
        "localSteps",
        "mini-batch steps each partition takes between two averagings of the weights (>= 0); "
        "0 means one pass over the partition's batches (one round per epoch)",
        TypeConverters.toInt,
    )
    patience = _param(
        "patience",
        "early stopping: epochs without an improvement of the watched loss (the validation loss "
        "when validationIndicatorCol is set, else the training loss) before training stops and "
        "the best epoch's weights are restored (>= 0); 0 turns early stopping off",
        TypeConverters.toInt,
    )
    tol = _param(
        "tol",
        "early stopping: an epoch counts as an improvement when the watched loss falls by more "
        "than tol below the best so far (>= 0); used only when patience > 0",
        TypeConverters.toFloat,
    )
    momentum = _param(
        "momentum", "momentum of the momentum solver, in [0, 1)", TypeConverters.toFloat
    )
    nesterov = _param(
        "nesterov", "use Nesterov momentum with the momentum solver", TypeConverters.toBoolean
    )
    learningRateSchedule = _param(
        "learningRateSchedule",
        "learning rate over epochs: constant, cosine, step(every) or step(every, gamma)",
        TypeConverters.toString,
    )
    clipNorm = _param(
        "clipNorm",
        "clip each gradient to this global L2 norm (>= 0); 0 disables clipping",
        TypeConverters.toFloat,
    )

    checkpointDir = _param(
        "checkpointDir",
        "a Hadoop directory where training keeps its last checkpoint (weights, optimizer state, "
        "epoch, history) every checkpointInterval epochs; a fit of the same estimator, network, "
        "params and data given a directory holding one resumes from it; unset: no checkpoints",
        TypeConverters.toString,
    )
    checkpointInterval = _param(
        "checkpointInterval",
        "epochs between two checkpoints when checkpointDir is set (>= 1); the last epoch is "
        "always checkpointed",
        TypeConverters.toInt,
    )
    initialModel = _param(
        "initialModel",
        "the path of a saved dlmllib model whose weights training starts from (fine-tuning): every "
        "layer equal to the saved one (same spec and input shape) starts from its weights, an "
        "output layer of a different size is initialised afresh; unset: random initial weights",
        TypeConverters.toString,
    )
    frozenLayers = _param(
        "frozenLayers",
        "indices (from 0, in the order of the network's layers, output layer included) of the "
        "layers whose weights training leaves unchanged; empty: every layer trains",
        TypeConverters.toListInt,
    )

    def __init__(self, *args):
        super().__init__(*args)
        self._setDefault(
            maxIter=10,
            batchSize=64,
            stepSize=0.001,
            solver="adam",
            regParam=0.0,
            seed=DEFAULT_SEED,
            tol=1e-4,
            localSteps=64,
            patience=0,
            momentum=0.9,
            nesterov=False,
            learningRateSchedule="constant",
            clipNorm=0.0,
            aggregationDepth=2,
            checkpointInterval=1,
            frozenLayers=[],
        )

    def getBatchSize(self) -> int:
        return self.getOrDefault(self.batchSize)

    def getLocalSteps(self) -> int:
        return self.getOrDefault(self.localSteps)

    def getPatience(self) -> int:
        return self.getOrDefault(self.patience)

    def getTol(self) -> float:
        return self.getOrDefault(self.tol)

    def getCheckpointDir(self) -> str:
        return self.getOrDefault(self.checkpointDir)

    def getCheckpointInterval(self) -> int:
        return self.getOrDefault(self.checkpointInterval)

    def getInitialModel(self) -> str:
        return self.getOrDefault(self.initialModel)

    def getFrozenLayers(self) -> list[int]:
        return self.getOrDefault(self.frozenLayers)

    def getMomentum(self) -> float:
        return self.getOrDefault(self.momentum)

    def getNesterov(self) -> bool:
        return self.getOrDefault(self.nesterov)

    def getLearningRateSchedule(self) -> str:
        return self.getOrDefault(self.learningRateSchedule)

    def getClipNorm(self) -> float:
        return self.getOrDefault(self.clipNorm)


class _TrainingSetters(Params):
    """Setters of the training params, for the Estimators."""

    def setMaxIter(self, value: int):
        return self._set(maxIter=value)

    def setBatchSize(self, value: int):
        return self._set(batchSize=value)

    def setStepSize(self, value: float):
        return self._set(stepSize=value)

    def setSolver(self, value: str):
        return self._set(solver=value)

    def setRegParam(self, value: float):
        return self._set(regParam=value)

    def setSeed(self, value: int):
        return self._set(seed=value)

    def setTol(self, value: float):
        return self._set(tol=value)

    def setValidationIndicatorCol(self, value: str):
        return self._set(validationIndicatorCol=value)

    def setAggregationDepth(self, value: int):
        return self._set(aggregationDepth=value)

    def setLocalSteps(self, value: int):
        return self._set(localSteps=value)

    def setPatience(self, value: int):
        return self._set(patience=value)

    def setMomentum(self, value: float):
        return self._set(momentum=value)

    def setNesterov(self, value: bool):
        return self._set(nesterov=value)

    def setLearningRateSchedule(self, value: str):
        return self._set(learningRateSchedule=value)

    def setClipNorm(self, value: float):
        return self._set(clipNorm=value)

    def setCheckpointDir(self, value: str):
        return self._set(checkpointDir=value)

    def setCheckpointInterval(self, value: int):
        return self._set(checkpointInterval=value)

    def setInitialModel(self, value):
        """Starts training from a saved model's weights: ``value`` is its path, or a dlmllib model
        (saved to a temporary directory of the driver, whose path the param then holds)."""
        if isinstance(value, str):
            return self._set(initialModel=value)
        self._java_obj.setInitialModel(value._java_obj)
        return self._set(initialModel=self._java_obj.getInitialModel())

    def setFrozenLayers(self, value: list[int]):
        return self._set(frozenLayers=value)


class _CNNParams(_TrainingParams):
    """Params of the CNN Estimators and Models."""

    inputShape = _param(
        "inputShape",
        "[channels, height, width] of a flat features vector (CHW order); not needed for image "
        "structs",
        TypeConverters.toListInt,
    )
    layers = _param(
        "layers",
        "a preset (lenet5, vgg, resnet) or a layer spec such as "
        "'conv2d(32, 3, relu); maxpool(2); dense(128, relu)'; the output layer is appended",
        TypeConverters.toString,
    )

    def __init__(self, *args):
        super().__init__(*args)
        self._setDefault(layers="lenet5")

    def getInputShape(self) -> Optional[list[int]]:
        return self.getOrDefault(self.inputShape)

    def getLayers(self) -> str:
        return self.getOrDefault(self.layers)


class _CNNSetters(_TrainingSetters):
    def setInputShape(self, value: list[int]):
        return self._set(inputShape=value)

    def setLayers(self, value: str):
        return self._set(layers=value)


class _RNNParams(_TrainingParams):
    """Params of the RNN Estimators and Models."""

    cellType = _param("cellType", "the recurrent cell: lstm, gru or rnn", TypeConverters.toString)
    hiddenSize = _param("hiddenSize", "units per recurrent layer (>= 1)", TypeConverters.toInt)
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
        "[timesteps, features] of a flat features vector; not needed for array columns",
        TypeConverters.toListInt,
    )
    vocabSize = _param(
        "vocabSize",
        "0: features are numbers; > 0: features are token ids in [0, vocabSize), embedded",
        TypeConverters.toInt,
    )
    embeddingDim = _param(
        "embeddingDim",
        "size of the token embedding when vocabSize > 0 (>= 1)",
        TypeConverters.toInt,
    )

    def __init__(self, *args):
        super().__init__(*args)
        # Recurrent networks clip gradients by default.
        self._setDefault(
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

    def getInputShape(self) -> Optional[list[int]]:
        return self.getOrDefault(self.inputShape)

    def getVocabSize(self) -> int:
        return self.getOrDefault(self.vocabSize)

    def getEmbeddingDim(self) -> int:
        return self.getOrDefault(self.embeddingDim)


class _RNNSetters(_TrainingSetters):
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
