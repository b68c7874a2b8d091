package examples

import dlmllib.classification.{CNNClassificationModel, CNNClassifier}
import org.apache.spark.sql.{DataFrame, SparkSession}
import org.apache.spark.sql.functions.{col, transform}

/** dlmllib from Scala: a small CNN on the 8×8 digits, evaluated, saved and loaded again.
  *
  * {{{
  * build/sbt "Test/runMain examples.CNNDigits"             # local[2], 10 epochs
  * spark-submit --class examples.CNNDigits --jars <dlmllib jar> <your app jar> data/digits_8x8.parquet
  * }}}
  */
object CNNDigits {

  /** Trains on the `train` rows of `path` for `epochs`; returns the test accuracy of the reloaded
    * model.
    */
  def run(spark: SparkSession, path: String, epochs: Int): Double = {
    val digits = spark.read
      .parquet(path) // pixels: array<smallint> 0..16, label: double, split: train/test
      .withColumn("features", transform(col("pixels"), p => p / 16.0))
    val train = digits.where(col("split") === "train")
    val test = digits.where(col("split") === "test")

    val cnn = new CNNClassifier()
      .setInputShape(Array(1, 8, 8))
      .setLayers("conv2d(16, 3, relu, padding=same); maxpool(2); dense(64, relu)")
      .setMaxIter(epochs)
      .setBatchSize(32)
    val model = cnn.fit(train)
    println(s"loss per epoch: ${model.summary.objectiveHistory.map(l => f"$l%.3f").mkString(" ")}")
    println(f"test accuracy ${model.evaluate(test).accuracy}%.4f")

    val dir = java.nio.file.Files.createTempDirectory("cnn-digits").resolve("model").toString
    model.write.overwrite().save(dir)
    val loaded = CNNClassificationModel.load(dir)
    val same = predictions(model, test) == predictions(loaded, test)
    println(s"saved to $dir; the loaded model predicts the same: $same")
    loaded.evaluate(test).accuracy
  }

  private def predictions(model: CNNClassificationModel, df: DataFrame): Seq[Double] =
    model.transform(df).select("prediction").collect().map(_.getDouble(0)).toSeq

  def main(args: Array[String]): Unit = {
    val spark = SparkSession.builder().master("local[2]").appName("dlmllib CNNDigits").getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    try run(spark, args.headOption.getOrElse("data/digits_8x8.parquet"), epochs = 10)
    finally spark.stop()
  }
}
