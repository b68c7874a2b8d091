package dlmllib.regression

import dlmllib.nn.Network
import dlmllib.engine.Regression
import dlmllib.ml.{Labels, NetworkEstimator, NetworkTrainingSummary}
import org.apache.spark.ml.Predictor
import org.apache.spark.ml.linalg.Vector
import org.apache.spark.ml.param.ParamMap
import org.apache.spark.ml.util.DefaultParamsWritable
import org.apache.spark.sql.Dataset

/** The base of the dlmllib regressors: numeric labels, the network from the subclass's input hooks
  * with a dense output layer of one unit, trained with mean squared error by the shared fit
  * skeleton. Subclasses add their params, their input hooks and [[newModel]].
  *
  * @tparam E
  *   the concrete Estimator
  * @tparam M
  *   the Model it trains
  */
abstract class NetworkRegressor[E <: NetworkRegressor[E, M], M <: NetworkRegressionModel[M]]
    extends Predictor[Vector, E, M]
    with NetworkEstimator
    with DefaultParamsWritable {

  /** The constructor of the Model: (uid, network, trained weights). */
  protected def newModel: (String, Network, Array[Float]) => M

  override def copy(extra: ParamMap): E = defaultCopy(extra)

  override protected def train(dataset: Dataset[_]): M = {
    checkHasRows(dataset)
    Labels.checkNumeric(dataset, $(labelCol))
    val (network, trained) = fitNetwork(dataset, Regression)
    newModel(uid, network, trained.weights)
      .setSummary(Some(new NetworkTrainingSummary(trained.history)))
  }
}
