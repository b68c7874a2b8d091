package dlmllib.ml

import java.io.{BufferedInputStream, BufferedOutputStream}
import java.io.{DataInputStream, DataOutputStream, FileInputStream, FileOutputStream}
import java.nio.charset.StandardCharsets.UTF_8
import java.nio.file.{Files, Paths}
import java.util.UUID

import scala.reflect.ClassTag
import scala.util.{Try, Using}
import scala.util.control.NonFatal

import dlmllib.nn.{Arguments, LayerSpec, Network, Shape}
import org.apache.hadoop.fs.{FileSystem, Path}
import org.apache.spark.ml.dlmllib.SparkInternals
import org.apache.spark.ml.param.Params
import org.apache.spark.ml.util.{MLReader, MLWriter}
import org.apache.spark.sql.{Row, SparkSession}
import org.apache.spark.sql.types._

/** Saving and loading a trained network next to Spark's params metadata: `path/metadata` is Spark's
  * DefaultParamsWriter JSON (so Pipelines and PySpark load the stage by class name) and `path/data`
  * one Parquet row with the format version, the input shape, the whole network as a layer spec
  * (output layer included), the number of classes (0 for regressors) and the weights as float32,
  * stored bit for bit. Loading checks each of these and names the path and what is wrong; an
  * overwrite writes a hidden sibling directory first, so a failed one leaves the old model. Under
  * Spark 4.1+'s `saveToLocal` / `loadFromLocal` (a Connect server offloading a cached model to its
  * own disk) `path/data` is the same row as a local binary file, written and read on the driver:
  * Spark's own models do likewise.
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

  /** The writer of a model's params, network and weights; refuses non-finite weights. */
  class Writer(instance: Params, network: Network, weights: Array[Float], numClasses: Int)
      extends MLWriter {

    /** Saves to `path`; an overwrite saves to a hidden sibling first, then swaps the two. */
    override def save(path: String): Unit = {
      val target = new Path(path)
      val fs = target.getFileSystem(sparkSession.sparkContext.hadoopConfiguration)
      if (!shouldOverwrite || !fs.exists(target)) super.save(path)
      else {
        val hidden = (what: String) =>
          new Path(target.getParent, s".${target.getName}.$what-${UUID.randomUUID()}")
        val fresh = hidden("writing")
        try saveImpl(fresh.toString)
        catch { case NonFatal(e) => fs.delete(fresh, true); throw e }
        val old = hidden("replaced")
        if (!fs.rename(target, old) || !fs.rename(fresh, target))
          throw new java.io.IOException(s"could not replace $path by the model written to $fresh")
        fs.delete(old, true)
      }
    }

    override protected def saveImpl(path: String): Unit = {
      SparkInternals.saveMetadata(instance, path, sparkSession)
      Arguments.check(
        Arguments.allFinite(weights),
        s"cannot save a model with non-finite weights to $path"
      )
      if (localSavingMode) {
        saveLocal(Paths.get(path, "data").toString, network, weights, numClasses)
        return
      }
      val row =
        Row(FormatVersion, network.inputShape.dims, network.toSpec, numClasses, weights.toSeq)
      sparkSession
        .createDataFrame(sparkSession.sparkContext.parallelize(Seq(row), 1), schema)
        .write
        .parquet(new Path(path, "data").toString)
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

  /** The network and weights of the model saved at `path`, whatever its class. */
  def loadNetwork(path: String, spark: SparkSession): (Network, Array[Float]) = {
    val saved = load(path, spark, "")
    (saved.network, saved.weights)
  }

  /** Reads what [[Writer]] wrote; `className` (unless empty) is checked against the metadata. */
  def load(path: String, spark: SparkSession, className: String): Saved = {
    if (!localSavingMode)
      checkFiles(path, new Path(path).getFileSystem(spark.sparkContext.hadoopConfiguration))
    val (savedClass, uid, setParams) =
      readPart(path, "metadata")(SparkInternals.loadMetadata(path, spark))
    Arguments.check(
      className.isEmpty || savedClass == className,
      s"$path holds a $savedClass, not a $className: load it with ${savedClass.split('.').last}.load"
    )
    readPart(path, "data") {
      val (version, shape, layers, numClasses, weights) =
        if (localSavingMode) loadLocal(Paths.get(path, "data").toString) else loadRow(path, spark)
      Arguments.check(
        version <= FormatVersion,
        s"$path holds a dlmllib model of format version $version, written by a newer dlmllib; " +
          s"this one reads version $FormatVersion"
      )
      val network = new Network(shape, LayerSpec.parse(layers))
      Arguments.check(
        weights.length == network.numWeights,
        s"$path: the network ${network.toSpec} needs ${network.numWeights} weights, found " +
          s"${weights.length}"
      )
      Saved(uid, network, weights, numClasses, setParams)
    }
  }

  /** The Parquet row of `path/data`: format version, input shape, layers, classes, weights. */
  private def loadRow(path: String, spark: SparkSession) = {
    val rows = spark.read.parquet(new Path(path, "data").toString).collect()
    Arguments.check(rows.length == 1, s"$path/data holds ${rows.length} rows instead of 1")
    val row = rows(0)
    (
      row.getAs[Int]("formatVersion"),
      Shape(row.getSeq[Int](row.fieldIndex("inputShape")).toIndexedSeq),
      row.getAs[String]("layers"),
      row.getAs[Int]("numClasses"),
      row.getSeq[Float](row.fieldIndex("weights")).toArray
    )
  }

  /** Fails unless `path` is a directory holding `metadata` and `data`, naming what is missing. */
  private def checkFiles(path: String, fs: FileSystem): Unit = {
    val dir = new Path(path)
    Arguments.check(fs.exists(dir), s"there is no saved model at $path: the path does not exist")
    val found =
      if (fs.getFileStatus(dir).isDirectory) fs.listStatus(dir).map(_.getPath.getName)
      else Array.empty[String]
    val missing = Seq("metadata", "data").filterNot(found.contains)
    Arguments.check(
      missing.isEmpty,
      s"$path is not a complete saved dlmllib model: ${missing.mkString(" and ")} missing " +
        s"(found ${if (found.isEmpty) "nothing" else found.sorted.mkString(", ")})"
    )
  }

  /** `read`'s result, or an error naming `path/part` and why it cannot be read. */
  private def readPart[T](path: String, part: String)(read: => T): T =
    try read
    catch {
      case e: IllegalArgumentException if e.getMessage.startsWith(path) => throw e
      case NonFatal(e) =>
        throw new IllegalArgumentException(
          s"$path/$part cannot be read (truncated or not written by dlmllib): " +
            s"${e.getClass.getSimpleName}: ${e.getMessage}",
          e
        )
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
