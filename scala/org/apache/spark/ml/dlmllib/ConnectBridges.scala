package org.apache.spark.ml.dlmllib

import org.apache.spark.ml.classification.TrainingSummary
import org.apache.spark.ml.util.{HasTrainingSummary, Identifiable, Summary}

/** Spark Connect's server calls a method of a cached model or summary only when the object
  * implements one of the types of its allow-list (`MLUtils.ALLOWED_ATTRIBUTES` in
  * sql/connect/server, Spark 4.0.1 to 4.3.0) that lists the method's name; those types are
  * `private[spark]`, hence these bridges. A model mixes this in so that `hasSummary` and `summary`
  * are allowed; the summary is the Scala class's own (the type parameter).
  */
trait SparkHasTrainingSummary[T] extends HasTrainingSummary[T] {

  /** Spark's setter, `private[ml]` there. */
  override def setSummary(summary: Option[T]): this.type = super.setSummary(summary)
}

/** A training summary as the Connect server sees it: a `Summary` (so that `model.summary` is cached
  * on the server and referenced by the client), a `TrainingSummary` (`objectiveHistory`,
  * `totalIterations` allowed) and `Identifiable` (`toString` allowed: the summary's one way to hand
  * the client everything else it holds).
  */
trait SparkTrainingSummary extends TrainingSummary with Summary with Identifiable {
  override val uid: String = Identifiable.randomUID("networkTrainingSummary")
}
