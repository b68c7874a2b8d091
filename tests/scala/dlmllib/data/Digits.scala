package dlmllib.data

/** The 8×8 sklearn digits from `data/sklearn_digits_8x8.npz` (see data/README.md for its source and
  * attribution), pixels scaled from 0..16 to 0..1, with the file's stratified train/test split.
  */
object Digits {

  /** Images as 64 floats each (CHW with one channel), labels 0..9 as floats. */
  final case class Split(images: Array[Array[Float]], labels: Array[Float]) {
    def size: Int = labels.length
  }

  lazy val (train, test): (Split, Split) = {
    val npz = Npz.read("data/sklearn_digits_8x8.npz")
    val x = npz("x")
    val y = npz("y")
    require(x.shape == Seq(1797, 8, 8), s"expected digits of shape (1797, 8, 8), found ${x.shape}")
    def split(idx: NpyArray): Split = {
      val rows = idx.values.map(_.toInt)
      Split(
        rows.map(r => Array.tabulate(64)(j => (x.values(r * 64 + j) / 16.0).toFloat)),
        rows.map(r => y.values(r).toFloat)
      )
    }
    (split(npz("train_idx")), split(npz("test_idx")))
  }
}
