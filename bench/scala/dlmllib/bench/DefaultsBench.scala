package dlmllib.bench

import dlmllib.regression.RNNRegressor
import dlmllib.testing.Sequences
import org.apache.spark.sql.{DataFrame, SparkSession}

/** What the default params deliver on a noisy real regression set (issue 12): one-step-ahead
  * forecasts of the yearly sunspot numbers from the 10 previous years, chronological split, with
  * `RNNRegressor(cellType="gru", hiddenSize=32, maxIter=150)` and nothing else set; once with the
  * old defaults (patience 3, tol 1e-4 on the training loss, set explicitly here) and once with the
  * current ones (patience 0: every epoch). Prints the epochs run and the test RMSE / std of the
  * test targets.
  *
  * `build/sbt "Test/runMain dlmllib.bench.DefaultsBench"`
  */
object DefaultsBench {
  private val window = 10

  def main(args: Array[String]): Unit = {
    val spark = SparkSession.builder().master("local[2]").appName("DefaultsBench").getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    val (values, split) = Sequences.sunspots
    val scale = values.take(split).max
    def windows(years: Range): DataFrame = spark
      .createDataFrame(
        years.map(i => (values.slice(i - window, i).map(_ / scale).toSeq, values(i) / scale))
      )
      .toDF("features", "label")
      .repartition(2)
      .cache()
    val (train, test) = (windows(window until split), windows(split until values.length))
    val targets = (split until values.length).map(values(_) / scale)
    val mean = targets.sum / targets.length
    val std = math.sqrt(targets.map(t => (t - mean) * (t - mean)).sum / targets.length)
    def estimator = new RNNRegressor().setCellType("gru").setHiddenSize(32).setMaxIter(150)
    for (
      (name, est) <- Seq("old defaults" -> estimator.setPatience(3), "new defaults" -> estimator)
    ) {
      val t0 = System.nanoTime()
      val model = est.fit(train)
      val rmse = model.evaluate(test).rootMeanSquaredError
      val s = model.summary
      println(
        f"$name: patience ${est.getPatience}, tol ${est.getTol}: ${s.totalIterations} epochs " +
          f"(${s.stopReason}, best epoch ${s.bestEpoch}), test RMSE / std ${rmse / std}%.3f, " +
          f"${(System.nanoTime() - t0) / 1e9}%.0f s"
      )
    }
    spark.stop()
  }
}
