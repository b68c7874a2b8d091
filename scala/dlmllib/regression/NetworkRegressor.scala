package dlmllib.regression

import dlmllib.nn.Network
import dlmllib.engine.Regression
import dlmllib.ml.{Labels, NetworkEstimator}
import dlmllib.param.TrainingSetters
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
    with TrainingSetters[E]
    with DefaultParamsWritable {

  /** The constructor of the Model: (uid, network, trained weights). */
  protected def newModel: (String, Network, Array[Float]) => M

  override def copy(extra: ParamMap): E = defaultCopy(extra)

  override protected def train(dataset: Dataset[_]): M = {
    checkHasRows(dataset)
    Labels.checkNumeric(dataset, $(labelCol))
    val (network, trained) = fitNetwork(dataset, Regression)
    val model = copyValues(newModel(uid, network, trained.weights))
    val predictions = model.transform(dataset) // lazy: the metrics are computed on first use
    val summary = new NetworkRegressionTrainingSummary(
      predictions,
      model.getPredictionCol,
      model.getLabelCol,
      trained.history
    )
    model.setSummary(Some(summary))
  }
}
