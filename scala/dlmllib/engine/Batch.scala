package dlmllib.engine

import dlmllib.nn.Arguments

/** A mini-batch, stacked once into contiguous float32 buffers: `features` is batch-major (`size` ×
  * sample size: NCHW for images, N×T×F for sequences), `targets` is `size` × target width in
  * whatever layout the loss reads (class indices or values). `lengths` holds the valid length of
  * each sequence, or is null when every sample has the full length. The arrays may be longer than
  * `size` samples; only their heads are read.
  */
final case class Batch(
    features: Array[Float],
    targets: Array[Float],
    size: Int,
    lengths: Array[Int] = null
) {
  Arguments.check(size > 0, s"a batch needs at least one sample, found size $size")
  Arguments.check(
    lengths == null || lengths.length >= size,
    s"a batch of $size samples needs $size lengths, found ${lengths.length}"
  )
}
