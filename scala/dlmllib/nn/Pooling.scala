package dlmllib.nn

/** Shape rules shared by the 2-D pools: floor mode, no padding. */
private[nn] object Pooling {

  def outputShape(spec: String, size: Int, stride: Int, input: Shape): Shape = {
    Arguments.check(
      input.rank == 3,
      s"$spec needs an input [channels, height, width], found $input"
    )
    Arguments.check(
      input(1) >= size && input(2) >= size,
      s"$spec needs an input of at least $size×$size, found $input"
    )
    Shape.of(input(0), (input(1) - size) / stride + 1, (input(2) - size) / stride + 1)
  }

  def spec(name: String, size: Int, stride: Int): String =
    if (stride == size) s"$name($size)" else s"$name($size, stride=$stride)"

  def validate(name: String, size: Int, stride: Int): Unit = {
    Arguments.check(size > 0, s"$name needs a positive size, found $size")
    Arguments.check(stride > 0, s"$name needs a positive stride, found $stride")
  }
}
