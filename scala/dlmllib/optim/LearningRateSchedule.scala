package dlmllib.optim

import java.util.Locale

import dlmllib.nn.Arguments

/** The learning rate of each epoch as a function of the base rate. Epochs count from 0; the rate is
  * constant within an epoch.
  */
sealed trait LearningRateSchedule extends Serializable {

  /** The learning rate for `epoch` (0-based) of a run of `totalEpochs`. */
  def rate(base: Double, epoch: Int, totalEpochs: Int): Double

  /** This schedule as [[LearningRateSchedule.fromName]] reads it back. */
  def name: String

  override def toString: String = name
}

object LearningRateSchedule {

  /** The base rate throughout. */
  case object Constant extends LearningRateSchedule {
    def rate(base: Double, epoch: Int, totalEpochs: Int): Double = base
    def name: String = "constant"
  }

  /** The base rate multiplied by `gamma` every `every` epochs. */
  final case class Step(every: Int, gamma: Double = 0.1) extends LearningRateSchedule {
    Arguments.check(every > 0, s"a step schedule needs every > 0 epochs, found $every")
    Arguments.check(
      gamma > 0.0 && gamma <= 1.0,
      s"a step schedule needs gamma in (0, 1], found $gamma"
    )
    def rate(base: Double, epoch: Int, totalEpochs: Int): Double =
      base * math.pow(gamma, (epoch / every).toDouble)
    def name: String = s"step($every, $gamma)"
  }

  /** Cosine annealing from the base rate at epoch 0 towards 0 after `totalEpochs`. */
  case object Cosine extends LearningRateSchedule {
    def rate(base: Double, epoch: Int, totalEpochs: Int): Double =
      if (totalEpochs <= 0) base
      else base * 0.5 * (1.0 + math.cos(math.Pi * epoch / totalEpochs))
    def name: String = "cosine"
  }

  private val StepPattern = """step\s*\(\s*([^,\s)]+)\s*(?:,\s*([^,\s)]+)\s*)?\)""".r

  /** `constant`, `cosine`, `step(every)` or `step(every, gamma)`, case-insensitive. */
  def fromName(name: String): LearningRateSchedule = {
    val n = name.trim.toLowerCase(Locale.ROOT)
    def bad(why: String): Nothing = throw new IllegalArgumentException(
      s"a learning-rate schedule must be constant, cosine, step(every) or " +
        s"step(every, gamma); found `$name`$why"
    )
    n match {
      case "constant" => Constant
      case "cosine" => Cosine
      case StepPattern(every, gamma) =>
        val e = every.toIntOption.getOrElse(bad(s": every `$every` is not an integer"))
        val g =
          if (gamma == null) 0.1
          else gamma.toDoubleOption.getOrElse(bad(s": gamma `$gamma` is not a number"))
        Step(e, g)
      case _ => bad("")
    }
  }
}
