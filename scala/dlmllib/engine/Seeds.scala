package dlmllib.engine

/** Derives independent, reproducible seeds (shuffles, batch orders, dropout) from the user's. */
object Seeds {

  /** A well-mixed seed from `seed` and the tags (partition, epoch, round…), SplitMix64 style. */
  def derive(seed: Long, tags: Long*): Long =
    tags.foldLeft(mix(seed))((s, t) => mix(s ^ mix(t + 0x9e3779b97f4a7c15L)))

  private def mix(x: Long): Long = {
    var z = x + 0x9e3779b97f4a7c15L
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL
    z ^ (z >>> 31)
  }

  /** A permutation of 0 until n drawn from `seed` (Fisher–Yates). */
  def permutation(n: Int, seed: Long): Array[Int] = {
    val rng = new java.util.Random(seed)
    val p = Array.tabulate(n)(identity)
    var i = n - 1
    while (i > 0) {
      val j = rng.nextInt(i + 1)
      val t = p(i); p(i) = p(j); p(j) = t
      i -= 1
    }
    p
  }
}
