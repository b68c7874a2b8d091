package dlmllib.regression

import dlmllib.train.NetworkModel
import org.apache.spark.ml.PredictionModel
import org.apache.spark.ml.linalg.Vector
import org.apache.spark.sql.{DataFrame, Dataset}
import org.apache.spark.sql.types.StructType

/** The prediction column of the dlmllib regressors. */
private[dlmllib] object RegressorOutputs {

  /** Adds predictionCol (unless empty) as `outputSchema` (the model's transformSchema) has it. */
  def transform[M <: PredictionModel[Vector, M] with NetworkModel](
      model: M,
      dataset: Dataset[_],
      outputSchema: StructType
  ): DataFrame = {
    val fields = outputSchema.fields.drop(dataset.schema.length).toSeq
    model.transformBatched(dataset, fields, (out, offset) => fields.map(_ => out(offset).toDouble))
  }
}
