package dlmllib.nn

/** An element-wise activation. Kernels apply it in place on their output buffer and take its
  * derivative from that OUTPUT, so they need not keep the pre-activation values.
  */
sealed trait Activation extends Serializable {

  /** The name in the layer-spec DSL. */
  def name: String

  /** Replaces `x(from until until)` by the activation of each value. */
  def forward(x: Array[Float], from: Int, until: Int): Unit

  /** The derivative at a point, from the activation's output `y` there. */
  def derivativeFromOutput(y: Float): Float

  /** `delta(i) = outputGradient(i) * f'(output(i))` for i in `0 until n`. */
  def backward(
      output: Array[Float],
      outputGradient: Array[Float],
      delta: Array[Float],
      n: Int
  ): Unit = {
    var i = 0
    while (i < n) { delta(i) = outputGradient(i) * derivativeFromOutput(output(i)); i += 1 }
  }

  override def toString: String = name
}

/** Rectified linear unit, max(0, x).
  *
  * The loops are branch-free: signs of activations are random, and a mispredicted branch per value
  * made these loops 20-30 times slower (measured: 8 ms against 0.3 ms per million).
  */
case object Relu extends Activation {
  val name = "relu"
  def forward(x: Array[Float], from: Int, until: Int): Unit = {
    var i = from
    while (i < until) { x(i) = math.max(x(i), 0f); i += 1 }
  }
  def derivativeFromOutput(y: Float): Float = Activation.positive(y).toFloat
  override def backward(o: Array[Float], g: Array[Float], d: Array[Float], n: Int): Unit = {
    var i = 0
    while (i < n) { d(i) = g(i) * Activation.positive(o(i)); i += 1 }
  }
}

/** Leaky ReLU with slope 0.01 below zero (the output has the sign of the input). */
case object LeakyRelu extends Activation {
  val name = "leakyrelu"
  val slope = 0.01f
  def forward(x: Array[Float], from: Int, until: Int): Unit = {
    var i = from
    while (i < until) { x(i) = math.max(x(i), x(i) * slope); i += 1 }
  }
  def derivativeFromOutput(y: Float): Float = slope + (1f - slope) * Activation.positive(y)
  override def backward(o: Array[Float], g: Array[Float], d: Array[Float], n: Int): Unit = {
    var i = 0
    while (i < n) { d(i) = g(i) * (slope + (1f - slope) * Activation.positive(o(i))); i += 1 }
  }
}

/** Logistic sigmoid, 1 / (1 + e^-x). */
case object Sigmoid extends Activation {
  val name = "sigmoid"
  def forward(x: Array[Float], from: Int, until: Int): Unit =
    FastMath.sigmoids(x, from, until)
  def derivativeFromOutput(y: Float): Float = y * (1f - y)
}

/** Hyperbolic tangent. */
case object Tanh extends Activation {
  val name = "tanh"
  def forward(x: Array[Float], from: Int, until: Int): Unit =
    FastMath.tanhs(x, from, until)
  def derivativeFromOutput(y: Float): Float = 1f - y * y
}

/** The identity. */
case object Linear extends Activation {
  val name = "linear"
  def forward(x: Array[Float], from: Int, until: Int): Unit = ()
  def derivativeFromOutput(y: Float): Float = 1f
  override def backward(o: Array[Float], g: Array[Float], d: Array[Float], n: Int): Unit =
    if (g ne d) System.arraycopy(g, 0, d, 0, n)
}

object Activation {
  val all: Seq[Activation] = Seq(Relu, LeakyRelu, Sigmoid, Tanh, Linear)

  /** The activation of a DSL name (case-insensitive). */
  def fromName(s: String): Activation =
    all
      .find(_.name == s.trim.toLowerCase(java.util.Locale.ROOT))
      .getOrElse(
        throw new IllegalArgumentException(
          s"unknown activation '$s'; expected one of ${all.map(_.name).mkString(", ")}"
        )
      )

  /** 1 when `y > 0` (or NaN), 0 when `y <= 0`, without a branch: the sign bit of `-bits(y)`. */
  @inline private[nn] def positive(y: Float): Int = -java.lang.Float.floatToRawIntBits(y) >>> 31

  /** Whether He initialisation suits a layer followed by `a` (Glorot otherwise). */
  private[nn] def prefersHe(a: Activation): Boolean = a == Relu || a == LeakyRelu
}
