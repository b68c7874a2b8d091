package dlmllib.nn

/** Unfolds convolution windows into matrix form (im2col) and folds gradients back (col2im).
  *
  * 2-D: one sample `[C, H, W]` becomes a column-major block of `P = outH·outW` rows (output
  * positions) by `K = C·k·k` columns (window elements, ordered as the weights `[c][ki][kj]`),
  * stored at `col(colOffset + kk·ld + p)`; samples of a chunk sit one under the other (ld =
  * samples·P), so one sgemm covers the chunk.
  *
  * 1-D: one sample `[T, F]` becomes `outT` columns of `K = k·F` contiguous values (a window of
  * whole time steps), stored at `col(colOffset + t·K)`.
  */
private[dlmllib] object Im2Col {

  /** Geometry of a 2-D convolution on one sample. */
  final case class Geometry2D(
      channels: Int,
      height: Int,
      width: Int,
      kernel: Int,
      stride: Int,
      padTop: Int,
      padLeft: Int,
      outHeight: Int,
      outWidth: Int
  ) {
    val positions: Int = outHeight * outWidth
    val windowSize: Int = channels * kernel * kernel
    val inputSize: Int = channels * height * width

    // The output indices o whose input index o·stride - pad + offset lies in [0, n) run from
    // validFrom to validUntil (exclusive), both within [0, out] even when a kernel offset lies
    // wholly in the padding; no tuples, these run once per window element.
    private[Im2Col] def validFrom(out: Int, pad: Int, offset: Int): Int = {
      val shift = pad - offset
      if (shift <= 0) 0 else math.min(out, (shift + stride - 1) / stride)
    }
    private[Im2Col] def validUntil(n: Int, out: Int, pad: Int, offset: Int): Int = {
      val shift = pad - offset
      val hi = if (n + shift <= 0) 0 else math.min(out, (n - 1 + shift) / stride + 1)
      math.max(validFrom(out, pad, offset), hi)
    }
  }

  /** Writes the window elements that fall inside `x` and leaves those in the padding as they are:
    * the caller keeps them zero, writing nothing else into `col` (re-zeroing them on every call
    * took a fifth of LeNet-5's padded first layer).
    */
  def im2col2D(
      g: Geometry2D,
      x: Array[Float],
      xOffset: Int,
      col: Array[Float],
      colOffset: Int,
      ld: Int
  ): Unit = {
    import g._
    var c = 0
    while (c < channels) {
      var ki = 0
      while (ki < kernel) {
        val yLo = validFrom(outHeight, padTop, ki)
        val yHi = validUntil(height, outHeight, padTop, ki)
        var kj = 0
        while (kj < kernel) {
          val xLo = validFrom(outWidth, padLeft, kj)
          val xHi = validUntil(width, outWidth, padLeft, kj)
          val base = colOffset + ((c * kernel + ki) * kernel + kj) * ld
          var oy = yLo
          while (oy < yHi) {
            val row = base + oy * outWidth
            val src = xOffset + (c * height + oy * stride - padTop + ki) * width - padLeft + kj
            if (stride == 1) {
              if (xHi > xLo) System.arraycopy(x, src + xLo, col, row + xLo, xHi - xLo)
            } else {
              var ox = xLo
              while (ox < xHi) { col(row + ox) = x(src + ox * stride); ox += 1 }
            }
            oy += 1
          }
          kj += 1
        }
        ki += 1
      }
      c += 1
    }
  }

  /** Adds the window gradients in `col` (layout of [[im2col2D]]) into `dx` (not cleared). */
  def col2im2D(
      g: Geometry2D,
      col: Array[Float],
      colOffset: Int,
      ld: Int,
      dx: Array[Float],
      dxOffset: Int
  ): Unit = {
    import g._
    var c = 0
    while (c < channels) {
      var ki = 0
      while (ki < kernel) {
        val yLo = validFrom(outHeight, padTop, ki)
        val yHi = validUntil(height, outHeight, padTop, ki)
        var kj = 0
        while (kj < kernel) {
          val xLo = validFrom(outWidth, padLeft, kj)
          val xHi = validUntil(width, outWidth, padLeft, kj)
          val base = colOffset + ((c * kernel + ki) * kernel + kj) * ld
          var oy = yLo
          while (oy < yHi) {
            val row = base + oy * outWidth
            val dst = dxOffset + (c * height + oy * stride - padTop + ki) * width - padLeft + kj
            var ox = xLo
            // stride 1 apart, without the multiply: LeNet-5's conv2 0.75 → 0.61 ms at batch 64
            if (stride == 1) while (ox < xHi) { dx(dst + ox) += col(row + ox); ox += 1 }
            else while (ox < xHi) { dx(dst + ox * stride) += col(row + ox); ox += 1 }
            oy += 1
          }
          kj += 1
        }
        ki += 1
      }
      c += 1
    }
  }

  /** Geometry of a 1-D convolution over time on one sample `[T, F]`. */
  final case class Geometry1D(
      steps: Int,
      features: Int,
      kernel: Int,
      stride: Int,
      padBefore: Int,
      outSteps: Int
  ) {
    val windowSize: Int = kernel * features
    val inputSize: Int = steps * features
  }

  def im2col1D(
      g: Geometry1D,
      x: Array[Float],
      xOffset: Int,
      col: Array[Float],
      colOffset: Int
  ): Unit = {
    import g._
    var t = 0
    while (t < outSteps) {
      val dst = colOffset + t * windowSize
      val first = t * stride - padBefore // first input step of the window
      val lo = math.max(0, -first)
      val hi = math.min(kernel, steps - first)
      java.util.Arrays.fill(col, dst, dst + lo * features, 0f)
      if (hi > lo)
        System.arraycopy(
          x,
          xOffset + (first + lo) * features,
          col,
          dst + lo * features,
          (hi - lo) * features
        )
      java.util.Arrays.fill(col, dst + math.max(lo, hi) * features, dst + windowSize, 0f)
      t += 1
    }
  }

  /** Adds the window gradients in `col` (layout of [[im2col1D]]) into `dx` (not cleared). */
  def col2im1D(
      g: Geometry1D,
      col: Array[Float],
      colOffset: Int,
      dx: Array[Float],
      dxOffset: Int
  ): Unit = {
    import g._
    var t = 0
    while (t < outSteps) {
      val src = colOffset + t * windowSize
      val first = t * stride - padBefore
      val lo = math.max(0, -first) * features
      val hi = math.min(kernel, steps - first) * features
      val dst = dxOffset + first * features
      var i = lo
      while (i < hi) { dx(dst + i) += col(src + i); i += 1 }
      t += 1
    }
  }
}
