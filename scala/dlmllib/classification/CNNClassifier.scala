package dlmllib.classification

import dlmllib.nn.Network
import dlmllib.ml.{CNNEstimatorInput, CNNModelInput, NetworkModel, NetworkModelIO}
import org.apache.spark.ml.util._

/** A convolutional network classifier. featuresCol holds image structs from
  * `spark.read.format("image")` (any size, all alike) or flat Vectors / numeric arrays with
  * `inputShape` = `[channels, height, width]`; labels are 0 … numClasses − 1. The network is the
  * `layers` preset or spec followed by a dense output layer of numClasses units (from the label
  * metadata, else the largest label + 1), trained with softmax cross-entropy.
  */
class CNNClassifier(override val uid: String)
    extends NetworkClassifier[CNNClassifier, CNNClassificationModel]
    with CNNEstimatorInput {

  def this() = this(Identifiable.randomUID("cnnClassifier"))

  // The family's setters, declared here (not in a trait) so that Java sees them return
  // CNNClassifier and can chain them; the shared ones are in the base class.
  def setInputShape(value: Array[Int]): this.type = set(inputShape, value)
  def setLayers(value: String): this.type = set(layers, value)

  override protected def newModel = new CNNClassificationModel(_, _, _, _)
}

object CNNClassifier extends DefaultParamsReadable[CNNClassifier] {
  override def load(path: String): CNNClassifier = super.load(path)
}

/** A trained [[CNNClassifier]]: adds rawPrediction (the logits), probability (their softmax) and
  * prediction, computed in batches of batchSize per partition.
  */
class CNNClassificationModel(
    uid: String,
    network: Network,
    weights: Array[Float],
    numClasses: Int
) extends NetworkClassificationModel[CNNClassificationModel](uid, network, weights, numClasses)
    with CNNModelInput {

  /** For ServiceLoader (see NetworkModel.empty). */
  private[dlmllib] def this() = this(
    Identifiable.randomUID("cnnClassificationModel"),
    NetworkModel.empty,
    Array.emptyFloatArray,
    0
  )

  override protected def newModel = new CNNClassificationModel(_, _, _, _)
}

object CNNClassificationModel extends MLReadable[CNNClassificationModel] {
  override def read: MLReader[CNNClassificationModel] =
    NetworkModelIO.reader(s =>
      new CNNClassificationModel(s.uid, s.network, s.weights, s.numClasses)
    )

  override def load(path: String): CNNClassificationModel = super.load(path)
}
