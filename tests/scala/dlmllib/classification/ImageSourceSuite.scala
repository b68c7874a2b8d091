package dlmllib.classification

import java.awt.image.BufferedImage
import java.io.File
import java.nio.file.Files
import javax.imageio.ImageIO

import dlmllib.testing.{Digits, SparkTestSession}
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator
import org.apache.spark.sql.DataFrame
import org.apache.spark.sql.functions.{col, regexp_extract}
import org.scalatest.funsuite.AnyFunSuite

/** Training from `spark.read.format("image")` on real digits written as PNG files, the label taken
  * from the directory name.
  */
class ImageSourceSuite extends AnyFunSuite with SparkTestSession {

  /** Writes the digits `idx` as 8-bit gray PNGs into `dir/<label>/<i>.png`, scaled `scale`×. */
  private def writePngs(dir: File, idx: Seq[Int], scale: Int = 1): Unit = {
    val d = Digits.small
    idx.foreach { i =>
      val side = d.side * scale
      val image = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY)
      for (y <- 0 until side; x <- 0 until side) {
        val v = (d.images(i)((y / scale) * d.side + x / scale) * 255).round.toInt
        image.getRaster.setSample(x, y, 0, v)
      }
      val labelDir = new File(dir, d.labels(i).toInt.toString)
      labelDir.mkdirs()
      ImageIO.write(image, "png", new File(labelDir, s"$i.png"))
    }
  }

  private def read(dir: File): DataFrame =
    spark.read
      .format("image")
      .load(s"${dir.getPath}/*/*.png")
      .withColumn("label", regexp_extract(col("image.origin"), "/(\\d)/[^/]*$", 1).cast("double"))

  test("trains on PNG digits read by the image data source") {
    val d = Digits.small
    val root = Files.createTempDirectory("digits-png").toFile
    val t0 = System.nanoTime()
    val (trainIdx, testIdx) = (d.train.take(900).toSeq, d.test.take(300).toSeq)
    writePngs(new File(root, "train"), trainIdx)
    writePngs(new File(root, "test"), testIdx)
    // The image source makes a partition per few dozen small files: gather them, as a user
    // should, so that each partition trains on many batches between averagings.
    val train = read(new File(root, "train")).repartition(2).cache()
    val test = read(new File(root, "test"))
    assert(train.count() == trainIdx.length)
    val t1 = System.nanoTime()

    val model = new CNNClassifier()
      .setFeaturesCol("image")
      .setMaxIter(20)
      .setBatchSize(32)
      .setStepSize(0.003)
      .fit(train)
    assert(model.network.inputShape.dims == Seq(1, 8, 8))
    info(
      f"writing and reading ${trainIdx.length + testIdx.length} PNGs: ${(t1 - t0) / 1e9}%.1f s, fit: ${(System.nanoTime() - t1) / 1e9}%.1f s"
    )
    val acc = new MulticlassClassificationEvaluator()
      .setMetricName("accuracy")
      .evaluate(model.transform(test))
    info(f"accuracy on ${testIdx.length} PNG test digits: $acc%.4f")
    assert(acc >= 0.93)
  }

  test("images of different sizes fail before training, naming both sizes") {
    val d = Digits.small
    val root = Files.createTempDirectory("digits-mixed").toFile
    writePngs(root, d.train.take(20).toSeq)
    writePngs(root, d.train.slice(20, 21).toSeq, scale = 2)
    val msg = intercept[IllegalArgumentException](
      new CNNClassifier().setFeaturesCol("image").setMaxIter(1).fit(read(root))
    ).getMessage
    assert(msg.contains("image") && msg.contains("[1, 8, 8]") && msg.contains("[1, 16, 16]"), msg)
  }
}
