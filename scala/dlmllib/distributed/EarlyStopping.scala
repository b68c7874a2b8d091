package dlmllib.distributed

/** Watches a loss epoch after epoch: remembers the best epoch and its weights, and says when
  * `patience` epochs in a row have not brought the loss more than `tol` below the best so far.
  * `patience` 0 never stops.
  */
final class EarlyStopping(tol: Double, patience: Int) {

  /** The lowest loss so far. */
  var best: Double = Double.PositiveInfinity

  /** Epochs since the last improvement. */
  var stale: Int = 0

  /** The epoch (1-based) of [[best]]; 0 before the first epoch. */
  var bestEpoch: Int = 0

  /** The weights of [[bestEpoch]] (null before the first epoch). */
  var bestWeights: Array[Float] = _

  /** Records the `loss` of `epoch` (1-based) and the `weights` it ended with. */
  def update(epoch: Int, loss: Double, weights: Array[Float]): Unit =
    if (bestWeights == null || loss < best - tol) {
      best = loss
      bestEpoch = epoch
      bestWeights = weights
      stale = 0
    } else stale += 1

  /** True once `patience` (> 0) epochs in a row brought no improvement. */
  def shouldStop: Boolean = patience > 0 && stale >= patience
}
