package dlmllib.distributed

import scala.collection.mutable.ArrayBuffer

import dlmllib.engine.Task

/** Where a training run stands between two rounds: everything a [[Checkpoints]] file holds, so that
  * a resumed run continues exactly where this one was. The data order needs no state: each epoch's
  * batch order derives from the seed, the epoch and the partition.
  */
private[distributed] final class TrainingState(
    var weights: Array[Float],
    var state: Array[Float],
    val history: HistoryBuilder,
    val stopping: EarlyStopping
) {

  /** Optimizer steps so far (Adam's bias correction, dropout seeds). */
  var stepCount = 0L

  /** Epochs completed. */
  def epochs: Int = history.epochs
}

/** The per-epoch figures, gathered as the epochs run. */
private[distributed] final class HistoryBuilder {
  val objective, validationLoss, validationMetric, seconds, throughput = ArrayBuffer.empty[Double]

  /** All the series, in the order a checkpoint stores them. */
  def series: Seq[ArrayBuffer[Double]] =
    Seq(objective, validationLoss, validationMetric, seconds, throughput)

  def epochs: Int = objective.length

  def describeLast(config: TrainingConfig, task: Task): String =
    f"${config.name} epoch $epochs/${config.maxEpochs}: loss ${objective.last}%.4f" +
      (if (validationLoss.isEmpty) ""
       else
         f", validation loss ${validationLoss.last}%.4f, validation " +
           f"${task.metricName} ${validationMetric.last}%.4f") +
      f", ${throughput.last}%,.0f samples/s, ${seconds.last}%.1f s"

  def result(
      metricName: String,
      stopReason: String,
      bestEpoch: Int,
      resumedFromEpoch: Int
  ): TrainingHistory = TrainingHistory(
    objective.toArray,
    validationLoss.toArray,
    validationMetric.toArray,
    metricName,
    seconds.toArray,
    throughput.toArray,
    stopReason,
    bestEpoch,
    resumedFromEpoch
  )
}
