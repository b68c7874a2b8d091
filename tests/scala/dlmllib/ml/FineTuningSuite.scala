package dlmllib.ml

import java.nio.file.Files

import dlmllib.classification.{CNNClassificationModel, CNNClassifier}
import dlmllib.testing.{Digits, SparkTestSession}
import org.apache.spark.sql.DataFrame
import org.apache.spark.sql.functions.col
import org.scalatest.funsuite.AnyFunSuite

/** A fit can start from a saved model's weights (a new output layer included) and freeze layers. */
class FineTuningSuite extends AnyFunSuite with SparkTestSession {

  private lazy val digits: DataFrame = {
    val d = Digits.small
    d.frame(spark, d.train, 2).cache()
  }

  private def classifier: CNNClassifier = new CNNClassifier()
    .setInputShape(Array(1, 8, 8))
    .setLayers("dense(32, relu); dense(16, relu)")
    .setMaxIter(3)
    .setStepSize(0.01)

  private lazy val (base, basePath): (CNNClassificationModel, String) = {
    val m = classifier.fit(digits)
    val path = Files.createTempDirectory("base").resolve("model").toString
    m.write.save(path)
    (m, path)
  }

  private def slice(m: CNNClassificationModel, layer: Int): Seq[Float] = {
    val (from, n) = m.network.layerWeights(layer)
    m.weights.slice(from, from + n).toSeq
  }

  test("frozen layers keep their weights bit for bit; the others train") {
    val tuned = classifier.setInitialModel(basePath).setFrozenLayers(Array(0)).fit(digits)
    assert(slice(tuned, 0) == slice(base, 0))
    assert(slice(tuned, 1) != slice(base, 1) && slice(tuned, 2) != slice(base, 2))
    assert(tuned.getFrozenLayers.toSeq == Seq(0) && tuned.getInitialModel == basePath)
  }

  test("a new output layer for new classes: the body starts from the model, the head afresh") {
    // Three classes instead of ten: only the output layer differs.
    val three = digits.filter(col("label") < 3)
    val tuned = classifier.setInitialModel(basePath).setFrozenLayers(Array(0, 1)).fit(three)
    assert(tuned.numClasses == 3)
    assert(slice(tuned, 0) == slice(base, 0) && slice(tuned, 1) == slice(base, 1))
    assert(tuned.summary.objectiveHistory.last < tuned.summary.objectiveHistory.head)
  }

  test("a model object as initialModel; the params persist with the estimator") {
    val est = classifier.setInitialModel(base).setFrozenLayers(Array(1))
    val dir = Files.createTempDirectory("est").resolve("est").toString
    est.write.save(dir)
    val loaded = CNNClassifier.load(dir)
    assert(loaded.getFrozenLayers.toSeq == Seq(1) && loaded.getInitialModel == est.getInitialModel)
    val tuned = loaded.setMaxIter(1).fit(digits)
    assert(slice(tuned, 1) == slice(base, 1) && slice(tuned, 0) != slice(base, 0))
  }

  test("a body that does not match, or a layer index out of range, fails clearly") {
    val other = classifier.setLayers("dense(24, relu); dense(16, relu)").setInitialModel(basePath)
    val e = intercept[IllegalArgumentException](other.fit(digits)).getMessage
    assert(e.contains(basePath) && e.contains("layer 0") && e.contains("dense(24, relu)"), e)
    val frozen = intercept[IllegalArgumentException] {
      classifier.setFrozenLayers(Array(3)).fit(digits)
    }.getMessage
    assert(frozen.contains("frozenLayers: layer 3 does not exist") && frozen.contains("0 to 2"))
  }
}
