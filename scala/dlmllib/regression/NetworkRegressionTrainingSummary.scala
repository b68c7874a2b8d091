package dlmllib.regression

import dlmllib.distributed.TrainingHistory
import dlmllib.ml.NetworkTrainingSummary
import org.apache.spark.sql.DataFrame

/** The summary of a regressor's training, as `model.summary`: the regression metrics
  * (`rootMeanSquaredError`, `meanAbsoluteError`, `r2`, …) of the model on its training data,
  * computed lazily on first use as for LinearRegression, plus the per-epoch histories of
  * [[NetworkTrainingSummary]].
  */
class NetworkRegressionTrainingSummary private[dlmllib] (
    predictions: DataFrame,
    predictionCol: String,
    labelCol: String,
    protected val history: TrainingHistory
) extends NetworkRegressionSummary(predictions, predictionCol, labelCol)
    with NetworkTrainingSummary
