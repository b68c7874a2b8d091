package dlmllib.ml

import java.nio.file.Files
import java.util.ServiceLoader

import scala.jdk.CollectionConverters._

import dlmllib.regression.{CNNRegressionModel, CNNRegressor}
import dlmllib.testing.SparkTestSession
import org.apache.spark.ml.{Estimator, Transformer}
import org.apache.spark.ml.linalg.Vectors
import org.scalatest.funsuite.AnyFunSuite

/** What Spark Connect's server needs of the jar without a server: the ServiceLoader registration it
  * reads (MLUtils.loadOperators; a registered class without a public no-argument constructor would
  * break every ML call of the server, Spark's own included) and the offloaded summary's file.
  */
class ConnectRegistrationSuite extends AnyFunSuite with SparkTestSession {

  private def registered(cls: Class[_]): Set[String] =
    ServiceLoader.load(cls).stream().iterator().asScala.map(_.`type`().getName).toSet

  test("the four Estimators and the four Models are registered as Spark's are") {
    val estimators = registered(classOf[Estimator[_]])
    val models = registered(classOf[Transformer])
    for (family <- Seq("CNN", "RNN")) {
      assert(estimators(s"dlmllib.classification.${family}Classifier"))
      assert(estimators(s"dlmllib.regression.${family}Regressor"))
      assert(models(s"dlmllib.classification.${family}ClassificationModel"))
      assert(models(s"dlmllib.regression.${family}RegressionModel"))
    }
    assert(estimators("org.apache.spark.ml.classification.LogisticRegression"))
  }

  test("a summary kept on disk comes back whole, its metrics on the dataset given") {
    val rows = (0 until 16).map(i => (Vectors.dense(i / 16.0, 1.0, 0.0, 1.0), i / 16.0))
    val df = spark.createDataFrame(rows).toDF("features", "label")
    val model = new CNNRegressor()
      .setInputShape(Array(1, 2, 2))
      .setLayers("dense(4, relu)")
      .setMaxIter(3)
      .setBatchSize(4)
      .fit(df)
    val file = Files.createTempDirectory("summary").resolve("summary")
    model.saveSummary(file.toString)
    val dir = Files.createTempDirectory("model").resolve("m").toString
    model.write.save(dir)
    val loaded = CNNRegressionModel.load(dir)
    assert(!loaded.hasSummary)
    loaded.loadSummary(file.toString, df)
    assert(loaded.summary.toString == model.summary.toString)
    assert(loaded.summary.objectiveHistory.toSeq == model.summary.objectiveHistory.toSeq)
    assert(loaded.summary.stopReason == model.summary.stopReason)
    assert(loaded.summary.totalIterations == 3)
    assert(loaded.summary.rootMeanSquaredError == model.summary.rootMeanSquaredError)
  }
}
