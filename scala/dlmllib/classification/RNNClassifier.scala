package dlmllib.classification

import dlmllib.nn.Network
import dlmllib.ml.{NetworkModel, NetworkModelIO, RNNEstimatorInput, RNNModelInput}
import org.apache.spark.ml.util._

/** A recurrent network classifier of sequences (many-to-one). featuresCol holds
  * `array<array<double>>` (one inner array per step), `array<double>` (one feature per step), token
  * ids with `vocabSize` > 0, or flat Vectors with `inputShape` = `[timesteps, features]`; arrays
  * may differ in length (padded and masked, never truncated). The network is [embedding] →
  * numLayers recurrent layers of cellType → [dropout] → a dense output layer of numClasses units,
  * trained with softmax cross-entropy on the last valid step's state.
  */
class RNNClassifier(override val uid: String)
    extends NetworkClassifier[RNNClassifier, RNNClassificationModel]
    with RNNEstimatorInput {

  def this() = this(Identifiable.randomUID("rnnClassifier"))

  // The family's setters, declared here (not in a trait) so that Java sees them return
  // RNNClassifier and can chain them; the shared ones are in the base class.
  def setCellType(value: String): this.type = set(cellType, value)
  def setHiddenSize(value: Int): this.type = set(hiddenSize, value)
  def setNumLayers(value: Int): this.type = set(numLayers, value)
  def setBidirectional(value: Boolean): this.type = set(bidirectional, value)
  def setDropout(value: Double): this.type = set(dropout, value)
  def setInputShape(value: Array[Int]): this.type = set(inputShape, value)
  def setVocabSize(value: Int): this.type = set(vocabSize, value)
  def setEmbeddingDim(value: Int): this.type = set(embeddingDim, value)

  override protected def newModel = new RNNClassificationModel(_, _, _, _)
}

object RNNClassifier extends DefaultParamsReadable[RNNClassifier] {
  override def load(path: String): RNNClassifier = super.load(path)
}

/** A trained [[RNNClassifier]]: adds rawPrediction (the logits), probability (their softmax) and
  * prediction, computed in batches of batchSize per partition. Sequences longer than any seen in
  * training are read in full.
  */
class RNNClassificationModel(
    uid: String,
    network: Network,
    weights: Array[Float],
    numClasses: Int
) extends NetworkClassificationModel[RNNClassificationModel](uid, network, weights, numClasses)
    with RNNModelInput {

  /** For ServiceLoader (see NetworkModel.empty). */
  private[dlmllib] def this() = this(
    Identifiable.randomUID("rnnClassificationModel"),
    NetworkModel.empty,
    Array.emptyFloatArray,
    0
  )

  override protected def newModel = new RNNClassificationModel(_, _, _, _)
}

object RNNClassificationModel extends MLReadable[RNNClassificationModel] {
  override def read: MLReader[RNNClassificationModel] =
    NetworkModelIO.reader(s =>
      new RNNClassificationModel(s.uid, s.network, s.weights, s.numClasses)
    )

  override def load(path: String): RNNClassificationModel = super.load(path)
}
