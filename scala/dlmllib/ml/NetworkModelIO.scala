package dlmllib.ml

import java.io.{DataInputStream, DataOutputStream, FileInputStream, FileOutputStream}
import java.io.{BufferedInputStream, BufferedOutputStream}
import java.nio.charset.StandardCharsets.UTF_8
import java.nio.file.{Files, Paths}

import scala.reflect.ClassTag
import scala.util.{Try, Using}

import dlmllib.nn.{Arguments, LayerSpec, Network, Shape}
import org.apache.spark.ml.dlmllib.SparkInternals
import org.apache.spark.ml.param.Params
import org.apache.spark.ml.util.{MLReader, MLWriter}
import org.apache.spark.sql.{Row, SparkSession}
import org.apache.spark.sql.types._

/** Saving and loading a trained network next to Spark's params metadata: `path/metadata` is Spark's
  * DefaultParamsWriter JSON (so Pipelines and PySpark load the stage by class name) and `path/data`
  * one Parquet row with the format version, the input shape, the whole network as a layer spec
  * (output layer included), the number of classes (0 for regressors) and the weights as float32,
  * stored bit for bit. Under Spark 4.1+'s `saveToLocal` / `loadFromLocal` (a Connect server
  * offloading a cached model to its own disk) `path/data` is the same row as a local binary file,
  * written and read on the driver: Spark's own models do likewise.
  */
object NetworkModelIO {
  val FormatVersion = 1

  private val schema = StructType(
    Seq(
      StructField("formatVersion", IntegerType, nullable = false),
      StructField("inputShape", ArrayType(IntegerType, containsNull = false)),
      StructField("layers", StringType),
      StructField("numClasses", IntegerType, nullable = false),
      StructField("weights", ArrayType(FloatType, containsNull = false))
    )
  )

  /** A saved model: what its constructor takes, and `setParams` to give it its saved params. */
  final case class Saved(
      uid: String,
      network: Network,
      weights: Array[Float],
      numClasses: Int,
      setParams: Params => Unit
  )

  /** The writer of a model's params, network and weights. */
  class Writer(instance: Params, network: Network, weights: Array[Float], numClasses: Int)
      extends MLWriter {
    override protected def saveImpl(path: String): Unit = {
      SparkInternals.saveMetadata(instance, path, sparkSession)
      if (localSavingMode) {
        saveLocal(Paths.get(path, "data").toString, network, weights, numClasses)
        return
      }
      val row =
        Row(FormatVersion, network.inputShape.dims, network.toSpec, numClasses, weights.toSeq)
      sparkSession
        .createDataFrame(sparkSession.sparkContext.parallelize(Seq(row), 1), schema)
        .write
        .parquet(new org.apache.hadoop.fs.Path(path, "data").toString)
    }
  }

  /** The reader of a model of class `M` written by [[Writer]]: `create` builds the model from what
    * was saved, then the saved params are set on it.
    */
  def reader[M <: Params: ClassTag](create: Saved => M): MLReader[M] = new MLReader[M] {
    override def load(path: String): M = {
      val className = implicitly[ClassTag[M]].runtimeClass.getName
      val saved = NetworkModelIO.load(path, sparkSession, className)
      val model = create(saved)
      saved.setParams(model)
      model
    }
  }

  /** Reads what [[Writer]] wrote; `className` is checked against the metadata. */
  def load(path: String, spark: SparkSession, className: String): Saved = {
    val (uid, setParams) = SparkInternals.loadMetadata(path, spark, className)
    val (version, shape, layers, numClasses, weights) =
      if (localSavingMode) loadLocal(Paths.get(path, "data").toString)
      else {
        val row = spark.read.parquet(new org.apache.hadoop.fs.Path(path, "data").toString).head()
        (
          row.getAs[Int]("formatVersion"),
          Shape(row.getSeq[Int](row.fieldIndex("inputShape")).toIndexedSeq),
          row.getAs[String]("layers"),
          row.getAs[Int]("numClasses"),
          row.getSeq[Float](row.fieldIndex("weights")).toArray
        )
      }
    Arguments.check(
      version == FormatVersion,
      s"$path holds a dlmllib model of format version $version; this dlmllib reads version $FormatVersion"
    )
    val network = new Network(shape, LayerSpec.parse(layers))
    Arguments.check(
      weights.length == network.numWeights,
      s"$path: the network ${network.toSpec} needs ${network.numWeights} weights, found ${weights.length}"
    )
    Saved(uid, network, weights, numClasses, setParams)
  }

  /** True inside Spark 4.1+'s `saveToLocal` / `loadFromLocal`: its thread-local flag
    * `ReadWriteUtils.localSavingModeState` (private[spark], and absent in 4.0: then false).
    */
  def localSavingMode: Boolean = localSavingState.exists(_.get() == true)

  private lazy val localSavingState: Option[ThreadLocal[_]] = Try {
    val utils = Class.forName("org.apache.spark.ml.util.ReadWriteUtils$")
    utils.getMethod("localSavingModeState").invoke(utils.getField("MODULE$").get(null))
  }.toOption.collect { case t: ThreadLocal[_] => t }

  private def saveLocal(file: String, network: Network, weights: Array[Float], numClasses: Int) = {
    Files.createDirectories(Paths.get(file).getParent)
    Using.resource(new DataOutputStream(new BufferedOutputStream(new FileOutputStream(file)))) {
      out =>
        out.writeInt(FormatVersion)
        out.writeInt(network.inputShape.dims.length)
        network.inputShape.dims.foreach(out.writeInt)
        val spec = network.toSpec.getBytes(UTF_8)
        out.writeInt(spec.length)
        out.write(spec)
        out.writeInt(numClasses)
        out.writeInt(weights.length)
        weights.foreach(out.writeFloat)
    }
  }

  private def loadLocal(file: String) =
    Using.resource(new DataInputStream(new BufferedInputStream(new FileInputStream(file)))) { in =>
      val version = in.readInt()
      val shape = Shape(IndexedSeq.fill(in.readInt())(in.readInt()))
      val spec = new Array[Byte](in.readInt())
      in.readFully(spec)
      val numClasses = in.readInt()
      val weights = Array.fill(in.readInt())(in.readFloat())
      (version, shape, new String(spec, UTF_8), numClasses, weights)
    }
}
