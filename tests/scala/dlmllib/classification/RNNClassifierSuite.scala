package dlmllib.classification

import java.nio.file.Files

import dlmllib.nn.{Network, Shape}
import dlmllib.testing.{Sequences, SparkTestSession}
import org.apache.spark.ml.{Pipeline, PipelineModel}
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator
import org.apache.spark.ml.linalg.{Vector, Vectors}
import org.apache.spark.sql.{DataFrame, Row}
import org.apache.spark.sql.types._
import org.scalatest.funsuite.AnyFunSuite

class RNNClassifierSuite extends AnyFunSuite with SparkTestSession {

  private def accuracy(model: RNNClassificationModel, test: DataFrame): Double =
    new MulticlassClassificationEvaluator()
      .setMetricName("accuracy")
      .evaluate(model.transform(test))

  private def timed[T](what: String)(body: => T): T = {
    val t0 = System.nanoTime()
    val r = body
    info(f"$what: ${(System.nanoTime() - t0) / 1e9}%.1f s")
    r
  }

  private def report(name: String, model: RNNClassificationModel, acc: Double): Unit = {
    val s = model.summary
    info(
      f"$name test accuracy $acc%.4f after ${s.totalIterations} epochs, final loss " +
        f"${s.objectiveHistory.last}%.4f, median ${median(s.samplesPerSecond)}%.0f samples/s"
    )
  }

  private def median(a: Array[Double]): Double = a.sorted.apply(a.length / 2)

  private def raw(model: RNNClassificationModel, df: DataFrame): Array[Vector] =
    model.transform(df).select("rawPrediction").collect().map(_.getAs[Vector](0))

  private def maxDiff(a: Array[Vector], b: Array[Vector]): Double =
    a.zip(b).map { case (x, y) => (0 until x.size).map(i => math.abs(x(i) - y(i))).max }.max

  // GunPoint: 50 training series; a constant learning rate leaves the LSTM's loss spiking, the
  // cosine schedule settles it (0.953–0.967 over seeds 1–5).
  private lazy val gunPoint = {
    val d = Sequences.gunPoint
    val (train, test) = (d.trainFrame(spark).cache(), d.testFrame(spark).cache())
    val clf = new RNNClassifier()
      .setHiddenSize(64)
      .setMaxIter(150)
      .setBatchSize(4)
      .setStepSize(0.003)
      .setLearningRateSchedule("cosine")
      .setPatience(150)
      .setSeed(1)
    (timed("GunPoint fit")(clf.fit(train)), train, test)
  }

  test("GunPoint (150 steps x 1): at least 0.90 test accuracy; summary, evaluate, predict") {
    val (model, _, test) = gunPoint
    val acc = accuracy(model, test)
    report("GunPoint", model, acc)
    assert(acc >= 0.90)
    val s = model.summary
    assert(s.totalIterations == 150 && s.objectiveHistory.length == 150)
    assert(s.objectiveHistory.last < 0.5 * s.objectiveHistory.head)
    assert(model.numClasses == 2 && model.network.inputShape == Shape.of(150, 1))
    assert(model.getClipNorm == 5.0 && model.getCellType == "lstm")

    val e = model.evaluate(test)
    assert(math.abs(e.accuracy - acc) < 1e-12)
    assert(e.weightedFMeasure > 0.85)

    // One series as a flat Vector with inputShape agrees with transform on the array column.
    val rows =
      model.transform(test.limit(3)).select("features", "rawPrediction", "prediction").collect()
    rows.foreach { r =>
      val v = Vectors.dense(r.getSeq[Seq[Double]](0).flatten.toArray)
      assert(Vectors.sqdist(model.predictRaw(v), r.getAs[Vector](1)) < 1e-10)
      assert(model.predict(v) == r.getDouble(2))
      assert(
        model
          .copy(org.apache.spark.ml.param.ParamMap.empty)
          .setInputShape(Array(150, 1))
          .predict(v) == r.getDouble(2)
      )
    }
  }

  test("save and load keep the predictions, alone and inside a PipelineModel") {
    val (model, train, test) = gunPoint
    val dir = Files.createTempDirectory("rnnclf").toString
    model.write.overwrite().save(s"$dir/model")
    val loaded = RNNClassificationModel.load(s"$dir/model")
    assert(loaded.uid == model.uid && loaded.getHiddenSize == 64 && !loaded.hasSummary)
    assert(loaded.network.toSpec == model.network.toSpec)
    assert(maxDiff(raw(loaded, test), raw(model, test)) == 0.0)

    val pipeline =
      new Pipeline().setStages(Array(new RNNClassifier().setHiddenSize(8).setMaxIter(2)))
    val fitted = pipeline.fit(train)
    fitted.write.overwrite().save(s"$dir/pipeline")
    val reloaded = PipelineModel.load(s"$dir/pipeline")
    assert(reloaded.stages.head.isInstanceOf[RNNClassificationModel])
    def predictions(m: PipelineModel) =
      m.transform(test).select("probability").collect().map(_.getAs[Vector](0))
    assert(maxDiff(predictions(reloaded), predictions(fitted)) == 0.0)

    val estimatorDir = s"$dir/estimator"
    new RNNClassifier().setCellType("GRU").setBidirectional(true).save(estimatorDir)
    val est = RNNClassifier.load(estimatorDir)
    assert(est.getCellType == "GRU" && est.getBidirectional && est.getClipNorm == 5.0)
  }

  // 0.975–1.0 over seeds 1–5.
  test("BasicMotions (100 steps x 6, multivariate): at least 0.90 test accuracy; Vector input") {
    val d = Sequences.basicMotions
    val (train, test) = (d.trainFrame(spark).cache(), d.testFrame(spark).cache())
    val clf = new RNNClassifier()
      .setHiddenSize(64)
      .setMaxIter(40)
      .setBatchSize(8)
      .setStepSize(0.005)
      .setLearningRateSchedule("cosine")
      .setPatience(40)
      .setSeed(1)
    val model = timed("BasicMotions fit")(clf.fit(train))
    val acc = accuracy(model, test)
    report("BasicMotions", model, acc)
    assert(acc >= 0.90)
    assert(model.numClasses == 4 && model.network.inputShape == Shape.of(100, 6))

    // The same series as flat step-major Vectors with inputShape [100, 6].
    val vectors = spark
      .createDataFrame(
        spark.sparkContext.parallelize(d.test.toSeq.map(x => (Vectors.dense(x.flatten), 0.0)), 2)
      )
      .toDF("features", "label")
    assert(maxDiff(raw(model.setInputShape(Array(100, 6)), vectors), raw(model, test)) < 1e-9)
  }

  // Movie snippets: 2 to 64 tokens, each row holding only its true length.
  private lazy val snippets = {
    val d = Sequences.snippets
    val (train, test) = (d.frame(spark, d.train, 2).cache(), d.frame(spark, d.test, 2).cache())
    val clf = new RNNClassifier()
      .setVocabSize(d.vocabSize)
      .setEmbeddingDim(32)
      .setHiddenSize(32)
      .setMaxIter(3)
      .setBatchSize(64)
      .setStepSize(0.005)
      .setLearningRateSchedule("cosine")
      .setSeed(1)
    (timed("movie snippets fit")(clf.fit(train)), test)
  }

  test("movie snippets (token ids, variable lengths): at least 0.70 test accuracy") {
    val (model, test) = snippets
    val acc = accuracy(model, test)
    report("movie snippets", model, acc)
    assert(acc >= 0.70)
    val d = Sequences.snippets
    assert(model.network.inputShape == Shape.of(d.train.map(d.tokens(_).length).max, 1))
    assert(model.network.toSpec.startsWith("embedding(8570, 32); lstm(32)"))
  }

  private def tokenFrame(rows: Seq[Seq[Int]]): DataFrame = Sequences.tokenFrame(spark, rows)

  test("a sequence gets the same prediction batched with longer or shorter ones, or alone") {
    val (model, _) = snippets
    val d = Sequences.snippets
    val byLength = d.test.map(d.tokens(_).toSeq).sortBy(_.length)
    val short = byLength(10)
    val shorts = byLength.take(7)
    val longs = byLength.takeRight(6) :+ (byLength.last ++ byLength.last) // up to 128 steps
    // A stacked bidirectional GRU with dropout masks its backward direction too.
    val subset = d.frame(spark, d.train.take(1500), 2)
    val bidirectional = timed("bidirectional GRU fit")(
      new RNNClassifier()
        .setVocabSize(d.vocabSize)
        .setCellType("gru")
        .setNumLayers(2)
        .setBidirectional(true)
        .setDropout(0.2)
        .setHiddenSize(16)
        .setMaxIter(1)
        .fit(subset)
    )
    assert(
      bidirectional.network.toSpec.matches(
        """embedding\(8570, 32\); gru\(16, sequences=true, bidirectional=true\); dropout\(0.2\); """ +
          """gru\(16, bidirectional=true\); dropout\(0.2\); dense\(2\)"""
      ),
      bidirectional.network.toSpec
    )
    for (trained <- Seq(model, bidirectional)) {
      val m = trained.copy(org.apache.spark.ml.param.ParamMap.empty).setBatchSize(8)
      val alone = raw(m, tokenFrame(Seq(short))).head
      val withShort = raw(m, tokenFrame((short +: shorts).toSeq)).head
      val withLong = raw(m, tokenFrame((short +: longs).toSeq)).head
      assert(maxDiff(Array(alone), Array(withShort)) < 1e-5)
      assert(maxDiff(Array(alone), Array(withLong)) < 1e-5)
    }
  }

  test("transform reads sequences longer than any in training, in full") {
    val (model, _) = snippets
    val d = Sequences.snippets
    val long = d.test.take(20).flatMap(d.tokens(_)).take(150).toSeq
    assert(long.length == 150)
    val transformed = raw(model, tokenFrame(Seq(long, long.take(40), long)))
    // The same layers and weights run directly on the 150 steps.
    val net = new Network(Shape.of(150, 1), model.network.layers)
    val out =
      net.executor(1).forward(model.weights, long.map(_.toFloat).toArray, 1, training = false)
    val expected = Vectors.dense(out.take(2).map(_.toDouble))
    assert(maxDiff(Array(transformed(0)), Array(expected)) < 1e-5)
    assert(maxDiff(Array(transformed(2)), Array(expected)) < 1e-5)
    // and differ from the first 40 steps alone: the whole sequence was read
    assert(maxDiff(Array(transformed(1)), Array(expected)) > 1e-4)
  }
}
