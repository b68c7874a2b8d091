package dlmllib.distributed

import java.io.{DataInput, DataOutput, ObjectInputStream, ObjectOutputStream}
import java.nio.ByteBuffer

/** Float and double arrays written to and read from a stream in bulk, as a length then the values
  * big-endian (the layout of DataOutput's writeFloat / writeDouble, a value at a time). Java
  * serialization converts a float array one value at a time too: reading the replicas' sums that
  * way was 42 % of a training driver's profile (1.2 M weights, 14 MB a replica each round).
  */
private[dlmllib] object BulkArrays {
  private val chunkBytes = 1 << 16

  def writeFloats(out: DataOutput, a: Array[Float]): Unit = {
    out.writeInt(a.length)
    val bytes = new Array[Byte](math.min(chunkBytes, 4 * a.length))
    val buffer = ByteBuffer.wrap(bytes).asFloatBuffer()
    var i = 0
    while (i < a.length) {
      val n = math.min(bytes.length / 4, a.length - i)
      buffer.clear(); buffer.put(a, i, n)
      out.write(bytes, 0, 4 * n)
      i += n
    }
  }

  def readFloats(in: DataInput): Array[Float] = {
    val a = new Array[Float](in.readInt())
    val bytes = new Array[Byte](math.min(chunkBytes, 4 * a.length))
    val buffer = ByteBuffer.wrap(bytes).asFloatBuffer()
    var i = 0
    while (i < a.length) {
      val n = math.min(bytes.length / 4, a.length - i)
      in.readFully(bytes, 0, 4 * n)
      buffer.clear(); buffer.get(a, i, n)
      i += n
    }
    a
  }

  def writeDoubles(out: DataOutput, a: Array[Double]): Unit = {
    out.writeInt(a.length)
    val bytes = new Array[Byte](math.min(chunkBytes, 8 * a.length))
    val buffer = ByteBuffer.wrap(bytes).asDoubleBuffer()
    var i = 0
    while (i < a.length) {
      val n = math.min(bytes.length / 8, a.length - i)
      buffer.clear(); buffer.put(a, i, n)
      out.write(bytes, 0, 8 * n)
      i += n
    }
  }

  def readDoubles(in: DataInput): Array[Double] = {
    val a = new Array[Double](in.readInt())
    val bytes = new Array[Byte](math.min(chunkBytes, 8 * a.length))
    val buffer = ByteBuffer.wrap(bytes).asDoubleBuffer()
    var i = 0
    while (i < a.length) {
      val n = math.min(bytes.length / 8, a.length - i)
      in.readFully(bytes, 0, 8 * n)
      buffer.clear(); buffer.get(a, i, n)
      i += n
    }
    a
  }
}

/** A float array that Java serialization (a broadcast, a task's result) writes in bulk. */
private[dlmllib] final class BulkFloats(@transient var values: Array[Float]) extends Serializable {
  private def writeObject(out: ObjectOutputStream): Unit = {
    out.defaultWriteObject()
    BulkArrays.writeFloats(out, values)
  }

  private def readObject(in: ObjectInputStream): Unit = {
    in.defaultReadObject()
    values = BulkArrays.readFloats(in)
  }
}
