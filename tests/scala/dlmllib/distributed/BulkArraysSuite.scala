package dlmllib.distributed

import java.io._

import dlmllib.data.Stacker
import dlmllib.engine.{Batch, BulkArrays, BulkFloats}

import org.scalatest.funsuite.AnyFunSuite

/** What ships between the driver and the executors, and through shuffles and caches, in bulk. */
class BulkArraysSuite extends AnyFunSuite {
  private val rng = new java.util.Random(3L)
  private val special = Array(Float.NaN, -0f, Float.PositiveInfinity, Float.MinPositiveValue)

  private def bits(a: Array[Float]): Array[Int] = a.map(java.lang.Float.floatToRawIntBits)

  private def serialized[T](o: T): T = {
    val bytes = new ByteArrayOutputStream()
    val out = new ObjectOutputStream(bytes)
    out.writeObject(o)
    out.close()
    new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray)).readObject().asInstanceOf[T]
  }

  test("arrays of any length come back bit for bit, in DataOutput's layout") {
    for (n <- Seq(0, 1, 3, 16384, 16385, 100003)) {
      val f = Array.fill(n)(rng.nextGaussian().toFloat) ++ special
      val d = Array.fill(n)(rng.nextGaussian()) ++ special.map(_.toDouble)
      val i = Array.fill(n)(rng.nextInt()) ++ Array(Int.MinValue, -1, 0, Int.MaxValue)
      val bulk, single = new ByteArrayOutputStream()
      val out = new DataOutputStream(bulk)
      BulkArrays.writeFloats(out, f)
      BulkArrays.writeDoubles(out, d)
      BulkArrays.writeInts(out, i)
      val one = new DataOutputStream(single)
      one.writeInt(f.length); f.foreach(one.writeFloat)
      one.writeInt(d.length); d.foreach(one.writeDouble)
      one.writeInt(i.length); i.foreach(one.writeInt)
      assert(bulk.toByteArray.sameElements(single.toByteArray), n)
      val in = new DataInputStream(new ByteArrayInputStream(bulk.toByteArray))
      val (f2, d2) = (BulkArrays.readFloats(in), BulkArrays.readDoubles(in))
      assert(BulkArrays.readInts(in).sameElements(i))
      assert(
        f2.map(java.lang.Float.floatToRawIntBits)
          .sameElements(f.map(java.lang.Float.floatToRawIntBits))
      )
      assert(
        d2.map(java.lang.Double.doubleToRawLongBits)
          .sameElements(d.map(java.lang.Double.doubleToRawLongBits))
      )
    }
  }

  test("broadcast weights, a round's start and its sums survive Java serialization") {
    val (w, s) = (Array.fill(40000)(rng.nextFloat()), Array.fill(80000)(rng.nextFloat()))
    assert(serialized(new BulkFloats(w)).values.sameElements(w))
    val start = serialized(new Round.Start(w, s, 7L, 0.5f))
    assert(start.weights.sameElements(w) && start.state.sameElements(s))
    assert(start.stepCount == 7L && start.learningRate == 0.5f)
    def replica(k: Int) = Round.Sum.replica(w.map(_ * k), s.map(_ - k), 10L * k, 2.5 * k, k)
    val one = serialized(replica(1))
    assert(one.means._1.sameElements(w) && one.means._2.sameElements(s.map(_ - 1)))
    val merged = replica(1).merge(replica(2))
    val (expected, back) = (merged.means, serialized(merged).means)
    assert(back._1.sameElements(expected._1) && back._2.sameElements(expected._2))
    assert(serialized(merged).samples == 30L && serialized(merged).maxSteps == 2)
    assert(serialized(new Round.Sum).isEmpty)
  }

  test("cached batches and shuffled samples survive Java serialization bit for bit") {
    val x = Array.fill(3 * 784)(rng.nextGaussian().toFloat) ++ special
    val y = Array(1f, 7f, 3f, Float.NaN)
    for (lengths <- Seq(null, Array(50, 7, 1, 2))) {
      val back = serialized(Batch(x, y, 3, lengths))
      assert(bits(back.features).sameElements(bits(x)) && bits(back.targets).sameElements(bits(y)))
      assert(back.size == 3)
      assert(if (lengths == null) back.lengths == null else back.lengths.sameElements(lengths))
    }
    val sample = serialized(Stacker.Sample(x, 2.5f, 40))
    assert(bits(sample.features).sameElements(bits(x)))
    assert(sample.target == 2.5f && sample.length == 40)
  }
}
