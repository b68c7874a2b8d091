package dlmllib.classification

import dlmllib.nn.Network
import dlmllib.engine.Classification
import dlmllib.ml.{Labels, NetworkEstimator}
import dlmllib.param.TrainingSetters
import org.apache.spark.ml.classification.ProbabilisticClassifier
import org.apache.spark.ml.linalg.Vector
import org.apache.spark.ml.param.ParamMap
import org.apache.spark.ml.util.DefaultParamsWritable
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
    with TrainingSetters[E]
    with DefaultParamsWritable {

  /** The constructor of the Model: (uid, network, trained weights, numClasses). */
  protected def newModel: (String, Network, Array[Float], Int) => M

  override def copy(extra: ParamMap): E = defaultCopy(extra)

  override protected def train(dataset: Dataset[_]): M = {
    checkHasRows(dataset)
    val numClasses = Labels.numClasses(dataset, $(labelCol))
    val (network, trained) = fitNetwork(dataset, Classification(numClasses))
    val model = copyValues(newModel(uid, network, trained.weights, numClasses))
    val predictions = model.transform(dataset) // lazy: the metrics are computed on first use
    val summary = new NetworkClassificationTrainingSummary(
      predictions,
      model.getPredictionCol,
      model.getLabelCol,
      trained.history
    )
    model.setSummary(Some(summary))
  }
}
