package dlmllib.ml

import scala.reflect.ClassTag

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
  * stored bit for bit.
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

  /** The network and weights of the model saved at `path`, whatever its class. */
  def loadNetwork(path: String, spark: SparkSession): (Network, Array[Float]) = {
    val saved = load(path, spark, "")
    (saved.network, saved.weights)
  }

  /** Reads what [[Writer]] wrote; `className` (unless empty) is checked against the metadata. */
  def load(path: String, spark: SparkSession, className: String): Saved = {
    val (uid, setParams) = SparkInternals.loadMetadata(path, spark, className)
    val row = spark.read.parquet(new org.apache.hadoop.fs.Path(path, "data").toString).head()
    val version = row.getAs[Int]("formatVersion")
    Arguments.check(
      version == FormatVersion,
      s"$path holds a dlmllib model of format version $version; this dlmllib reads version $FormatVersion"
    )
    val shape = Shape(row.getSeq[Int](row.fieldIndex("inputShape")).toIndexedSeq)
    val network = new Network(shape, LayerSpec.parse(row.getAs[String]("layers")))
    val weights = row.getSeq[Float](row.fieldIndex("weights")).toArray
    Arguments.check(
      weights.length == network.numWeights,
      s"$path: the network ${network.toSpec} needs ${network.numWeights} weights, found ${weights.length}"
    )
    Saved(uid, network, weights, row.getAs[Int]("numClasses"), setParams)
  }
}
