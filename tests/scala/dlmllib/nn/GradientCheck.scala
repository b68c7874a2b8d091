package dlmllib.nn

import java.util.Random

/** Central finite differences against a layer's (or network's) backward pass. The loss is
  * `sum(output * r)` for a fixed random `r`, so every output element's gradient is exercised.
  * Perturbations and sums are in double precision around float32 kernels, hence the loose default
  * tolerance.
  */
object GradientCheck {

  /** The largest relative error found, with what it was found on, and every error measured. */
  final case class Result(maxError: Double, where: String, errors: IndexedSeq[Double] = Vector()) {

    /** The fraction of checked values whose error exceeds `tolerance`: a few may sit on a kink
      * (relu, max pool) that a perturbation crossed, while a bug affects many.
      */
    def fractionAbove(tolerance: Double): Double =
      if (errors.isEmpty) 0.0 else errors.count(_ > tolerance).toDouble / errors.length

    override def toString: String =
      f"max relative error $maxError%.2e at $where; ${errors.length} values checked"
  }

  /** Checks dLoss/dWeights and dLoss/dInput of a network over `input` (batch samples), skipping the
    * weights that `checkWeight` rejects (e.g. batch-norm running statistics, whose gradient is zero
    * by design), and the inputs too unless `checkInputs` is false (inputs that are not
    * differentiable, such as token ids). Errors are relative to |analytic| + |numeric|, or to
    * `floor` when that is smaller. Layers with kinks (relu, max pool) need a small eps so that no
    * perturbation crosses one, hence more rounding noise and a larger floor.
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
      floor: Double = 1e-2
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
    loss(input, w)
    val grad = new Array[Float](w.length)
    val inGrad =
      if (checkInputs) exec.backwardWithInputGradient(grad, r.clone(), batch)
      else { exec.backward(grad, r.clone(), batch); null }

    // below `floor` the error counts as absolute: float32 rounding of the outputs makes the
    // differences noisy by ~1e-5 (eps = 1e-2) to ~1e-4 (eps = 1e-3), however small the gradient
    def rel(a: Double, n: Double): Double =
      math.abs(a - n) / math.max(floor, math.abs(a) + math.abs(n))

    var worst = Result(0.0, "nothing")
    val errors = Vector.newBuilder[Double]
    def numeric(arr: Array[Float], i: Int, x: Array[Float], ws: Array[Float]): Double = {
      val old = arr(i)
      arr(i) = old + eps
      val up = loss(x, ws)
      arr(i) = old - eps
      val down = loss(x, ws)
      arr(i) = old
      (up - down) / (2.0 * eps)
    }
    val wIdx = sample(w.length, 300, rng).filter(checkWeight)
    wIdx.foreach { i =>
      val e = rel(grad(i), numeric(w, i, input, w))
      errors += e
      if (e > worst.maxError) worst = Result(e, s"weight $i (analytic ${grad(i)})")
    }
    val x = input.clone()
    if (checkInputs) sample(input.length, 300, rng).foreach { i =>
      val e = rel(inGrad(i), numeric(x, i, x, w))
      errors += e
      if (e > worst.maxError) worst = Result(e, s"input $i (analytic ${inGrad(i)})")
    }
    worst.copy(errors = errors.result())
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
      floor: Double = 1e-2
  ): Result = {
    val net = new Network(in, IndexedSeq(layer))
    val rng = new Random(seed + 3)
    val input = Array.fill(in.size * batch)(rng.nextGaussian().toFloat)
    check(net, input, batch, lengths, training, eps, seed, null, checkWeight, checkInputs, floor)
  }

  private def sample(n: Int, k: Int, rng: Random): Seq[Int] =
    if (n <= k) 0 until n else Seq.fill(k)(rng.nextInt(n))
}
