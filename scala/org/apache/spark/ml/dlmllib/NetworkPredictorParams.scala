package org.apache.spark.ml.dlmllib

import org.apache.spark.ml.PredictorParams
import org.apache.spark.sql.types.{DataType, StructType}

/** The params of a dlmllib Estimator or Model as a Spark `Predictor`: the schema check takes the
  * features type from [[featuresType]] (vectors, arrays or image structs) instead of Spark's
  * Vector-only check. Lives in Spark's `ml` package because `PredictorParams` is `private[ml]`;
  * mixed in after the Spark base class, its override runs before that class's own checks.
  */
trait NetworkPredictorParams extends PredictorParams {

  /** The type of the features column of `schema`; throws when the column cannot be read. */
  protected def featuresType(schema: StructType): DataType

  override protected def validateAndTransformSchema(
      schema: StructType,
      fitting: Boolean,
      featuresDataType: DataType
  ): StructType = super.validateAndTransformSchema(schema, fitting, featuresType(schema))
}
