package org.apache.spark.ml.classification.dlmllib

import org.apache.spark.ml.classification.ClassificationSummary
import org.apache.spark.sql.DataFrame

/** Spark's multiclass metrics (accuracy, weighted precision/recall/F-measure, per-label rates) over
  * a model's predictions. It lives in Spark's `classification` package only because
  * `ClassificationSummary` is `private[classification]` there; users get it from
  * `CNNClassificationModel.evaluate` and `RNNClassificationModel.evaluate`.
  */
class NetworkClassificationSummary(
    @transient override val predictions: DataFrame,
    override val predictionCol: String,
    override val labelCol: String
) extends ClassificationSummary {

  /** No weight column: every row counts once. */
  override def weightCol: String = ""
}

object NetworkClassificationSummary {
  def apply(
      predictions: DataFrame,
      predictionCol: String,
      labelCol: String
  ): NetworkClassificationSummary =
    new NetworkClassificationSummary(predictions, predictionCol, labelCol)
}
