package dlmllib.param

import java.util.Locale

import scala.util.Try

import dlmllib.optim.{LearningRateSchedule, Optimizer}
import org.apache.spark.ml.param._
import org.apache.spark.ml.param.shared._

/** The training params shared by the four dlmllib Estimators and their Models (declared here; the
  * Estimators' setters are in their base classes). Names and defaults of the params Spark already
  * has (maxIter, stepSize, seed, regParam, solver, validationIndicatorCol, aggregationDepth) come
  * from Spark's shared traits; `tol` is declared here because its doc says what it means for early
  * stopping.
  */
trait TrainingParams
    extends Params
    with HasMaxIter
    with HasStepSize
    with HasSeed
    with HasRegParam
    with HasSolver
    with HasValidationIndicatorCol
    with HasAggregationDepth {

  /** Mini-batch size (>= 1). Default 64. A fit splits each mini-batch evenly between the partitions
    * (64 over 8 partitions: 8 samples each), so an epoch takes the same steps however the data is
    * spread; `transform` runs batchSize rows at a time.
    */
  final val batchSize: IntParam = new IntParam(
    this,
    "batchSize",
    "mini-batch size (>= 1), split evenly between the partitions when training",
    ParamValidators.gtEq(1)
  )

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
    * pass over the partition's mini-batches, i.e. one round per epoch. Unset by default: 128 /
    * partitions steps (64 at 2 partitions, 16 at 8), which keeps accuracy within a point of one
    * partition (see dlmllib.distributed.TrainingConfig.defaultLocalSteps). A Spark round (broadcast
    * + treeAggregate) costs ~35 ms in local[2] and ~70 ms across executors; more steps per round
    * lower that overhead and let the replicas drift further apart. With one partition the value
    * does not change the result.
    */
  final val localSteps: IntParam = new IntParam(
    this,
    "localSteps",
    "mini-batch steps each partition takes between two averagings of the weights (>= 0); " +
      "0 means one pass over the partition's batches (one round per epoch); unset: 128 / " +
      "partitions",
    ParamValidators.gtEq(0)
  )

  final def getLocalSteps: Int = $(localSteps)

  /** Early stopping: epochs without an improvement (see [[tol]]) of the watched loss before
    * training stops and the best epoch's weights are restored (>= 0). The watched loss is the
    * validation loss when validationIndicatorCol is set, else the training loss. Default 0: off,
    * every one of maxIter epochs runs.
    */
  final val patience: IntParam = new IntParam(
    this,
    "patience",
    "early stopping: epochs without an improvement of the watched loss (the validation loss " +
      "when validationIndicatorCol is set, else the training loss) before training stops and " +
      "the best epoch's weights are restored (>= 0); 0 turns early stopping off",
    ParamValidators.gtEq(0)
  )

  final def getPatience: Int = $(patience)

  /** Early stopping's improvement threshold (>= 0). Default 1e-4. */
  final val tol: DoubleParam = new DoubleParam(
    this,
    "tol",
    "early stopping: an epoch counts as an improvement when the watched loss falls by more " +
      "than tol below the best so far (>= 0); used only when patience > 0",
    ParamValidators.gtEq(0)
  )

  final def getTol: Double = $(tol)

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

  /** A Hadoop directory (any file system Spark reads) where training keeps its last checkpoint, and
    * from which a fit of the same estimator, network, params and data resumes. Unset by default: no
    * checkpoints.
    */
  final val checkpointDir: Param[String] = new Param[String](
    this,
    "checkpointDir",
    "a Hadoop directory where training keeps its last checkpoint (weights, optimizer state, " +
      "epoch, history) every checkpointInterval epochs; a fit of the same estimator, network, " +
      "params and data given a directory holding one resumes from it; unset: no checkpoints",
    (s: String) => s.nonEmpty
  )

  final def getCheckpointDir: String = $(checkpointDir)

  /** Epochs between two checkpoints (>= 1). Default 1. */
  final val checkpointInterval: IntParam = new IntParam(
    this,
    "checkpointInterval",
    "epochs between two checkpoints when checkpointDir is set (>= 1); the last epoch is " +
      "always checkpointed",
    ParamValidators.gtEq(1)
  )

  final def getCheckpointInterval: Int = $(checkpointInterval)

  /** The path of a saved dlmllib model whose weights training starts from. Unset by default. */
  final val initialModel: Param[String] = new Param[String](
    this,
    "initialModel",
    "the path of a saved dlmllib model whose weights training starts from (fine-tuning): every " +
      "layer equal to the saved one (same spec and input shape) starts from its weights, an " +
      "output layer of a different size is initialised afresh; unset: random initial weights",
    (s: String) => s.nonEmpty
  )

  final def getInitialModel: String = $(initialModel)

  /** Indices (0-based, output layer included) of the layers training leaves unchanged. */
  final val frozenLayers: IntArrayParam = new IntArrayParam(
    this,
    "frozenLayers",
    "indices (from 0, in the order of the network's layers, output layer included) of the " +
      "layers whose weights training leaves unchanged; empty: every layer trains",
    (a: Array[Int]) => a.forall(_ >= 0)
  )

  final def getFrozenLayers: Array[Int] = $(frozenLayers)

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
    patience -> 0,
    momentum -> 0.9,
    nesterov -> false,
    learningRateSchedule -> "constant",
    clipNorm -> 0.0,
    aggregationDepth -> 2,
    checkpointInterval -> 1,
    frozenLayers -> Array.emptyIntArray
  )
}

object TrainingParams {
  val defaultSeed: Long = 42L
}
