package org.apache.spark.ml.dlmllib

import org.apache.spark.ml.param.Params
import org.apache.spark.ml.util.{
  DefaultParamsReader,
  DefaultParamsWriter,
  Instrumentation,
  MetadataUtils
}
import org.apache.spark.sql.SparkSession
import org.apache.spark.sql.types.StructField

/** The few `private[ml]` Spark helpers dlmllib needs, reached from inside Spark's `ml` package
  * because Scala enforces that qualifier. Using Spark's own metadata writer and reader keeps
  * dlmllib's saved stages loadable by `Pipeline`, `PipelineModel` and PySpark's readers.
  */
object SparkInternals {

  /** Writes `instance`'s params as Spark's standard `metadata/` JSON under `path`. */
  def saveMetadata(instance: Params, path: String, spark: SparkSession): Unit =
    DefaultParamsWriter.saveMetadata(instance, path, spark)

  /** Reads the metadata under `path` once: the saved class name and uid, and a function that sets
    * the saved params on an instance.
    */
  def loadMetadata(path: String, spark: SparkSession): (String, String, Params => Unit) = {
    val metadata = DefaultParamsReader.loadMetadata(path, spark)
    (metadata.className, metadata.uid, instance => metadata.getAndSetParams(instance))
  }

  /** Runs a fit inside Spark's `Instrumentation.instrumented`, as Spark's own Estimators do: the
    * stage, dataset and params logged through `instr` and the outcome logged at the end.
    */
  def instrumented[T](body: Instrumentation => T): T = Instrumentation.instrumented(body)

  /** The number of classes recorded in a label column's ML attribute metadata, if any. */
  def numClassesFromMetadata(field: StructField): Option[Int] = MetadataUtils.getNumClasses(field)
}
