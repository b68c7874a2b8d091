package dlmllib.testing

import java.io.DataInputStream
import java.nio.{ByteBuffer, ByteOrder}
import java.util.zip.ZipInputStream

/** Reads the numeric arrays of a `.npz` file (a zip of `.npy` files, C order); text arrays (`<U`)
  * are skipped.
  */
object Npz {

  /** An array's shape and its values as doubles. */
  final case class NpyArray(shape: Seq[Int], values: Array[Double])

  /** The arrays of a file, e.g. `data/ucr_gunpoint.npz` of the repository (tests run from its
    * root).
    */
  def loadFile(path: String): Map[String, NpyArray] = {
    val in = new ZipInputStream(new java.io.FileInputStream(path))
    try
      Iterator
        .continually(in.getNextEntry)
        .takeWhile(_ != null)
        .map(e => e.getName.stripSuffix(".npy") -> in.readAllBytes())
        .collect { case (name, bytes) if !isText(bytes) => name -> parse(bytes) }
        .toMap
    finally in.close()
  }

  private def header(bytes: Array[Byte]): (Int, String) = {
    val headerLength = (bytes(8) & 0xff) | ((bytes(9) & 0xff) << 8)
    (headerLength, new String(bytes, 10, headerLength, "latin1"))
  }

  private def descr(header: String): String =
    """'descr':\s*'([^']+)'""".r.findFirstMatchIn(header).get.group(1)

  private def isText(bytes: Array[Byte]): Boolean = descr(header(bytes)._2).startsWith("<U")

  private def parse(bytes: Array[Byte]): NpyArray = {
    val (headerLength, header) = this.header(bytes)
    val descr = this.descr(header)
    val shape = """'shape':\s*\(([^)]*)\)""".r
      .findFirstMatchIn(header)
      .get
      .group(1)
      .split(",")
      .map(_.trim)
      .filter(_.nonEmpty)
      .map(_.toInt)
      .toSeq
    val n = shape.product
    val data = ByteBuffer
      .wrap(bytes, 10 + headerLength, bytes.length - 10 - headerLength)
      .order(ByteOrder.LITTLE_ENDIAN)
    val values = descr match {
      case "|u1" => Array.tabulate(n)(_ => (data.get() & 0xff).toDouble)
      case "<i8" => Array.tabulate(n)(_ => data.getLong().toDouble)
      case "<i4" => Array.tabulate(n)(_ => data.getInt().toDouble)
      case "<f4" => Array.tabulate(n)(_ => data.getFloat().toDouble)
      case other => throw new IllegalArgumentException(s"unsupported npy dtype $other")
    }
    NpyArray(shape, values)
  }
}
