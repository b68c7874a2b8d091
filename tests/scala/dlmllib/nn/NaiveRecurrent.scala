package dlmllib.nn

/** A scalar, double-precision recurrent layer written straight from PyTorch's equations, one sample
  * and one direction at a time: the reference the BLAS kernels are compared with. Reads the weights
  * in [[Recurrent]]'s layout (PyTorch's: weight_ih, weight_hh, bias_ih, bias_hh per direction).
  */
object NaiveRecurrent {

  def forward(
      layer: Recurrent,
      weights: Array[Float],
      input: Array[Float],
      batch: Int,
      steps: Int,
      features: Int,
      lengths: Array[Int]
  ): Array[Double] = {
    val h = layer.hiddenSize
    val g = layer.gates * h
    val dirs = layer.directions
    val perDir = g * features + g * h + 2 * g
    val seq = new Array[Double](batch * steps * h * dirs)
    val last = new Array[Double](batch * h * dirs)
    def sigmoid(v: Double) = 1.0 / (1.0 + math.exp(-v))
    for (n <- 0 until batch; d <- 0 until dirs) {
      val len = if (lengths == null) steps else lengths(n)
      val base = d * perDir
      def wih(row: Int, k: Int) = weights(base + row * features + k).toDouble
      def whh(row: Int, j: Int) = weights(base + g * features + row * h + j).toDouble
      def bih(row: Int) = weights(base + g * features + g * h + row).toDouble
      def bhh(row: Int) = weights(base + g * features + g * h + g + row).toDouble
      var state = new Array[Double](h)
      val cell = new Array[Double](h)
      val order = if (d == 0) 0 until len else (len - 1) to 0 by -1
      for (t <- order) {
        val a = Array.tabulate(g)(r =>
          (0 until features).map(k => wih(r, k) * input((n * steps + t) * features + k)).sum +
            bih(r)
        )
        val b = Array.tabulate(g)(r => (0 until h).map(j => whh(r, j) * state(j)).sum + bhh(r))
        state = layer.cell match {
          case "lstm" =>
            Array.tabulate(h) { j =>
              val i = sigmoid(a(j) + b(j))
              val f = sigmoid(a(h + j) + b(h + j))
              val c = math.tanh(a(2 * h + j) + b(2 * h + j))
              val o = sigmoid(a(3 * h + j) + b(3 * h + j))
              cell(j) = f * cell(j) + i * c
              o * math.tanh(cell(j))
            }
          case "gru" =>
            Array.tabulate(h) { j =>
              val r = sigmoid(a(j) + b(j))
              val u = sigmoid(a(h + j) + b(h + j))
              val c = math.tanh(a(2 * h + j) + r * b(2 * h + j))
              (1 - u) * c + u * state(j)
            }
          case "rnn" => Array.tabulate(h)(j => math.tanh(a(j) + b(j)))
        }
        for (j <- 0 until h) seq((n * steps + t) * h * dirs + d * h + j) = state(j)
      }
      for (j <- 0 until h) last(n * h * dirs + d * h + j) = state(j)
    }
    if (layer.returnSequences) seq else last
  }
}
