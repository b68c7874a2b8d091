package dlmllib.classification

import dlmllib.nn.Network
import dlmllib.engine.Classification
import dlmllib.ml.{Labels, NetworkEstimator, NetworkModel}
import org.apache.spark.ml.classification.ProbabilisticClassifier
import org.apache.spark.ml.linalg.Vector
import org.apache.spark.ml.param.{Param, ParamMap}
import org.apache.spark.ml.util.{DefaultParamsWritable, MLWritable}
import org.apache.spark.sql.Dataset

/** The base of the dlmllib classifiers: the number of classes from the labels (their metadata, else
  * the largest label + 1), the network from the subclass's input hooks with a dense output layer of
  * numClasses units, trained with softmax cross-entropy by the shared fit skeleton. Subclasses add
  * their params, their input hooks and [[newModel]].
  *
  * @tparam E
  *   the concrete Estimator
  * @tparam M
  *   the Model it trains
  */
abstract class NetworkClassifier[E <: NetworkClassifier[E, M], M <: NetworkClassificationModel[M]]
    extends ProbabilisticClassifier[Vector, E, M]
    with NetworkEstimator
    with DefaultParamsWritable {

  /** The constructor of the Model: (uid, network, trained weights, numClasses). */
  protected def newModel: (String, Network, Array[Float], Int) => M

  override def copy(extra: ParamMap): E = defaultCopy(extra)

  // The training params' setters, declared in this class so that Java sees them return E and can
  // chain them: scalac writes a trait's methods into a class as forwarders without generic
  // signatures (returning Object or the trait). regression.NetworkRegressor has the same list;
  // tests/python/test_params.py checks that every param of every Estimator has its setter.
  private def setTo[T](param: Param[T], value: T): E = set(param, value).asInstanceOf[E]
  def setMaxIter(value: Int): E = setTo(maxIter, value)
  def setBatchSize(value: Int): E = setTo(batchSize, value)
  def setStepSize(value: Double): E = setTo(stepSize, value)
  def setSolver(value: String): E = setTo(solver, value)
  def setRegParam(value: Double): E = setTo(regParam, value)
  def setSeed(value: Long): E = setTo(seed, value)
  def setTol(value: Double): E = setTo(tol, value)
  def setValidationIndicatorCol(value: String): E = setTo(validationIndicatorCol, value)
  def setAggregationDepth(value: Int): E = setTo(aggregationDepth, value)
  def setLocalSteps(value: Int): E = setTo(localSteps, value)
  def setPatience(value: Int): E = setTo(patience, value)
  def setMomentum(value: Double): E = setTo(momentum, value)
  def setNesterov(value: Boolean): E = setTo(nesterov, value)
  def setLearningRateSchedule(value: String): E = setTo(learningRateSchedule, value)
  def setClipNorm(value: Double): E = setTo(clipNorm, value)
  def setCheckpointDir(value: String): E = setTo(checkpointDir, value)
  def setCheckpointInterval(value: Int): E = setTo(checkpointInterval, value)
  def setInitialModel(value: String): E = setTo(initialModel, value)
  def setInitialModel(model: NetworkModel with MLWritable): E =
    setTo(initialModel, savedForFineTuning(model))
  def setFrozenLayers(value: Array[Int]): E = setTo(frozenLayers, value)

  override protected def train(dataset: Dataset[_]): M = {
    val stats = inputStats(dataset)
    val numClasses = Labels.numClasses(dataset, $(labelCol), stats)
    val (network, trained) = fitNetwork(dataset, stats, Classification(numClasses))
    val model = copyValues(newModel(uid, network, trained.weights, numClasses))
    // Lazy: the metrics are computed on first use.
    model.setSummary(Some(model.trainingSummary(dataset, trained.history)))
  }
}
