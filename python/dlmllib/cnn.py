"""Params of the CNN Estimators and Models; mirrors the Scala package ``dlmllib.cnn``."""

from pyspark.ml.param import TypeConverters

from dlmllib.param import _param, _TrainingParams, _TrainingSetters


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

    _defaults = dict(layers="lenet5")

    def getInputShape(self) -> list[int]:
        """Raises when unset (image structs need none)."""
        return self.getOrDefault(self.inputShape)

    def getLayers(self) -> str:
        return self.getOrDefault(self.layers)


class _CNNSetters(_TrainingSetters):
    """Setters of the CNN Estimators' own params."""

    def setInputShape(self, value: list[int]):
        return self._set(inputShape=value)

    def setLayers(self, value: str):
        return self._set(layers=value)
