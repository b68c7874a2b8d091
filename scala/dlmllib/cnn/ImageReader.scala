package dlmllib.cnn

import dlmllib.data.{InputError, InputReader}
import dlmllib.nn.{Arguments, Shape}
import org.apache.spark.sql.Row
import org.apache.spark.sql.types._

/** Reads the image struct of `spark.read.format("image")` (8-bit pixels stored row by row with
  * interleaved channels, in OpenCV's BGR(A) order) into CHW floats in [0, 1]. Channels keep the
  * stored order. Every image must have the size of `shape` = `[nChannels, height, width]`.
  */
final case class ImageReader(column: String, shape: Shape) extends InputReader {
  Arguments.check(shape.rank == 3, s"an image shape is [channels, height, width], found $shape")

  def read(value: Any, out: Array[Float], offset: Int, row: => String): Int = {
    val image = value match {
      case null => InputReader.nullValue(column, row)
      case r: Row => r
      case other =>
        throw new InputError(
          s"column `$column` must hold image structs, found $other"
        )
    }
    val (c, h, w) = ImageReader.size(image)
    if (c != shape(0) || h != shape(1) || w != shape(2))
      throw new InputError(
        s"column `$column`: every image must have the size of the first one, " +
          s"[channels, height, width] = $shape, found [$c, $h, $w] in $row (origin " +
          s"${image.getAs[String]("origin")}); resize the images to one size first"
      )
    val data = image.getAs[Array[Byte]]("data")
    if (data.length != c * h * w)
      throw new InputError(
        s"column `$column`: an 8-bit image of [$c, $h, $w] needs ${c * h * w} bytes, " +
          s"found ${data.length} in $row (mode ${image.getAs[Int]("mode")}: only 8-bit modes are read)"
      )
    val plane = h * w
    var p = 0
    while (p < plane) {
      var k = 0
      while (k < c) {
        out(offset + k * plane + p) = (data(p * c + k) & 0xff) / 255f
        k += 1
      }
      p += 1
    }
    0
  }
}

object ImageReader {

  /** True for the struct `spark.read.format("image")` produces. */
  def accepts(dataType: DataType): Boolean = dataType match {
    case s: StructType =>
      Seq("height", "width", "nChannels", "mode", "data").forall(s.fieldNames.contains)
    case _ => false
  }

  /** (nChannels, height, width) of an image struct. */
  def size(image: Row): (Int, Int, Int) =
    (image.getAs[Int]("nChannels"), image.getAs[Int]("height"), image.getAs[Int]("width"))
}
