package dlmllib.param

import java.util.Locale

import scala.util.Try

import dlmllib.optim.{LearningRateSchedule, Optimizer}
import org.apache.spark.ml.param._
import org.apache.spark.ml.param.shared._

/** The training params shared by the four dlmllib Estimators and their Models (declared here; the
  * Estimators' setters are in their base classes). Names and defaults of the params Spark already
  * has (maxIter, stepSize, seed, tol, regParam, solver, validationIndicatorCol, aggregationDepth)
  * come from Spark's shared traits.
  */
trait TrainingParams
    extends Params
    with HasMaxIter
    with HasStepSize
    with HasSeed
    with HasTol
    with HasRegParam
    with HasSolver
    with HasValidationIndicatorCol
    with HasAggregationDepth {

  /** Mini-batch size (>= 1). Default 64. */
  final val batchSize: IntParam =
    new IntParam(this, "batchSize", "mini-batch size (>= 1)", ParamValidators.gtEq(1))

  final def getBatchSize: Int = $(batchSize)

  /** Optimizer: adam, sgd or momentum. Default adam. */
  final override val solver: Param[String] = new Param[String](
    this,
    "solver",
    s"the optimizer: ${Optimizer.names.mkString(", ")}",
    (s: String) => Optimizer.names.contains(s.toLowerCase(Locale.ROOT))
  )

  /** Learning rate (> 0). Default 0.001. */
  final override val stepSize: DoubleParam =
    new DoubleParam(this, "stepSize", "learning rate (> 0)", ParamValidators.gt(0))

  /** Local steps each partition takes between two averagings of the weights (>= 0); 0 means one
    * pass over the partition's mini-batches, i.e. one round per epoch. Default 64: a Spark round
    * (broadcast + treeAggregate) costs ~35 ms in local[2] and ~70 ms across executors, while a
    * LeNet-5 step on 64 images computes in ~9 ms, so 64 steps keep the overhead near 5%; averaging
    * much less often lets the partitions' replicas drift apart and slows convergence. With one
    * partition the value does not change the result.
    */
  final val localSteps: IntParam = new IntParam(
    this,
    "localSteps",
    "mini-batch steps each partition takes between two averagings of the weights (>= 0); " +
      "0 means one pass over the partition's batches (one round per epoch)",
    ParamValidators.gtEq(0)
  )

  final def getLocalSteps: Int = $(localSteps)

  /** Epochs without an improvement of more than tol before training stops (>= 1). Default 3. */
  final val patience: IntParam = new IntParam(
    this,
    "patience",
    "epochs without an improvement of more than tol (of the validation loss when " +
      "validationIndicatorCol is set, else of the training loss) before training stops (>= 1)",
    ParamValidators.gtEq(1)
  )

  final def getPatience: Int = $(patience)

  /** Momentum of the momentum solver, in [0, 1). Default 0.9. */
  final val momentum: DoubleParam = new DoubleParam(
    this,
    "momentum",
    "momentum of the momentum solver, in [0, 1)",
    ParamValidators.inRange(0.0, 1.0, lowerInclusive = true, upperInclusive = false)
  )

  final def getMomentum: Double = $(momentum)

  /** Nesterov momentum for the momentum solver. Default false. */
  final val nesterov: BooleanParam =
    new BooleanParam(this, "nesterov", "use Nesterov momentum with the momentum solver")

  final def getNesterov: Boolean = $(nesterov)

  /** Learning-rate schedule over epochs: constant, cosine, step(every) or step(every, gamma). */
  final val learningRateSchedule: Param[String] = new Param[String](
    this,
    "learningRateSchedule",
    "learning rate over epochs: constant, cosine, step(every) or step(every, gamma)",
    (s: String) => Try(LearningRateSchedule.fromName(s)).isSuccess
  )

  final def getLearningRateSchedule: String = $(learningRateSchedule)

  /** Clip the gradient to this global L2 norm (>= 0); 0, the default, disables clipping. */
  final val clipNorm: DoubleParam = new DoubleParam(
    this,
    "clipNorm",
    "clip each gradient to this global L2 norm (>= 0); 0 disables clipping",
    ParamValidators.gtEq(0)
  )

  final def getClipNorm: Double = $(clipNorm)

  // A fixed seed, the same for every class and language (Spark's default hashes the class name,
  // PySpark's the per-process randomised Python hash).
  setDefault(
    seed -> TrainingParams.defaultSeed,
    maxIter -> 10,
    batchSize -> 64,
    stepSize -> 0.001,
    solver -> "adam",
    regParam -> 0.0,
    tol -> 1e-4,
    localSteps -> 64,
    patience -> 3,
    momentum -> 0.9,
    nesterov -> false,
    learningRateSchedule -> "constant",
    clipNorm -> 0.0,
    aggregationDepth -> 2
  )
}

object TrainingParams {
  val defaultSeed: Long = 42L
}
