package dlmllib.nn

import java.util.Random

/** Central finite differences against a layer's (or network's) backward pass. The loss is
  * `sum(output * r)` for a fixed random `r`, so every output element's gradient is exercised.
  * Perturbations and sums are in double precision around float32 kernels, hence the loose default
  * tolerance.
  *
  * Errors are kept per parameter group (the inputs; each layer's kernels, i.e. the weights it
  * regularises; each layer's other weights), and a check bounds the worst error of every group.
  * Where a perturbation crosses a kink (relu, max pool) the central difference is no derivative: a
  * kink inside [x - eps, x + eps] shifts it by up to |f(x+eps) - 2 f(x) + f(x-eps)| / (2 eps), a
  * figure of the function alone, never of the analytic gradient. With `kinks`, points where that
  * shift could reach half the tolerance are counted as on a kink and left out of the bounds; being
  * chosen without the analytic gradient, they cannot hide a wrong one elsewhere. (A smooth
  * function's shift is its curvature times eps/2, so smooth checks keep every point.)
  */
object GradientCheck {

  /** The worst relative error of each group with where it was found, the values checked and the
    * points left out as lying on a kink.
    */
  final case class Result(worst: Map[String, (Double, String)], checked: Int, onKinks: Int) {
    def maxError: Double = if (worst.isEmpty) 0.0 else worst.values.map(_._1).max

    /** The groups whose worst error is `tolerance` or more. */
    def failing(tolerance: Double): Map[String, (Double, String)] =
      worst.filter(_._2._1 >= tolerance)

    override def toString: String =
      worst.toSeq.sortBy(_._1).map { case (g, (e, at)) => f"$g: $e%.2e at $at" }.mkString("; ") +
        s"; $checked values checked" + (if (onKinks > 0) s", $onKinks on a kink left out" else "")
  }

  /** Checks dLoss/dWeights and dLoss/dInput of a network over `input` (batch samples), skipping the
    * weights that `checkWeight` rejects (e.g. batch-norm running statistics, whose gradient is zero
    * by design), and the inputs too unless `checkInputs` is false (inputs that are not
    * differentiable, such as token ids). Errors are relative to |analytic| + |numeric|, or to
    * `floor` when that is smaller. Layers with kinks need a small eps so that few perturbations
    * cross one, hence more rounding noise and a larger floor.
    */
  def check(
      network: Network,
      input: Array[Float],
      batch: Int,
      lengths: Array[Int] = null,
      training: Boolean = true,
      eps: Float = 1e-2f,
      seed: Long = 7L,
      weights: Array[Float] = null,
      checkWeight: Int => Boolean = _ => true,
      checkInputs: Boolean = true,
      floor: Double = 1e-2,
      tolerance: Double = 1e-2,
      kinks: Boolean = false
  ): Result = {
    val w = if (weights != null) weights.clone() else network.initWeights(seed)
    val exec = network.executor(batch)
    val outSize = network.outputShape.size * batch
    val rng = new Random(seed + 1)
    val r = Array.fill(outSize)(rng.nextGaussian().toFloat)

    // Same dropout mask on every pass: reseed the context's generator before each forward.
    def loss(x: Array[Float], ws: Array[Float]): Double = {
      exec.context.rng = new Random(seed + 2)
      val out = exec.forward(ws, x, batch, training, lengths)
      var s = 0.0
      var i = 0
      while (i < outSize) { s += out(i).toDouble * r(i); i += 1 }
      s
    }

    // Analytic gradients of the same loss: dLoss/dOutput is r.
    val center = loss(input, w)
    val grad = new Array[Float](w.length)
    val inGrad =
      if (checkInputs) exec.backwardWithInputGradient(grad, r.clone(), batch)
      else { exec.backward(grad, r.clone(), batch); null }

    val worst = scala.collection.mutable.LinkedHashMap.empty[String, (Double, String)]
    var checked, onKinks = 0
    // below `floor` the error counts as absolute: float32 rounding of the outputs makes the
    // differences noisy by ~1e-5 (eps = 1e-2) to ~1e-4 (eps = 1e-3), however small the gradient
    def compare(group: String, what: String, analytic: Double, arr: Array[Float], i: Int): Unit = {
      val x = if (arr eq w) input else arr
      val old = arr(i)
      arr(i) = old + eps
      val up = loss(x, w)
      arr(i) = old - eps
      val down = loss(x, w)
      arr(i) = old
      val numeric = (up - down) / (2.0 * eps)
      val scale = math.max(floor, math.abs(analytic) + math.abs(numeric))
      val kinkShift = math.abs(up - 2 * center + down) / (2.0 * eps)
      if (kinks && kinkShift >= tolerance * scale / 2) onKinks += 1
      else {
        checked += 1
        val e = math.abs(analytic - numeric) / scale
        if (e > worst.getOrElse(group, (-1.0, ""))._1)
          worst(group) = (e, s"$what (analytic $analytic)")
      }
    }
    val kernel = network.regularizationMask
    def layerOf(i: Int): Int = network.offsets.lastIndexWhere(_ <= i)
    sample(w.length, 300, rng).filter(checkWeight).foreach { i =>
      val l = layerOf(i)
      val part = if (kernel(i) == 1f) "kernel" else "other weights"
      compare(s"layer ${l + 1} ${network.layers(l).toSpec} $part", s"weight $i", grad(i), w, i)
    }
    val x = input.clone()
    if (checkInputs)
      sample(input.length, 300, rng).foreach(i => compare("input", s"input $i", inGrad(i), x, i))
    Result(worst.toMap, checked, onKinks)
  }

  /** Checks a single layer on an input of shape `in` with `batch` random samples. */
  def checkLayer(
      layer: Layer,
      in: Shape,
      batch: Int = 3,
      lengths: Array[Int] = null,
      training: Boolean = true,
      eps: Float = 1e-2f,
      seed: Long = 7L,
      checkWeight: Int => Boolean = _ => true,
      checkInputs: Boolean = true,
      floor: Double = 1e-2,
      tolerance: Double = 1e-2,
      kinks: Boolean = false
  ): Result = {
    val net = new Network(in, IndexedSeq(layer))
    val rng = new Random(seed + 3)
    val input = Array.fill(in.size * batch)(rng.nextGaussian().toFloat)
    check(
      net,
      input,
      batch,
      lengths,
      training,
      eps,
      seed,
      null,
      checkWeight,
      checkInputs,
      floor,
      tolerance,
      kinks
    )
  }

  private def sample(n: Int, k: Int, rng: Random): Seq[Int] =
    if (n <= k) 0 until n else Seq.fill(k)(rng.nextInt(n))
}
