package dlmllib.testing

import org.apache.spark.sql.{DataFrame, SparkSession}

/** The real sequence data sets of `data/` (see data/README.md) as DataFrames of (features, label).
  */
object Sequences {

  /** A UCR/UEA time-series set: x (n, T, C) and labels, per split. */
  final case class TimeSeries(
      train: Array[Array[Array[Double]]],
      trainLabels: Array[Double],
      test: Array[Array[Array[Double]]],
      testLabels: Array[Double]
  ) {
    def trainFrame(spark: SparkSession, partitions: Int = 2): DataFrame =
      Sequences.frame(spark, train, trainLabels, partitions)
    def testFrame(spark: SparkSession, partitions: Int = 2): DataFrame =
      Sequences.frame(spark, test, testLabels, partitions)
  }

  /** Rows of (features: array<array<double>>, one inner array per step, label: double). */
  def frame(
      spark: SparkSession,
      x: Array[Array[Array[Double]]],
      y: Array[Double],
      partitions: Int
  ): DataFrame =
    spark
      .createDataFrame(
        spark.sparkContext.parallelize(x.toSeq.map(_.toSeq.map(_.toSeq)).zip(y), partitions)
      )
      .toDF("features", "label")

  /** Rows of (features: token ids, label 0) in one partition, in the order given. */
  def tokenFrame(spark: SparkSession, rows: Seq[Seq[Int]]): DataFrame =
    spark
      .createDataFrame(spark.sparkContext.parallelize(rows.map(r => (r, 0.0)), 1))
      .toDF("features", "label")

  private def timeSeries(file: String): TimeSeries = {
    val a = Npz.loadFile(s"data/$file")
    def split(name: String): Array[Array[Array[Double]]] = {
      val x = a(name)
      val Seq(n, t, c) = x.shape
      Array.tabulate(n, t, c)((i, s, k) => x.values((i * t + s) * c + k))
    }
    TimeSeries(split("x_train"), a("y_train").values, split("x_test"), a("y_test").values)
  }

  /** UCR GunPoint: 50 train and 150 test series of 150 steps × 1, 2 classes. */
  lazy val gunPoint: TimeSeries = timeSeries("ucr_gunpoint.npz")

  /** UEA BasicMotions: 40 train and 40 test series of 100 steps × 6, 4 classes. */
  lazy val basicMotions: TimeSeries = timeSeries("uea_basicmotions.npz")

  /** VADER movie-review snippets as token ids (vocabulary 8570, 0 = pad, 1 = unknown), each cut to
    * its true length (2 to 64 tokens), with binary sentiment labels and the file's 75/25 split.
    */
  final case class Snippets(
      tokens: Array[Array[Int]],
      labels: Array[Double],
      train: Array[Int],
      test: Array[Int]
  ) {
    val vocabSize = 8570

    /** Rows of (features: array<int>, label: double) for the samples `idx`, in a fixed shuffled
      * order: the file is roughly sorted by label, and partitions of one class each would train
      * apart from each other.
      */
    def frame(spark: SparkSession, idx: Array[Int], partitions: Int): DataFrame = {
      val rows = new scala.util.Random(0).shuffle(idx.toSeq).map(i => (tokens(i).toSeq, labels(i)))
      spark
        .createDataFrame(spark.sparkContext.parallelize(rows, partitions))
        .toDF("features", "label")
    }
  }

  lazy val snippets: Snippets = {
    val a = Npz.loadFile("data/vader_movie_snippets.npz")
    val ids = a("token_ids")
    val width = ids.shape(1)
    val lengths = a("lengths").values.map(_.toInt)
    Snippets(
      Array.tabulate(lengths.length)(i =>
        Array.tabulate(lengths(i))(t => ids.values(i * width + t).toInt)
      ),
      a("y").values,
      a("train_idx").values.map(_.toInt),
      a("test_idx").values.map(_.toInt)
    )
  }

  /** Yearly sunspot numbers 1700–2008 and the index of the first test year (1989). */
  lazy val sunspots: (Array[Double], Int) = {
    val a = Npz.loadFile("data/sunspots_yearly.npz")
    (a("value").values, a("split_index").values(0).toInt)
  }
}
