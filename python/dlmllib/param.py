"""Params shared by dlmllib's Estimators and Models; mirrors the Scala package ``dlmllib.param``.

Each param is declared once, with its doc and default, in a ``_...Params`` mixin (the defaults in
its ``_defaults``). :py:func:`_keyword_params` builds an Estimator's keyword ``__init__`` and
``setParams`` from them, and ``tests/python/test_params.py`` checks names, docs and defaults
against the JVM classes.
"""

import inspect
from typing import Any, Optional

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

# The Python type of each converter, for the generated signatures.
_TYPES = {
    TypeConverters.toInt: int,
    TypeConverters.toFloat: float,
    TypeConverters.toString: str,
    TypeConverters.toBoolean: bool,
    TypeConverters.toListInt: list[int],
    TypeConverters.toListFloat: list[float],
}


def _param(name: str, doc: str, converter) -> Param:
    return Param(Params._dummy(), name, doc, typeConverter=converter)


class _DefaultsFromClasses(Params):
    """Sets, on each instance, the ``_defaults`` of every class in its MRO (subclasses win)."""

    _defaults: dict[str, Any] = {}

    def __init__(self, *args):
        super().__init__(*args)
        merged: dict[str, Any] = {}
        for klass in reversed(type(self).__mro__):
            merged.update(klass.__dict__.get("_defaults", {}))
        self._setDefault(**merged)


def _keyword_params(java_class: str):
    """Class decorator of an Estimator: a keyword-only ``__init__(**params)`` that makes the JVM
    twin ``java_class``, and ``setParams(**params)``, both with the signature of every param of
    the class (its default, or None for an unset param, and its type)."""

    def decorate(cls):
        def __init__(self, **kwargs):
            super(cls, self).__init__()
            self._java_obj = self._new_java_obj(java_class, self.uid)
            self.setParams(**kwargs)

        def setParams(self, **kwargs):
            signature.bind(self, **kwargs)  # a TypeError names an unknown keyword
            return self._set(**{k: v for k, v in kwargs.items() if v is not None})

        probe = object.__new__(cls)  # the params and defaults, without a JVM
        super(cls, probe).__init__()
        parameters = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
        for p in sorted(probe.params, key=lambda p: p.name):
            kind = _TYPES.get(p.typeConverter, Any)
            has_default = probe.hasDefault(p)
            parameters.append(
                inspect.Parameter(
                    p.name,
                    inspect.Parameter.KEYWORD_ONLY,
                    default=probe.getOrDefault(p) if has_default else None,
                    annotation=kind if has_default else Optional[kind],
                )
            )
        signature = inspect.Signature(parameters)
        __init__.__signature__ = signature.replace(return_annotation=None)
        __init__.__doc__ = "Takes every param as a keyword (see :py:meth:`setParams`)."
        setParams.__signature__ = signature.replace(return_annotation=cls.__name__)
        setParams.__doc__ = "Sets the params given as keywords; None leaves a param unset."
        for f in (__init__, setParams):
            f.__qualname__ = f"{cls.__qualname__}.{f.__name__}"
            f.__module__ = cls.__module__
        cls.__init__ = __init__
        cls.setParams = setParams
        return cls

    return decorate


class _TrainingParams(
    _DefaultsFromClasses,
    HasMaxIter,
    HasStepSize,
    HasSeed,
    HasRegParam,
    HasSolver,
    HasValidationIndicatorCol,
    HasAggregationDepth,
):
    """The training params shared by the four dlmllib Estimators and their Models."""

    batchSize = _param(
        "batchSize",
        "mini-batch size (>= 1), split evenly between the partitions when training",
        TypeConverters.toInt,
    )
    solver = _param("solver", "the optimizer: adam, sgd, momentum", TypeConverters.toString)
    stepSize = _param("stepSize", "learning rate (> 0)", TypeConverters.toFloat)
    localSteps = _param(
        "localSteps",
        "mini-batch steps each partition takes between two averagings of the weights (>= 0); "
        "0 means one pass over the partition's batches (one round per epoch); unset: 128 / "
        "partitions",
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

    # The seed is fixed, the same in every language and process (PySpark's own default is the
    # per-process randomised hash of the class name).
    _defaults = dict(
        maxIter=10,
        batchSize=64,
        stepSize=0.001,
        solver="adam",
        regParam=0.0,
        seed=42,
        tol=1e-4,
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
    """Setters of the training params, for the Estimators only (as in Spark)."""

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
