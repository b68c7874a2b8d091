package dlmllib.classification

import dlmllib.distributed.TrainingHistory
import dlmllib.ml.NetworkTrainingSummary
import org.apache.spark.ml.classification.dlmllib.NetworkClassificationSummary
import org.apache.spark.sql.DataFrame

/** The summary of a classifier's training, as `model.summary`: Spark's classification metrics
  * (`accuracy`, `weightedPrecision`, `weightedRecall`, `weightedFMeasure`, per-label rates) of the
  * model on its training data, computed lazily on first use as for LogisticRegression and
  * MultilayerPerceptronClassifier, plus the per-epoch histories of [[NetworkTrainingSummary]].
  */
class NetworkClassificationTrainingSummary private[dlmllib] (
    predictions: DataFrame,
    predictionCol: String,
    labelCol: String,
    protected val history: TrainingHistory
) extends NetworkClassificationSummary(predictions, predictionCol, labelCol)
    with NetworkTrainingSummary
