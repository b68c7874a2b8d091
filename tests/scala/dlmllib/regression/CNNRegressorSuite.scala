package dlmllib.regression

import java.nio.file.Files

import dlmllib.testing.{Digits, SparkTestSession}
import org.apache.spark.ml.evaluation.RegressionEvaluator
import org.apache.spark.ml.linalg.Vector
import org.apache.spark.sql.functions.{col, rand, stddev_pop}
import org.scalatest.funsuite.AnyFunSuite

/** Regression of the digit's value (0–9, as a number) from the 8×8 UCI digit images. */
class CNNRegressorSuite extends AnyFunSuite with SparkTestSession {

  private def regressor =
    new CNNRegressor()
      .setInputShape(Array(1, 8, 8))
      .setMaxIter(20)
      .setBatchSize(32)
      .setStepSize(0.003)

  test("predicts the digit value far better than the mean; save and load keep predictions") {
    val d = Digits.small
    val train = d.frame(spark, d.train, 2).cache()
    val test = d.frame(spark, d.test, 2).cache()
    val t0 = System.nanoTime()
    val model =
      regressor.setValidationIndicatorCol("isVal").fit(train.withColumn("isVal", rand(5) < 0.15))
    info(f"fit: ${(System.nanoTime() - t0) / 1e9}%.1f s, ${model.summary.totalIterations} epochs")
    val summary = model.evaluate(test)
    val meanRmse =
      test.select(stddev_pop(col("label"))).head().getDouble(0) // RMSE of predicting the mean
    val ratio = summary.rootMeanSquaredError / meanRmse
    info(
      f"test RMSE ${summary.rootMeanSquaredError}%.3f vs $meanRmse%.3f for the mean: ratio $ratio%.3f, r2 ${summary.r2}%.3f"
    )
    assert(ratio < 0.5)
    assert(summary.r2 > 0.75)
    assert(model.summary.validationHistory.length == model.summary.totalIterations)
    assert(model.summary.validationMetricName == "rmse")
    // Regression metrics on the training data, as LinearRegression's summary has.
    val onTrain = new RegressionEvaluator().evaluate(model.transform(train))
    assert(math.abs(model.summary.rootMeanSquaredError - onTrain) < 1e-9, onTrain)

    val f = model.transform(test.limit(1)).select("features", "prediction").head()
    assert(math.abs(model.predict(f.getAs[Vector](0)) - f.getDouble(1)) < 1e-9)

    val dir = Files.createTempDirectory("cnnreg").toString
    model.write.overwrite().save(dir)
    val loaded = CNNRegressionModel.load(dir)
    def predictions(m: CNNRegressionModel) =
      m.transform(test).select("prediction").collect().map(_.getDouble(0))
    assert(predictions(loaded).sameElements(predictions(model)))
  }

  test("the training summary has its metrics with an empty predictionCol, as in Spark") {
    val d = Digits.small
    val model =
      regressor.setMaxIter(1).setPredictionCol("").fit(d.frame(spark, d.train.take(50), 1))
    assert(
      model.transform(d.frame(spark, d.test.take(5), 1)).columns.count(_.startsWith("pred")) == 0
    )
    assert(model.summary.rootMeanSquaredError > 0 && model.summary.totalIterations == 1)
  }

  test("non-numeric labels fail before training") {
    val d = Digits.small
    val train = d.frame(spark, d.train.take(50), 1).withColumn("label", col("label").cast("string"))
    val msg = intercept[IllegalArgumentException](regressor.fit(train)).getMessage
    assert(msg.contains("label") && msg.contains("string"), msg)
  }
}
