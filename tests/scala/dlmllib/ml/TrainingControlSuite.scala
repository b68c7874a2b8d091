package dlmllib.ml

import java.nio.file.Files

import dlmllib.classification.CNNClassifier
import dlmllib.testing.{Digits, SparkTestSession}
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator
import org.apache.spark.sql.DataFrame
import org.apache.spark.sql.functions.rand
import org.scalatest.funsuite.AnyFunSuite

/** A fit does what its params ask: every epoch by default, early stopping only when asked (with the
  * best epoch restored), and an error instead of a diverged model.
  */
class TrainingControlSuite extends AnyFunSuite with SparkTestSession {

  private lazy val train: DataFrame = {
    val d = Digits.small
    d.frame(spark, d.train, 2).withColumn("isVal", rand(7) < 0.2).cache()
  }

  private def classifier: CNNClassifier = new CNNClassifier()
    .setInputShape(Array(1, 8, 8))
    .setLayers("dense(32, relu)")
    .setBatchSize(32)
    .setStepSize(0.01)

  test("default params run every one of maxIter epochs, even when the loss stalls") {
    // tol = 10 would call every epoch stale: without patience it must not matter.
    val model = classifier.setMaxIter(6).setTol(10.0).fit(train)
    val s = model.summary
    assert(s.totalIterations == 6 && s.objectiveHistory.length == 6)
    assert(s.stopReason == "maxIter" && s.bestEpoch == 6 && s.resumedFromEpoch == 0)
    assert(classifier.getPatience == 0)
  }

  test("patience watches the validation loss and restores the best epoch's weights") {
    // A large step size makes the validation loss go up and down; patience 2 stops on it.
    val est = classifier.setMaxIter(40).setStepSize(0.2).setSolver("sgd").setPatience(2)
    val model = est.setValidationIndicatorCol("isVal").fit(train)
    val s = model.summary
    val losses = s.validationLossHistory
    assert(s.stopReason == "earlyStop", losses.toSeq)
    assert(s.totalIterations < 40 && losses.length == s.totalIterations)
    assert(s.bestEpoch == losses.indexOf(losses.min) + 1, losses.toSeq)
    assert(s.totalIterations == s.bestEpoch + 2)
    // The model holds the best epoch's weights: its validation accuracy is that epoch's.
    val validation = train.filter("isVal")
    val acc = new MulticlassClassificationEvaluator()
      .setMetricName("accuracy")
      .evaluate(model.transform(validation))
    assert(math.abs(acc - s.validationHistory(s.bestEpoch - 1)) < 1e-9, s.validationHistory.toSeq)
  }

  test("without a validation set patience watches the training loss, improvements above tol") {
    val s = classifier.setMaxIter(30).setPatience(1).setTol(10.0).fit(train).summary
    assert(s.stopReason == "earlyStop" && s.totalIterations == 2 && s.bestEpoch == 1)
    assert(s.validationLossHistory.isEmpty)
  }

  test("a diverging fit fails naming the epoch and the params to lower; nothing checkpointed") {
    val dir = Files.createTempDirectory("diverge").toString
    val e = intercept[IllegalArgumentException] {
      classifier
        .setSolver("sgd")
        .setStepSize(1e12)
        .setMaxIter(5)
        .setCheckpointDir(dir)
        .fit(train)
    }
    val m = e.getMessage
    assert(m.contains("CNNClassifier diverged in epoch") && m.contains("stepSize"), m)
    assert(m.contains("clipNorm"), m)
    val files = new java.io.File(dir).listFiles().map(_.getName).filter(_.startsWith("checkpoint"))
    assert(files.isEmpty, files.toSeq)
  }
}
