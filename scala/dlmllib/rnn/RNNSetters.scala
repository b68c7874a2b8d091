package dlmllib.rnn

import dlmllib.param.TrainingSetters

/** Setters of the RNN Estimators' own params (returning `E` for Java: see [[TrainingSetters]]). */
trait RNNSetters[E] extends RNNParams with TrainingSetters[E] {
  def setCellType(value: String): E = setTo(cellType, value)
  def setHiddenSize(value: Int): E = setTo(hiddenSize, value)
  def setNumLayers(value: Int): E = setTo(numLayers, value)
  def setBidirectional(value: Boolean): E = setTo(bidirectional, value)
  def setDropout(value: Double): E = setTo(dropout, value)
  def setInputShape(value: Array[Int]): E = setTo(inputShape, value)
  def setVocabSize(value: Int): E = setTo(vocabSize, value)
  def setEmbeddingDim(value: Int): E = setTo(embeddingDim, value)
}
