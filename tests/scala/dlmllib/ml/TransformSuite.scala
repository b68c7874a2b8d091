package dlmllib.ml

import java.nio.file.Files

import scala.jdk.CollectionConverters._

import dlmllib.classification.CNNClassifier
import dlmllib.data.FlatReader
import dlmllib.engine.BulkFloats
import dlmllib.engine.SlicesSuite.Recorder
import dlmllib.nn.{LayerSpec, Network, Shape}
import dlmllib.testing.{Digits, SparkTestSession}
import org.apache.spark.ml.functions.vector_to_array
import org.apache.spark.ml.linalg.{Vector, Vectors}
import org.apache.spark.sql.DataFrame
import org.apache.spark.sql.functions.{col, lit, struct, when}
import org.apache.spark.sql.streaming.Trigger
import org.scalatest.funsuite.AnyFunSuite

/** `transform` as Spark runs it: input columns through untouched, lazy, batch or streaming. */
class TransformSuite extends AnyFunSuite with SparkTestSession {

  private lazy val trained = {
    val d = Digits.small
    val model = new CNNClassifier()
      .setInputShape(Array(1, 8, 8))
      .setLayers("conv2d(8, 3, relu, padding=same); maxpool(2); dense(32, relu)")
      .setMaxIter(2)
      .setBatchSize(32)
      .fit(d.frame(spark, d.train, 2))
    // array<float> features (read through a cast), beside columns of other kinds and nulls
    val test = d
      .frame(spark, d.test.take(100), 2)
      .withColumn("pixels", vector_to_array(col("features"), "float32"))
      .withColumn("tag", when(col("label") > 4, lit("high")))
      .withColumn("meta", struct(col("label").as("digit"), lit(Array(1.5, 2.5)).as("xs")))
      .drop("features")
    (model.setFeaturesCol("pixels"), test.cache())
  }
  private def model = trained._1
  private def rows = trained._2

  /** Each row's rawPrediction, in a stable order of the rows, after checking that its probability
    * and prediction follow from it.
    */
  private def raw(df: DataFrame): Seq[Vector] =
    df.orderBy("label", "pixels")
      .select("rawPrediction", "probability", "prediction")
      .collect()
      .map { r =>
        val (raw, p) = (r.getAs[Vector](0), r.getAs[Vector](1))
        assert(p.argmax == raw.argmax && r.getDouble(2) == raw.argmax.toDouble)
        raw
      }
      .toSeq

  /** Batches of other rows give other roundings in the products: equal within float error. */
  private def assertClose(a: Seq[Vector], b: Seq[Vector]): Unit = {
    assert(a.length == b.length)
    a.zip(b).foreach { case (x, y) => assert(Vectors.sqdist(x, y) < 1e-10, s"$x against $y") }
  }

  test("the input columns pass through unchanged, and each row's outputs are its own") {
    val out = model.transform(rows)
    assert(out.schema == model.transformSchema(rows.schema))
    assert(out.columns.take(rows.columns.length).sameElements(rows.columns))
    assert(out.select(rows.columns.map(col): _*).collect().toSeq == rows.collect().toSeq)
    out.collect().foreach { r =>
      val pixels = r.getSeq[Float](r.fieldIndex("pixels")).map(_.toDouble).toArray
      val one = model.predictRaw(Vectors.dense(pixels))
      assert(Vectors.sqdist(r.getAs[Vector]("rawPrediction"), one) < 1e-10)
      assert(r.getDouble(r.fieldIndex("prediction")) == one.argmax.toDouble)
    }
  }

  test("transform starts no job before an action, even over a shuffle") {
    val shuffled = rows.repartition(3, col("label"))
    val (out, n) = jobs(model.transform(shuffled): DataFrame)
    assert(n == 0, s"transform started $n jobs")
    assertClose(raw(out), raw(model.transform(rows)))
  }

  test("one partition on two cores: each batch runs in slices, to every row's own outputs") {
    val recorder = Recorder()
    val net = new Network(Shape.of(3), recorder +: LayerSpec.parse("dense(4, tanh); dense(2)"))
    val weights = spark.sparkContext.broadcast(new BulkFloats(net.initWeights(1L)))
    val score = new NetworkModel.Scoring(net, FlatReader("x", Shape.of(3)), weights, 7)
    val xs = (0 until 16).map(i => Vectors.dense(Array.tabulate(3)(j => math.sin(i * 3 + j))))
    def outputs(threads: Int) =
      score(xs.iterator, (x: Vector) => x, threads)((_, out, at) =>
        Vectors.dense(out.slice(at, at + 2).map(_.toDouble))
      ).toList
    val one = outputs(1)
    recorder.seen.clear()
    assertClose(outputs(2), one)
    // batches of 7, 7 and 2 rows: slices of 4 and 3, 4 and 3, then 2
    assert(recorder.seen.asScala.map(_._2).toList.sorted == List(2, 3, 3, 4, 4))
    assert(recorder.seen.asScala.exists(_._1.startsWith("dlmllib-worker")))

    val batches = model.copy(org.apache.spark.ml.param.ParamMap.empty).setBatchSize(7)
    assertClose(raw(batches.transform(rows.coalesce(1))), raw(model.transform(rows)))
  }

  test("a streaming DataFrame is transformed to the same outputs as the batch one") {
    val dir = Files.createTempDirectory("dlmllib-stream").toString
    rows.write.mode("overwrite").parquet(dir)
    val stream = spark.readStream.schema(rows.schema).parquet(dir)
    val query = model
      .transform(stream)
      .writeStream
      .format("memory")
      .queryName("scored")
      .trigger(Trigger.AvailableNow())
      .start()
    query.awaitTermination()
    assertClose(raw(spark.table("scored")), raw(model.transform(rows)))
    assert(spark.table("scored").count() == rows.count())
    query.stop()
  }
}
