package dlmllib.data

import java.io.{ByteArrayOutputStream, File, FileInputStream, InputStream}
import java.nio.{ByteBuffer, ByteOrder}
import java.util.zip.ZipInputStream

/** A numeric array read from a `.npy` file: its shape and its values in C order, as doubles. */
final case class NpyArray(shape: Seq[Int], values: Array[Double]) {
  def size: Int = values.length
}

/** Reads the numeric arrays of a numpy `.npz` archive (the project's `data/` files): the `.npy`
  * format's magic, version, header dict (`descr`, `fortran_order`, `shape`) and raw data, for
  * little-endian integers and floats and unsigned bytes. Arrays of other types are skipped.
  */
object Npz {

  def read(path: String): Map[String, NpyArray] = {
    val in = new ZipInputStream(new FileInputStream(new File(path)))
    try
      Iterator
        .continually(in.getNextEntry)
        .takeWhile(_ != null)
        .flatMap(e => parse(e.getName, readAll(in)).map(e.getName.stripSuffix(".npy") -> _))
        .toMap
    finally in.close()
  }

  private def readAll(in: InputStream): Array[Byte] = {
    val out = new ByteArrayOutputStream()
    in.transferTo(out)
    out.toByteArray
  }

  private val Descr = """'descr':\s*'([<>|=])([a-zA-Z])(\d+)'""".r.unanchored
  private val ShapeField = """'shape':\s*\(([^)]*)\)""".r.unanchored

  private def parse(name: String, bytes: Array[Byte]): Option[NpyArray] = {
    require(
      bytes.length > 10 && bytes(0) == 0x93.toByte && new String(bytes, 1, 5, "ASCII") == "NUMPY",
      s"$name is not a .npy file"
    )
    val buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
    val major = bytes(6)
    val (headerLen, headerStart) =
      if (major == 1) (buf.getShort(8) & 0xffff, 10) else (buf.getInt(8), 12)
    val header = new String(bytes, headerStart, headerLen, "latin1")
    require(!header.contains("'fortran_order': True"), s"$name is in Fortran order")
    val shape = header match {
      case ShapeField(dims) => dims.split(",").map(_.trim).filter(_.nonEmpty).map(_.toInt).toSeq
      case _ => throw new IllegalArgumentException(s"$name has no shape in its header: $header")
    }
    val n = shape.product
    val data = buf.position(headerStart + headerLen).slice().order(ByteOrder.LITTLE_ENDIAN)
    header match {
      case Descr(order, kind, width) if order != ">" =>
        val read: Int => Double = (kind, width.toInt) match {
          case ("u", 1) => i => (data.get(i) & 0xff).toDouble
          case ("i", 1) => i => data.get(i).toDouble
          case ("i", 4) => i => data.getInt(4 * i).toDouble
          case ("i", 8) => i => data.getLong(8 * i).toDouble
          case ("f", 4) => i => data.getFloat(4 * i).toDouble
          case ("f", 8) => i => data.getDouble(8 * i)
          case ("u", 4) => i => (data.getInt(4 * i) & 0xffffffffL).toDouble
          case _ => null
        }
        Option(read).map(r => NpyArray(shape, Array.tabulate(n)(r)))
      case _ => None
    }
  }
}
