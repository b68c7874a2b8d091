package dlmllib.classification

import org.apache.spark.ml.classification.ProbabilisticClassificationModel
import org.apache.spark.ml.linalg.Vector
import org.apache.spark.ml.param.ParamMap

/** Spark's own prediction from a probability vector (ProbabilisticClassificationModel's
  * `probability2prediction`: the argmax, or with thresholds the argmax of p / t), in a small
  * serialisable stage that carries only numClasses and the thresholds to the executors.
  */
private[classification] final class SparkPrediction(
    override val uid: String,
    override val numClasses: Int,
    classThresholds: Option[Array[Double]]
) extends ProbabilisticClassificationModel[Vector, SparkPrediction] {
  classThresholds.foreach(setThresholds)

  /** The class Spark predicts from `probability`. */
  def of(probability: Vector): Double = probability2prediction(probability)

  override def predictRaw(features: Vector): Vector =
    throw new UnsupportedOperationException("SparkPrediction only predicts from probabilities")

  override protected def raw2probabilityInPlace(rawPrediction: Vector): Vector =
    throw new UnsupportedOperationException("SparkPrediction only predicts from probabilities")

  override def copy(extra: ParamMap): SparkPrediction =
    copyValues(new SparkPrediction(uid, numClasses, classThresholds), extra)
}
