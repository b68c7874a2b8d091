package dlmllib.ml

import java.nio.file.Files
import java.util.ServiceLoader

import scala.jdk.CollectionConverters._

import dlmllib.distributed.TrainingHistory
import dlmllib.regression.CNNRegressionModel
import org.apache.spark.ml.{Estimator, Transformer}
import org.scalatest.funsuite.AnyFunSuite

/** What Spark Connect's server needs of the jar without a server: the ServiceLoader registration it
  * reads (MLUtils.loadOperators; a registered class without a public no-argument constructor would
  * break every ML call of the server, Spark's own included) and the offloaded summary's file.
  */
class ConnectRegistrationSuite extends AnyFunSuite {

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

  test("a summary kept on disk comes back whole") {
    val history = TrainingHistory(
      Array(2.5, 1.25),
      Array(2.0, 1.5),
      Array(0.5, 0.75),
      "accuracy",
      Array(0.1, 0.2),
      Array(100.0, 200.0)
    )
    val model = new CNNRegressionModel().setSummary(Some(new NetworkTrainingSummary(history)))
    val file = Files.createTempDirectory("summary").resolve("summary")
    model.saveSummary(file.toString)
    val loaded = new CNNRegressionModel()
    assert(!loaded.hasSummary)
    loaded.loadSummary(file.toString, null)
    assert(loaded.summary.toString == model.summary.toString)
    assert(loaded.summary.validationHistory.toSeq == Seq(0.5, 0.75))
    assert(loaded.summary.totalIterations == 2)
  }
}
