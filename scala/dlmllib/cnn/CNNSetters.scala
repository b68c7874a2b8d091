package dlmllib.cnn

import dlmllib.param.TrainingSetters

/** Setters of the CNN Estimators' own params (returning `E` for Java: see [[TrainingSetters]]). */
trait CNNSetters[E] extends CNNParams with TrainingSetters[E] {
  def setInputShape(value: Array[Int]): E = setTo(inputShape, value)
  def setLayers(value: String): E = setTo(layers, value)
}
