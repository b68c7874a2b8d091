package dlmllib.ml

import java.io.File
import java.nio.file.{Files, Path}

import dlmllib.classification.{CNNClassificationModel, CNNClassifier, RNNClassificationModel}
import dlmllib.testing.{Digits, SparkTestSession}
import org.apache.commons.io.FileUtils
import org.apache.spark.sql.functions.lit
import org.scalatest.funsuite.AnyFunSuite

/** A damaged saved model fails to load naming the path and what is wrong; a failed overwrite leaves
  * the previous model loadable.
  */
class ModelIntegritySuite extends AnyFunSuite with SparkTestSession {

  private lazy val model: CNNClassificationModel = {
    val d = Digits.small
    new CNNClassifier()
      .setInputShape(Array(1, 8, 8))
      .setLayers("dense(8, relu)")
      .setMaxIter(1)
      .fit(d.frame(spark, d.train.take(200), 1))
  }

  /** A fresh copy of the saved model. */
  private def saved(): Path = {
    val dir = Files.createTempDirectory("integrity").resolve("model")
    model.write.save(dir.toString)
    dir
  }

  private def loadError(dir: Path): String =
    intercept[IllegalArgumentException](CNNClassificationModel.load(dir.toString)).getMessage

  test("a directory missing a part names the path and the part") {
    val dir = saved()
    FileUtils.deleteDirectory(dir.resolve("data").toFile)
    val m = loadError(dir)
    assert(m.contains(dir.toString) && m.contains("data missing") && m.contains("metadata"), m)
    assert(loadError(dir.resolveSibling("nothing")).contains("does not exist"))
  }

  test("a truncated data or metadata file names the part that cannot be read") {
    for (part <- Seq("data", "metadata")) {
      val dir = saved()
      val files = dir.resolve(part).toFile.listFiles().filter(f => f.getName.startsWith("part-"))
      files.foreach { f =>
        val bytes = Files.readAllBytes(f.toPath)
        Files.write(f.toPath, bytes.take(bytes.length / 2))
      }
      dir.resolve(part).toFile.listFiles().filter(_.getName.endsWith(".crc")).foreach(_.delete())
      val m = loadError(dir)
      assert(m.contains(s"$dir/$part cannot be read"), m)
    }
  }

  test("a model of another class names both classes") {
    val e = intercept[IllegalArgumentException](RNNClassificationModel.load(saved().toString))
    assert(e.getMessage.contains("holds a dlmllib.classification.CNNClassificationModel, not a"))
    assert(e.getMessage.contains("RNNClassificationModel"), e.getMessage)
  }

  test("a newer format version says so") {
    val dir = saved()
    val data = dir.resolve("data").toString
    val newer = spark.read.parquet(data).withColumn("formatVersion", lit(2)).collect()
    FileUtils.deleteDirectory(new File(data))
    spark
      .createDataFrame(spark.sparkContext.parallelize(newer.toSeq, 1), newer.head.schema)
      .write
      .parquet(data)
    val m = loadError(dir)
    assert(m.contains(dir.toString) && m.contains("format version 2") && m.contains("newer"), m)
  }

  test("an overwrite that fails leaves the previous model; one that succeeds replaces it") {
    val dir = saved()
    val nan = model.weights.map(_ => Float.NaN)
    val broken = new CNNClassificationModel(model.uid, model.network, nan, model.numClasses)
    val e = intercept[IllegalArgumentException](broken.write.overwrite().save(dir.toString))
    assert(e.getMessage.contains("non-finite weights"), e.getMessage)
    assert(CNNClassificationModel.load(dir.toString).weights.sameElements(model.weights))

    val other = model.weights.map(_ * 2)
    new CNNClassificationModel(model.uid, model.network, other, model.numClasses).write
      .overwrite()
      .save(dir.toString)
    assert(CNNClassificationModel.load(dir.toString).weights.sameElements(other))
    val siblings = dir.getParent.toFile.list().toSeq
    assert(siblings == Seq("model"), siblings)
  }
}
