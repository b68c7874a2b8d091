package dlmllib.train

import dlmllib.nn.{Network, Shape}
import dlmllib.param.TrainingParams
import org.apache.spark.ml.dlmllib.NetworkPredictorParams
import org.apache.spark.sql.Dataset
import org.apache.spark.sql.types.StructType

/** What the four dlmllib Estimators share: the hooks by which a CNN or RNN flavour reads its
  * features column and builds its network, and the fit skeleton on top of them.
  */
trait NetworkEstimator extends TrainingParams with NetworkPredictorParams {

  /** The shape of one sample of the features column of `dataset`. */
  protected def sampleShape(dataset: Dataset[_]): Shape

  /** The network for samples of `shape`, ending in a dense layer of `outputUnits`. */
  protected def buildNetwork(shape: Shape, outputUnits: Int): Network

  /** The reader of the features column of `schema` for samples of `shape`. */
  protected def trainingReader(schema: StructType, shape: Shape): InputReader

  /** Builds the network for `task` and trains it on `dataset`'s features and labelCol. */
  protected def fitNetwork(dataset: Dataset[_], task: Task): (Network, TrainedNetwork) = {
    val shape = sampleShape(dataset)
    val network = buildNetwork(shape, task.outputUnits)
    val reader = trainingReader(dataset.schema, shape)
    val name = getClass.getSimpleName
    (network, NetworkFitting.fit(dataset, this, $(labelCol), reader, network, task, name))
  }
}
