package dlmllib.regression

import dlmllib.nn.Network
import dlmllib.ml.{NetworkModel, NetworkModelIO, RNNEstimatorInput, RNNModelInput}
import org.apache.spark.ml.util._

/** A recurrent network regressor of one value per sequence (many-to-one). featuresCol as for
  * [[dlmllib.classification.RNNClassifier]]; the network is [embedding] → numLayers recurrent
  * layers → [dropout] → a dense output layer of one unit, trained with mean squared error.
  */
class RNNRegressor(override val uid: String)
    extends NetworkRegressor[RNNRegressor, RNNRegressionModel]
    with RNNEstimatorInput {

  def this() = this(Identifiable.randomUID("rnnRegressor"))

  // The family's setters, declared here (not in a trait) so that Java sees them return
  // RNNRegressor and can chain them; the shared ones are in the base class.
  def setCellType(value: String): this.type = set(cellType, value)
  def setHiddenSize(value: Int): this.type = set(hiddenSize, value)
  def setNumLayers(value: Int): this.type = set(numLayers, value)
  def setBidirectional(value: Boolean): this.type = set(bidirectional, value)
  def setDropout(value: Double): this.type = set(dropout, value)
  def setInputShape(value: Array[Int]): this.type = set(inputShape, value)
  def setVocabSize(value: Int): this.type = set(vocabSize, value)
  def setEmbeddingDim(value: Int): this.type = set(embeddingDim, value)

  override protected def newModel = new RNNRegressionModel(_, _, _)
}

object RNNRegressor extends DefaultParamsReadable[RNNRegressor] {
  override def load(path: String): RNNRegressor = super.load(path)
}

/** A trained [[RNNRegressor]]: adds prediction, computed in batches of batchSize per partition.
  * Sequences longer than any seen in training are read in full.
  */
class RNNRegressionModel(uid: String, network: Network, weights: Array[Float])
    extends NetworkRegressionModel[RNNRegressionModel](uid, network, weights)
    with RNNModelInput {

  /** For ServiceLoader (see NetworkModel.empty). */
  private[dlmllib] def this() =
    this(Identifiable.randomUID("rnnRegressionModel"), NetworkModel.empty, Array.emptyFloatArray)

  override protected def newModel = new RNNRegressionModel(_, _, _)
}

object RNNRegressionModel extends MLReadable[RNNRegressionModel] {
  override def read: MLReader[RNNRegressionModel] =
    NetworkModelIO.reader(s => new RNNRegressionModel(s.uid, s.network, s.weights))

  override def load(path: String): RNNRegressionModel = super.load(path)
}
