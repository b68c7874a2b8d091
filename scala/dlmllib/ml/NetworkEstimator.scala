package dlmllib.ml

import java.nio.file.Files

import dlmllib.data.{InputReader, InputStats}
import dlmllib.distributed.{Fitting, TrainedNetwork, TrainingConfig}
import dlmllib.engine.{Classification, Task}
import dlmllib.nn.{Arguments, Network, Shape}
import dlmllib.optim.{LearningRateSchedule, Optimizer}
import dlmllib.param.TrainingParams
import org.apache.spark.ml.PipelineStage
import org.apache.spark.ml.dlmllib.{NetworkPredictorParams, SparkInternals}
import org.apache.spark.ml.util.MLWritable
import org.apache.spark.sql.Dataset
import org.apache.spark.sql.types.StructType

/** What the four dlmllib Estimators share: the hooks by which a CNN or RNN flavour reads its
  * features column and builds its network, and the fit on top of them.
  */
trait NetworkEstimator extends PipelineStage with TrainingParams with NetworkPredictorParams {

  /** The shape of one sample of the features column of `dataset`, of which `stats` are known. */
  protected def sampleShape(dataset: Dataset[_], stats: InputStats): Shape

  /** Whether the fit reads the longest array of the features column (see [[inputStats]]). */
  protected def measuresLongest(schema: StructType): Boolean = false

  /** The network for samples of `shape`, ending in a dense layer of `outputUnits`. */
  protected def buildNetwork(shape: Shape, outputUnits: Int): Network

  /** The reader of the features column of `schema` for samples of `shape`. */
  protected def trainingReader(schema: StructType, shape: Shape): InputReader

  /** What the fit reads of `dataset` before stacking it, in one aggregation, once its label column
    * is known to be numeric. Fails unless `dataset` has rows: the first check of its rows.
    */
  protected def inputStats(dataset: Dataset[_]): InputStats = {
    Labels.checkNumeric(dataset, $(labelCol))
    val stats = new InputStats(
      dataset,
      $(labelCol),
      validationCol,
      if (measuresLongest(dataset.schema)) Some($(featuresCol)) else None
    )
    Arguments.check(
      stats.rows > 0,
      s"${getClass.getSimpleName} needs training rows, found an empty dataset"
    )
    stats
  }

  private def validationCol: Option[String] = get(validationIndicatorCol).filter(_.nonEmpty)

  /** Builds the network for `task` and trains it on `dataset`'s features and labelCol (from
    * initialModel's weights when it is set), logging the params, the input and the network as
    * Spark's Estimators do (`Instrumentation`).
    */
  protected def fitNetwork(
      dataset: Dataset[_],
      stats: InputStats,
      task: Task
  ): (Network, TrainedNetwork) =
    SparkInternals.instrumented { instr =>
      instr.logPipelineStage(this)
      instr.logDataset(dataset)
      instr.logParams(this, params.toIndexedSeq: _*)
      val shape = sampleShape(dataset, stats)
      instr.logNumFeatures(shape.size.toLong)
      task match {
        case Classification(numClasses) => instr.logNumClasses(numClasses.toLong)
        case _ =>
      }
      val network = buildNetwork(shape, task.outputUnits)
      instr.logNamedValue("network", network.toSpec)
      val reader = trainingReader(dataset.schema, shape)
      val config = trainingConfig
      FineTuning.checkFrozen(config.frozenLayers, network)
      val initial = get(initialModel).map { path =>
        FineTuning.initialWeights(path, dataset.sparkSession, network, config.seed)
      }
      val trained =
        Fitting.fit(dataset, stats, $(labelCol), reader, network, task, config, initial)
      (network, trained)
    }

  /** Where fine-tuning from `model` reads its weights: it is saved to a temporary directory of the
    * driver (on a cluster, save the model where every node reads it and pass its path instead).
    */
  protected def savedForFineTuning(model: NetworkModel with MLWritable): String = {
    val dir = Files.createTempDirectory("dlmllib-initial-model-").toUri.toString
    model.write.overwrite().save(dir)
    dir
  }

  /** What the training params ask of the training loop. */
  protected def trainingConfig: TrainingConfig = TrainingConfig(
    name = getClass.getSimpleName,
    maxEpochs = $(maxIter),
    batchSize = $(batchSize),
    localSteps = get(localSteps),
    aggregationDepth = $(aggregationDepth),
    stepSize = $(stepSize),
    schedule = LearningRateSchedule.fromName($(learningRateSchedule)),
    optimizer = Optimizer.fromName($(solver), $(momentum), $(nesterov)),
    regParam = $(regParam),
    clipNorm = $(clipNorm),
    tol = $(tol),
    patience = $(patience),
    seed = $(seed),
    checkpointDir = get(checkpointDir),
    checkpointInterval = $(checkpointInterval),
    frozenLayers = $(frozenLayers).toSeq.distinct.sorted
  )
}
