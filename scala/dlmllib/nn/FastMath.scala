package dlmllib.nn

/** Sigmoid and tanh over blocks of floats, through an exponential the JIT vectorises (Math.exp is a
  * call per value; Math.tanh the much slower fdlibm port). The work is in double, in a scratch
  * block the caller owns, so that the cancellation near 0 costs nothing in float.
  */
private[nn] object FastMath {

  /** e^s for the first n values of s, in place: e^s = (e^(s/1024))^1024, with e^(s/1024) from its
    * degree-9 Taylor polynomial (|s/1024| ≤ 0.11, error ≈ 1e-16) and 10 squarings (which grow the
    * relative error to ≈ 1e-13, still 10⁵ times below float precision: the float results match
    * Math.exp's but for about one value in 10⁷, by one ulp). Arguments are clamped to ±110, where σ
    * and tanh are already 0 or ±1 in float; NaN stays NaN.
    */
  def exps(s: Array[Double], n: Int): Unit = {
    var j = 0
    while (j < n) {
      val r = math.min(math.max(s(j), -110.0), 110.0) * (1.0 / 1024)
      var e = 1.0 + r * (1.0 + r * (1.0 / 2 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120 +
        r * (1.0 / 720 + r * (1.0 / 5040 + r * (1.0 / 40320 + r * (1.0 / 362880)))))))))
      e *= e; e *= e; e *= e; e *= e; e *= e; e *= e; e *= e; e *= e; e *= e; e *= e
      s(j) = e
      j += 1
    }
  }

  /** dst(dstFrom + j) = σ(src(srcFrom + j)) = 1 / (1 + e^−src) for j < n ≤ scratch.length. */
  def sigmoids(
      src: Array[Float],
      srcFrom: Int,
      dst: Array[Float],
      dstFrom: Int,
      n: Int,
      scratch: Array[Double]
  ): Unit = {
    var j = 0
    while (j < n) { scratch(j) = -src(srcFrom + j).toDouble; j += 1 }
    exps(scratch, n)
    j = 0
    while (j < n) { dst(dstFrom + j) = (1.0 / (1.0 + scratch(j))).toFloat; j += 1 }
  }

  /** dst(dstFrom + j) = tanh(src(srcFrom + j)) = 1 − 2 / (e^(2·src) + 1) for j < n ≤
    * scratch.length.
    */
  def tanhs(
      src: Array[Float],
      srcFrom: Int,
      dst: Array[Float],
      dstFrom: Int,
      n: Int,
      scratch: Array[Double]
  ): Unit = {
    var j = 0
    while (j < n) { scratch(j) = 2.0 * src(srcFrom + j); j += 1 }
    exps(scratch, n)
    j = 0
    while (j < n) { dst(dstFrom + j) = (1.0 - 2.0 / (scratch(j) + 1.0)).toFloat; j += 1 }
  }

  private val Block = 512
  private val scratches = ThreadLocal.withInitial[Array[Double]](() => new Array[Double](Block))

  /** `f` (sigmoids or tanhs) over x(from until until) in place, block by block, with this thread's
    * scratch (activations are shared objects; kernels run one per thread).
    */
  def inPlace(
      f: (Array[Float], Int, Array[Float], Int, Int, Array[Double]) => Unit,
      x: Array[Float],
      from: Int,
      until: Int
  ): Unit = {
    val scratch = scratches.get()
    var i = from
    while (i < until) {
      val n = math.min(Block, until - i)
      f(x, i, x, i, n, scratch)
      i += n
    }
  }
}
