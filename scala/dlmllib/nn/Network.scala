package dlmllib.nn

import java.util.Random

/** A feed-forward stack of layers over one flat weight vector (Spark `ml.ann` style): layer i owns
  * `weights(offsets(i) until offsets(i) + sizes(i))`. Immutable and serialisable; the per-task
  * arithmetic lives in [[Executor]].
  */
final class Network(val inputShape: Shape, val layers: IndexedSeq[Layer]) extends Serializable {

  /** shapes(i) is the input shape of layer i; shapes.last is the network's output shape. */
  val shapes: IndexedSeq[Shape] = layers.zipWithIndex.scanLeft(inputShape) { case (in, (l, i)) =>
    try l.outputShape(in)
    catch {
      case e: IllegalArgumentException =>
        throw new IllegalArgumentException(
          s"layer ${i + 1} `${l.toSpec}` does not fit its input shape $in: ${e.getMessage}",
          e
        )
    }
  }

  def outputShape: Shape = shapes.last

  private val sizes: Array[Int] = layers.indices.map(i => layers(i).numWeights(shapes(i))).toArray

  /** Start of each layer's slice in the flat weight vector. */
  val offsets: Array[Int] = sizes.scanLeft(0)(_ + _).init

  val numWeights: Int = sizes.sum

  /** Layer `i`'s (start, length) range of the flat weight vector. */
  def layerWeights(i: Int): (Int, Int) = (offsets(i), sizes(i))

  /** A fresh weight vector, every layer initialised from one seeded generator. */
  def initWeights(seed: Long): Array[Float] = {
    val w = new Array[Float](numWeights)
    val rng = new Random(seed)
    layers.indices.foreach(i => layers(i).initWeights(shapes(i), w, offsets(i), rng))
    w
  }

  /** 1 where L2 regularisation applies, 0 elsewhere. */
  def regularizationMask: Array[Float] = {
    val mask = new Array[Float](numWeights)
    for (i <- layers.indices; (start, len) <- layers(i).regularized(shapes(i)))
      java.util.Arrays.fill(mask, offsets(i) + start, offsets(i) + start + len, 1f)
    mask
  }

  /** The layers in the layer-spec DSL, `;`-separated. */
  def toSpec: String = LayerSpec.print(layers)

  /** A table of the layers with their output shapes and weight counts. */
  def describe: String = {
    val rows = layers.indices.map(i => (layers(i).toSpec, shapes(i + 1).toString, sizes(i)))
    val w = (rows.map(_._1.length) :+ 5).max
    val lines = s"input ${" " * (w - 5)}  $inputShape" +:
      rows.map { case (s, out, n) =>
        s"${s.padTo(w, ' ')}  ${out.padTo(16, ' ')} ${f"$n%,d"} weights"
      }
    (lines :+ f"total $numWeights%,d weights").mkString("\n")
  }

  def executor(maxBatch: Int): Executor = new Executor(this, maxBatch)

  override def toString: String = s"Network($inputShape: $toSpec)"
}

/** Runs a [[Network]] forward and backward for one task, reusing every layer's buffers. */
final class Executor(val network: Network, val maxBatch: Int) {
  private val kernels: IndexedSeq[Kernel] = network.layers.indices.map { i =>
    network.layers(i).kernel(network.shapes(i), network.offsets(i), maxBatch)
  }

  val context: Context = new Context(null, null)

  /** Forward over `batch` samples; returns the output buffer (batch × output size at its head),
    * owned by the last kernel.
    */
  def forward(
      weights: Array[Float],
      input: Array[Float],
      batch: Int,
      training: Boolean,
      lengths: Array[Int] = null
  ): Array[Float] = {
    Arguments.check(
      batch <= maxBatch,
      s"batch of $batch exceeds this executor's maximum of $maxBatch"
    )
    context.weights = weights
    context.training = training
    context.lengths = lengths
    var x = input
    var i = 0
    while (i < kernels.length) { x = kernels(i).forward(context, x, batch); i += 1 }
    x
  }

  /** Backward for the last forward: accumulates dLoss/dWeights into `gradient`. */
  def backward(gradient: Array[Float], outputGradient: Array[Float], batch: Int): Unit =
    run(gradient, outputGradient, batch, needInputGradient = false)

  /** Backward that also returns dLoss/dInput (for gradient checks and nested networks). */
  def backwardWithInputGradient(
      gradient: Array[Float],
      outputGradient: Array[Float],
      batch: Int
  ): Array[Float] = run(gradient, outputGradient, batch, needInputGradient = true)

  private def run(
      gradient: Array[Float],
      outputGradient: Array[Float],
      batch: Int,
      needInputGradient: Boolean
  ): Array[Float] = {
    context.gradient = gradient
    var delta = outputGradient
    var i = kernels.length - 1
    while (i >= 0) {
      delta = kernels(i).backward(context, delta, batch, needInputGradient || i > 0)
      i -= 1
    }
    delta
  }
}
