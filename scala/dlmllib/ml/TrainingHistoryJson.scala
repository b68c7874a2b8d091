package dlmllib.ml

import dlmllib.distributed.TrainingHistory
import org.json4s.{DefaultFormats, Formats}
import org.json4s.JsonDSL._
import org.json4s.jackson.JsonMethods.{compact, parse, render}

/** A training history as one JSON object, under the names of the summary's methods: what a summary
  * hands a Spark Connect client (whose server only lets it call `toString` for these) and what a
  * Spark 4.1+ Connect server keeps of an offloaded model's summary.
  */
object TrainingHistoryJson {
  def write(h: TrainingHistory): String = compact(
    render(
      ("objectiveHistory" -> h.objective.toSeq) ~
        ("validationLossHistory" -> h.validationLoss.toSeq) ~
        ("validationHistory" -> h.validationMetric.toSeq) ~
        ("validationMetricName" -> h.metricName) ~
        ("totalIterations" -> h.epochs) ~
        ("secondsPerEpoch" -> h.secondsPerEpoch.toSeq) ~
        ("samplesPerSecond" -> h.samplesPerSecond.toSeq) ~
        ("stopReason" -> h.stopReason) ~
        ("bestEpoch" -> h.bestEpoch) ~
        ("resumedFromEpoch" -> h.resumedFromEpoch)
    )
  )

  def read(json: String): TrainingHistory = {
    implicit val formats: Formats = DefaultFormats
    val j = parse(json)
    def doubles(name: String) = (j \ name).extract[Seq[Double]].toArray
    TrainingHistory(
      doubles("objectiveHistory"),
      doubles("validationLossHistory"),
      doubles("validationHistory"),
      (j \ "validationMetricName").extract[String],
      doubles("secondsPerEpoch"),
      doubles("samplesPerSecond"),
      (j \ "stopReason").extract[String],
      (j \ "bestEpoch").extract[Int],
      (j \ "resumedFromEpoch").extract[Int]
    )
  }
}
