package dlmllib.distributed

/** Watches a loss epoch after epoch: remembers the weights of the best epoch and says when
  * `patience` epochs in a row have not improved on it by more than `tol`.
  */
final class EarlyStopping(tol: Double, patience: Int) {
  private var best = Double.PositiveInfinity
  private var stale = 0

  /** The weights of the epoch with the lowest loss so far (null before the first epoch). */
  var bestWeights: Array[Float] = _

  /** Records an epoch's `loss` and the `weights` it ended with. */
  def update(loss: Double, weights: Array[Float]): Unit =
    if (loss < best - tol) {
      best = loss
      bestWeights = weights
      stale = 0
    } else stale += 1

  /** True once `patience` epochs in a row brought no improvement above `tol`. */
  def shouldStop: Boolean = stale >= patience
}
