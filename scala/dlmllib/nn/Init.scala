package dlmllib.nn

import java.util.Random

/** Weight initialisations (biases stay zero). */
private[nn] object Init {

  /** He normal: N(0, 2 / fanIn), for layers followed by (leaky) ReLU. */
  def he(w: Array[Float], from: Int, n: Int, fanIn: Int, rng: Random): Unit = {
    val std = math.sqrt(2.0 / fanIn)
    var i = from
    while (i < from + n) { w(i) = (rng.nextGaussian() * std).toFloat; i += 1 }
  }

  /** Glorot uniform: U(-l, l) with l = sqrt(6 / (fanIn + fanOut)). */
  def glorot(w: Array[Float], from: Int, n: Int, fanIn: Int, fanOut: Int, rng: Random): Unit = {
    val limit = math.sqrt(6.0 / (fanIn + fanOut))
    var i = from
    while (i < from + n) { w(i) = ((rng.nextDouble() * 2 - 1) * limit).toFloat; i += 1 }
  }

  /** He when `activation` is a rectifier, Glorot otherwise. */
  def forActivation(
      activation: Activation,
      w: Array[Float],
      from: Int,
      n: Int,
      fanIn: Int,
      fanOut: Int,
      rng: Random
  ): Unit =
    if (Activation.prefersHe(activation)) he(w, from, n, fanIn, rng)
    else glorot(w, from, n, fanIn, fanOut, rng)
}
