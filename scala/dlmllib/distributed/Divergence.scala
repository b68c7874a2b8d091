package dlmllib.distributed

import dlmllib.nn.Arguments

/** The check after every round that training has not diverged: a loss or a weight that left the
  * finite numbers stops the fit, so no model with NaN weights is returned, saved or checkpointed.
  */
object Divergence {

  /** Fails naming the epoch (0-based `epoch`, reported 1-based) unless `loss` and `weights` are
    * finite.
    */
  def check(config: TrainingConfig, epoch: Int, loss: Double, weights: Array[Float]): Unit = {
    val badLoss = loss.isNaN || loss.isInfinite
    Arguments.check(
      !badLoss && Arguments.allFinite(weights),
      s"${config.name} diverged in epoch ${epoch + 1}: " +
        (if (badLoss) s"the training loss became $loss"
         else "the weights left the finite numbers") +
        s"; lower stepSize (now ${config.stepSize})" +
        (if (config.clipNorm > 0) s" or clipNorm (now ${config.clipNorm})"
         else " or set clipNorm (e.g. 5.0) to bound the gradients")
    )
  }
}
