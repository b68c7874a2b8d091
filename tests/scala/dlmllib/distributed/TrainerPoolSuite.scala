package dlmllib.distributed

import java.io.{ByteArrayInputStream, ByteArrayOutputStream, ObjectInputStream, ObjectOutputStream}

import dlmllib.nn.{LayerSpec, Network, Shape, SoftmaxCrossEntropy}
import dlmllib.optim.{Adam, LearningRateSchedule}
import org.scalatest.funsuite.AnyFunSuite

class TrainerPoolSuite extends AnyFunSuite {
  private val net = new Network(Shape.of(4), LayerSpec.parse("dense(3)"))
  private val config = TrainingConfig(
    name = "test",
    maxEpochs = 1,
    batchSize = 2,
    localSteps = None,
    aggregationDepth = 2,
    stepSize = 0.01,
    schedule = LearningRateSchedule.Constant,
    optimizer = Adam(),
    regParam = 0.0,
    clipNorm = 0.0,
    tol = 0.0,
    patience = 0,
    seed = 1L
  )
  private def pool(threads: Int = 1) = new TrainerPool(net, SoftmaxCrossEntropy, config, 2, threads)

  test("a pool lends its idle trainers and builds one only when none is idle") {
    val p = pool()
    val a = p.take()
    val b = p.take()
    assert(a ne b)
    p.give(a)
    assert(p.take() eq a)
  }

  test("an executor's copy of the broadcast pool starts empty") {
    val p = pool()
    val given = p.take()
    p.give(given)
    val bytes = new ByteArrayOutputStream()
    new ObjectOutputStream(bytes).writeObject(p)
    val copy = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray)).readObject()
    assert(copy.asInstanceOf[TrainerPool].take() ne given)
  }

  test("trainers step on the pool's threads, no more than the machine's cores") {
    assert(pool(2).take().threads == math.min(2, Runtime.getRuntime.availableProcessors))
    assert(pool(10000).take().threads == Runtime.getRuntime.availableProcessors)
  }
}
