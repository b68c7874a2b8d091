package dlmllib.regression

import dlmllib.nn.Network
import dlmllib.ml.{CNNEstimatorInput, CNNModelInput, NetworkModel, NetworkModelIO}
import org.apache.spark.ml.util._

/** A convolutional network regressor of one value. featuresCol as for
  * [[dlmllib.classification.CNNClassifier]]; the network is the `layers` preset or spec followed by
  * a dense output layer of one unit, trained with mean squared error.
  */
class CNNRegressor(override val uid: String)
    extends NetworkRegressor[CNNRegressor, CNNRegressionModel]
    with CNNEstimatorInput {

  def this() = this(Identifiable.randomUID("cnnRegressor"))

  // The family's setters, declared here (not in a trait) so that Java sees them return
  // CNNRegressor and can chain them; the shared ones are in the base class.
  def setInputShape(value: Array[Int]): this.type = set(inputShape, value)
  def setLayers(value: String): this.type = set(layers, value)

  override protected def newModel = new CNNRegressionModel(_, _, _)
}

object CNNRegressor extends DefaultParamsReadable[CNNRegressor] {
  override def load(path: String): CNNRegressor = super.load(path)
}

/** A trained [[CNNRegressor]]: adds prediction, computed in batches of batchSize per partition. */
class CNNRegressionModel(uid: String, network: Network, weights: Array[Float])
    extends NetworkRegressionModel[CNNRegressionModel](uid, network, weights)
    with CNNModelInput {

  /** For ServiceLoader (see NetworkModel.empty). */
  private[dlmllib] def this() =
    this(Identifiable.randomUID("cnnRegressionModel"), NetworkModel.empty, Array.emptyFloatArray)

  override protected def newModel = new CNNRegressionModel(_, _, _)
}

object CNNRegressionModel extends MLReadable[CNNRegressionModel] {
  override def read: MLReader[CNNRegressionModel] =
    NetworkModelIO.reader(s => new CNNRegressionModel(s.uid, s.network, s.weights))

  override def load(path: String): CNNRegressionModel = super.load(path)
}
