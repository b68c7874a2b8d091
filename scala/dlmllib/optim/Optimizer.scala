package dlmllib.optim

/** Updates a flat weight vector from its gradient. Its state (moments, velocities) is one flat
  * array too, so that it can be averaged across partitions, broadcast and saved like the weights.
  */
trait Optimizer extends Serializable {

  /** Floats of state for a network of `numWeights` weights. */
  def stateSize(numWeights: Int): Int

  /** One update: `step` counts from 1 (Adam's bias correction), `learningRate` comes from the
    * schedule.
    */
  def update(
      weights: Array[Float],
      gradient: Array[Float],
      state: Array[Float],
      step: Long,
      learningRate: Float
  ): Unit

  /** The factor on the learning rate when `split` replicas share each mini-batch, each stepping on
    * its 1/split share and the replicas' weights being averaged. Averaged plain or momentum SGD
    * steps add up to the whole batch's step: 1.
    */
  def replicaRateScale(split: Double): Double = 1.0
}

object Optimizer {

  /** The solvers the Estimators' `solver` param accepts. */
  val names: Seq[String] = Seq("adam", "sgd", "momentum")

  /** The optimizer for a `solver` param value; `momentum` and `nesterov` configure the momentum
    * solver.
    */
  def fromName(solver: String, momentum: Double = 0.9, nesterov: Boolean = false): Optimizer =
    solver.trim.toLowerCase(java.util.Locale.ROOT) match {
      case "adam" => Adam()
      case "sgd" => Sgd
      case "momentum" => Momentum(momentum, nesterov)
      case other =>
        throw new IllegalArgumentException(
          s"solver must be one of ${names.mkString(", ")}, found `$other`"
        )
    }
}
