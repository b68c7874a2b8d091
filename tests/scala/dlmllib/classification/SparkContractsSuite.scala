package dlmllib.classification

import dlmllib.data.InputError
import dlmllib.testing.{Digits, SparkTestSession}
import org.apache.spark.SparkException
import org.apache.spark.ml.linalg.{Vector, Vectors}
import org.apache.spark.sql.DataFrame
import org.scalatest.funsuite.AnyFunSuite

/** Spark's contracts: thresholds checked and applied as Spark does, bad rows reported as such. */
class SparkContractsSuite extends AnyFunSuite with SparkTestSession {

  private lazy val digits = Digits.small
  private lazy val train: DataFrame = digits.frame(spark, digits.train, 2).cache()
  private lazy val testSet: DataFrame = digits.frame(spark, digits.test, 2).cache()

  private lazy val model = new CNNClassifier()
    .setInputShape(Array(1, 8, 8))
    .setLayers("dense(16, relu)")
    .setMaxIter(2)
    .fit(train)

  test("thresholds of the wrong length fail on the driver with Spark's message") {
    val setting = intercept[IllegalArgumentException](
      model
        .copy(
          org.apache.spark.ml.param.ParamMap.empty
        )
        .setThresholds(Array(0.5, 0.5))
    )
    assert(setting.getMessage.contains("non-matching numClasses and thresholds.length"))
    // Set as a param (as PySpark and Pipelines do), the check runs when transform is called.
    val m = model.copy(org.apache.spark.ml.param.ParamMap(model.thresholds -> Array(0.5, 0.5)))
    val e = intercept[IllegalArgumentException](m.transform(testSet))
    assert(e.getMessage.contains("numClasses=10, but thresholds has length 2"), e.getMessage)
  }

  test("prediction from thresholds is the argmax of probability / threshold") {
    val t = Array.tabulate(10)(k => if (k == 3) 0.02 else 0.1 + k * 0.05)
    val rows = model
      .copy(org.apache.spark.ml.param.ParamMap(model.thresholds -> t))
      .transform(testSet)
      .select("probability", "prediction")
      .collect()
    val expected = rows.map { r =>
      val p = r.getAs[Vector](0)
      (0 until 10).maxBy(k => p(k) / t(k)).toDouble
    }
    assert(rows.map(_.getDouble(1)).sameElements(expected))
    // The thresholds change predictions: class 3 gains against the plain argmax.
    val plain = model.transform(testSet).select("prediction").collect().map(_.getDouble(0))
    assert(expected.count(_ == 3.0) > plain.count(_ == 3.0))
  }

  private val badRows = () =>
    spark
      .createDataFrame(
        Seq((Vectors.dense(Array.fill(64)(0.5)), 1.0), (Vectors.dense(Array.fill(63)(0.5)), 2.0))
      )
      .toDF("features", "label")

  test("a bad row in fit reaches the user as the input error, not a SparkException") {
    val e = intercept[IllegalArgumentException] {
      new CNNClassifier().setInputShape(Array(1, 8, 8)).setLayers("dense(4)").fit(badRows())
    }
    assert(e.isInstanceOf[InputError], e)
    assert(e.getMessage.contains("column `features` must hold 64 values"), e.getMessage)
    assert(e.getMessage.contains("found 63"), e.getMessage)
  }

  test("a bad row in transform: the failed action's cause is the input error naming the row") {
    val e = intercept[SparkException](model.transform(badRows()).collect())
    val cause = Iterator.iterate[Throwable](e)(_.getCause).takeWhile(_ != null).collectFirst {
      case i: InputError => i
    }
    assert(cause.isDefined, e)
    assert(cause.get.getMessage.contains("found 63 in row 0 of partition"), cause.get.getMessage)
  }
}
