package dlmllib.regression

import org.apache.spark.mllib.evaluation.RegressionMetrics
import org.apache.spark.sql.DataFrame
import org.apache.spark.sql.functions.col

/** Regression metrics of a model's predictions (Spark's `RegressionMetrics`), as returned by
  * `CNNRegressionModel.evaluate` and `RNNRegressionModel.evaluate`.
  */
class NetworkRegressionSummary(
    @transient val predictions: DataFrame,
    val predictionCol: String,
    val labelCol: String
) extends Serializable {

  @transient private lazy val metrics = new RegressionMetrics(
    predictions
      .select(col(predictionCol).cast("double"), col(labelCol).cast("double"))
      .rdd
      .map(r => (r.getDouble(0), r.getDouble(1)))
  )

  def rootMeanSquaredError: Double = metrics.rootMeanSquaredError
  def meanSquaredError: Double = metrics.meanSquaredError
  def meanAbsoluteError: Double = metrics.meanAbsoluteError
  def r2: Double = metrics.r2
  def explainedVariance: Double = metrics.explainedVariance
}
