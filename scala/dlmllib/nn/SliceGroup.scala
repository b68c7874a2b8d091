package dlmllib.nn

import java.util.concurrent.BrokenBarrierException

/** The slices of one training batch, run forward and backward at once on threads of their own, as a
  * kernel that needs the whole batch's statistics (batch norm) meets them: [[sum]] adds up an array
  * across the slices. Every slice runs the same network, so it calls [[sum]] the same number of
  * times in the same order; each call waits for all of them.
  *
  * @param slices
  *   the slices of the batch, each with an index from 0 in its [[Context]]
  */
final class SliceGroup(val slices: Int) {
  Arguments.check(slices > 1, s"a group of slices needs at least 2, found $slices")
  // a barrier that, once aborted, stays broken for the rest of the step
  private val lock = new Object
  private var arrived = 0
  private var generation = 0L
  private var aborted = false
  // Two sets of slots, alternating call by call: a slice can be at most one call ahead of the
  // slowest, which is still reading the other set.
  private val slots = Array.fill(2, slices)(new Array[Double](0))
  private val calls = new Array[Int](slices)

  /** The samples of the whole batch; set before every step. */
  var batch: Int = 0

  /** Starts a step: every slice's next [[sum]] is its first. */
  def start(batch: Int): Unit = {
    this.batch = batch
    java.util.Arrays.fill(calls, 0)
    lock.synchronized { arrived = 0; aborted = false }
  }

  /** Replaces `values(0 until n)` of slice `slice` by their sums over all slices, added in slice
    * order (so every slice gets the same, bit for bit). Throws BrokenBarrierException when another
    * slice failed ([[abort]]).
    */
  def sum(slice: Int, values: Array[Double], n: Int): Unit = {
    val set = calls(slice) & 1
    calls(slice) += 1
    if (slots(set)(slice).length < n) slots(set)(slice) = new Array[Double](n)
    System.arraycopy(values, 0, slots(set)(slice), 0, n)
    await()
    java.util.Arrays.fill(values, 0, n, 0.0)
    var s = 0
    while (s < slices) {
      val part = slots(set)(s)
      var i = 0
      while (i < n) { values(i) += part(i); i += 1 }
      s += 1
    }
  }

  /** Fails, with BrokenBarrierException, the slices waiting in [[sum]] and those yet to call it:
    * one slice has failed.
    */
  def abort(): Unit = lock.synchronized { aborted = true; lock.notifyAll() }

  /** Returns when every slice has called it this often (its writes before then visible to all). */
  private def await(): Unit = lock.synchronized {
    if (aborted) throw new BrokenBarrierException
    val waitingFor = generation
    arrived += 1
    if (arrived == slices) { arrived = 0; generation += 1; lock.notifyAll() }
    else while (generation == waitingFor && !aborted) lock.wait()
    if (generation == waitingFor) throw new BrokenBarrierException
  }
}
