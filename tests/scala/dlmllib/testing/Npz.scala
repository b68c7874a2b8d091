package dlmllib.testing

import java.io.DataInputStream
import java.nio.{ByteBuffer, ByteOrder}
import java.util.zip.ZipInputStream

/** Reads the numeric arrays of a `.npz` test resource (a zip of `.npy` files, C order). */
object Npz {

  /** An array's shape and its values as doubles. */
  final case class NpyArray(shape: Seq[Int], values: Array[Double])

  def load(resource: String): Map[String, NpyArray] = {
    val in = new ZipInputStream(getClass.getResourceAsStream(resource))
    try
      Iterator
        .continually(in.getNextEntry)
        .takeWhile(_ != null)
        .map(e => e.getName.stripSuffix(".npy") -> in.readAllBytes())
        .collect { case (name, bytes) if !name.startsWith("classes") => name -> parse(bytes) }
        .toMap
    finally in.close()
  }

  private def parse(bytes: Array[Byte]): NpyArray = {
    val headerLength = (bytes(8) & 0xff) | ((bytes(9) & 0xff) << 8)
    val header = new String(bytes, 10, headerLength, "latin1")
    val descr = """'descr':\s*'([^']+)'""".r.findFirstMatchIn(header).get.group(1)
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
