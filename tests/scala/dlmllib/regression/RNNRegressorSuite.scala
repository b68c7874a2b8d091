package dlmllib.regression

import java.nio.file.Files

import dlmllib.testing.{Sequences, SparkTestSession}
import org.apache.spark.ml.linalg.Vectors
import org.apache.spark.sql.DataFrame
import org.scalatest.funsuite.AnyFunSuite

/** One-step-ahead forecasts of the yearly sunspot numbers from the 10 previous years. */
class RNNRegressorSuite extends AnyFunSuite with SparkTestSession {
  private val window = 10

  /** (window of `length` values before year i, value of year i), scaled by the training series'
    * largest value, for the target years `years`.
    */
  private def windows(length: Int, years: Range): DataFrame = {
    val (values, split) = Sequences.sunspots
    val scale = values.take(split).max
    val rows = years.map(i => (values.slice(i - length, i).map(_ / scale).toSeq, values(i) / scale))
    spark.createDataFrame(spark.sparkContext.parallelize(rows, 2)).toDF("features", "label")
  }

  test("sunspots: beats the last-value forecast on the chronological test split; save and load") {
    val (values, split) = Sequences.sunspots
    val train = windows(window, window until split).cache()
    val test = windows(window, split until values.length).cache()
    val t0 = System.nanoTime()
    val model = new RNNRegressor()
      .setHiddenSize(32)
      .setMaxIter(100)
      .setBatchSize(16)
      .setStepSize(0.01)
      .setLearningRateSchedule("cosine")
      .setPatience(100)
      .setSeed(1)
      .fit(train)
    info(f"fit: ${(System.nanoTime() - t0) / 1e9}%.1f s, ${model.summary.totalIterations} epochs")
    val rmse = model.evaluate(test).rootMeanSquaredError
    val scale = values.take(split).max
    val lastValue = math.sqrt(
      (split until values.length).map(i => math.pow((values(i) - values(i - 1)) / scale, 2)).sum /
        (values.length - split)
    )
    info(f"test RMSE $rmse%.4f vs $lastValue%.4f for the last value: ratio ${rmse / lastValue}%.3f")
    assert(rmse / lastValue < 0.7)
    assert(model.summary.objectiveHistory.last < model.summary.objectiveHistory.head)

    val row = model.transform(test.limit(1)).select("features", "prediction").head()
    val v = Vectors.dense(row.getSeq[Double](0).toArray)
    assert(math.abs(model.predict(v) - row.getDouble(1)) < 1e-9)

    val dir = Files.createTempDirectory("rnnreg").toString
    model.write.overwrite().save(dir)
    val loaded = RNNRegressionModel.load(dir)
    def predictions(m: RNNRegressionModel, df: DataFrame) =
      m.transform(df).select("prediction").collect().map(_.getDouble(0))
    assert(predictions(loaded, test).sameElements(predictions(model, test)))

    // Windows of 30 years, longer than any in training, are read in full.
    val longer = windows(3 * window, split until values.length)
    val p30 = predictions(model, longer)
    assert(p30.length == values.length - split && p30.forall(p => !p.isNaN && !p.isInfinite))
    assert(p30.sameElements(predictions(loaded, longer)))
    assert(p30.zip(predictions(model, test)).exists { case (a, b) => math.abs(a - b) > 1e-6 })
  }
}
