package dlmllib.distributed

import java.io.{ByteArrayInputStream, ByteArrayOutputStream, ObjectInputStream, ObjectOutputStream}

import dlmllib.engine.LocalTrainer
import dlmllib.nn.{LayerSpec, Network, Shape, SoftmaxCrossEntropy}
import dlmllib.optim.Adam
import org.scalatest.funsuite.AnyFunSuite

class TrainerPoolSuite extends AnyFunSuite {
  private val net = new Network(Shape.of(4), LayerSpec.parse("dense(3)"))
  private def trainer() = new LocalTrainer(net, SoftmaxCrossEntropy, Adam(), maxBatch = 2)

  test("a pool lends its idle trainers and builds one only when none is idle") {
    val pool = new TrainerPool
    val a = pool.take(trainer())
    val b = pool.take(trainer())
    assert(a ne b)
    pool.give(a)
    assert(pool.take(fail("built a trainer while one was idle")) eq a)
  }

  test("an executor's copy of the broadcast pool starts empty") {
    val pool = new TrainerPool
    pool.give(trainer())
    val bytes = new ByteArrayOutputStream()
    new ObjectOutputStream(bytes).writeObject(pool)
    val copy = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray)).readObject()
    var built = 0
    copy.asInstanceOf[TrainerPool].take { built += 1; trainer() }
    assert(built == 1)
  }
}
