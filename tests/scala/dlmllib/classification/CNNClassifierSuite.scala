package dlmllib.classification

import java.nio.file.Files

import dlmllib.testing.{Digits, SparkTestSession}
import org.apache.spark.SparkException
import org.apache.spark.ml.{Pipeline, PipelineModel}
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator
import org.apache.spark.ml.feature.SQLTransformer
import org.apache.spark.ml.linalg.{Vector, Vectors}
import org.apache.spark.ml.tuning.{CrossValidator, ParamGridBuilder, TrainValidationSplit}
import org.apache.spark.sql.DataFrame
import org.apache.spark.ml.functions.vector_to_array
import org.apache.spark.sql.functions.{array_repeat, col, lit, rand, transform, when}
import org.scalatest.funsuite.AnyFunSuite

class CNNClassifierSuite extends AnyFunSuite with SparkTestSession {

  private def digits(partitions: Int = 2): (DataFrame, DataFrame) = {
    val d = Digits.small
    (d.frame(spark, d.train, partitions).cache(), d.frame(spark, d.test, 2).cache())
  }

  // A small conv net for 8×8 inputs (the lenet5 preset is sized for 28×28).
  private def classifier: CNNClassifier =
    new CNNClassifier()
      .setInputShape(Array(1, 8, 8))
      .setLayers(
        "conv2d(16, 3, relu, padding=same); maxpool(2); conv2d(32, 3, relu, padding=same); " +
          "maxpool(2); dense(64, relu)"
      )
      .setMaxIter(20)
      .setPatience(5)
      .setBatchSize(32)
      .setStepSize(0.003)

  private def accuracy(model: CNNClassificationModel, test: DataFrame): Double =
    new MulticlassClassificationEvaluator()
      .setMetricName("accuracy")
      .evaluate(model.transform(test))

  private def timed[T](what: String)(body: => T): T = {
    val t0 = System.nanoTime()
    val r = body
    info(f"$what: ${(System.nanoTime() - t0) / 1e9}%.1f s")
    r
  }

  test("reaches 97% test accuracy on the 8x8 digits, with a validation history") {
    val (train, test) = digits()
    val withValidation = train.withColumn("isVal", rand(3) < 0.15)
    val model =
      timed("digits fit")(classifier.setValidationIndicatorCol("isVal").fit(withValidation))
    val acc = accuracy(model, test)
    val s = model.summary
    info(
      f"digits test accuracy $acc%.4f after ${s.totalIterations} epochs; samples/s " +
        s.samplesPerSecond.map(v => f"$v%.0f").mkString(", ")
    )
    assert(acc >= 0.97)
    assert(model.hasSummary && s.totalIterations >= 1 && s.totalIterations <= 20)
    assert(s.objectiveHistory.length == s.totalIterations)
    assert(s.validationHistory.length == s.totalIterations)
    assert(s.validationHistory.max > 0.9 && s.validationHistory.forall(_ <= 1.0))
    assert(s.objectiveHistory.last < s.objectiveHistory.head)
    assert(model.numClasses == 10 && model.numFeatures == 64)
    // Spark's classification metrics on the training data, as LogisticRegression's summary has.
    val trained = model.transform(withValidation)
    val trainAcc =
      trained.where(col("prediction") === col("label")).count().toDouble / trained.count()
    assert(math.abs(s.accuracy - trainAcc) < 1e-12 && s.weightedFMeasure > 0.9)
    assert(s.labels.toSeq == (0 until 10).map(_.toDouble))

    val e = model.evaluate(test)
    assert(math.abs(e.accuracy - acc) < 1e-12)
    assert(e.weightedFMeasure > 0.95 && e.weightedPrecision > 0.95 && e.weightedRecall > 0.95)
    assert(e.precisionByLabel.length == 10)

    // One vector through predict / predictRaw agrees with transform.
    val row =
      model.transform(test.limit(1)).select("features", "rawPrediction", "prediction").head()
    val raw = model.predictRaw(row.getAs[Vector](0))
    assert(Vectors.sqdist(raw, row.getAs[Vector](1)) < 1e-10)
    assert(model.predict(row.getAs[Vector](0)) == row.getDouble(2))
  }

  test("2 and 4 partitions reach accuracy comparable to one") {
    val accs = Seq(1, 2, 4).map { p =>
      val (train, test) = digits(p)
      val m = timed(s"digits fit on $p partitions")(classifier.fit(train))
      accuracy(m, test)
    }
    info("accuracy with 1, 2, 4 partitions: " + accs.map(a => f"$a%.4f").mkString(", "))
    assert(accs.forall(_ >= 0.94), accs)
    assert(accs.max - accs.min <= 0.03, accs)
  }

  test("reaches 95% test accuracy on MNIST-5k") {
    val d = Digits.mnist
    val train = d.frame(spark, d.train, 2).cache()
    val test = d.frame(spark, d.test, 2)
    val model = timed("mnist fit")(
      new CNNClassifier().setInputShape(Array(1, 28, 28)).setMaxIter(15).setBatchSize(32).fit(train)
    )
    val acc = accuracy(model, test)
    info(
      f"MNIST-5k test accuracy $acc%.4f; samples/s per epoch " +
        model.summary.samplesPerSecond.map(v => f"$v%.0f").mkString(", ")
    )
    assert(acc >= 0.95)
  }

  test("save and load, alone and in a PipelineModel, give identical predictions") {
    val (train, test) = digits()
    val model = classifier.setMaxIter(2).fit(train)
    val dir = Files.createTempDirectory("cnn").toString
    model.write.overwrite().save(s"$dir/model")
    val loaded = CNNClassificationModel.load(s"$dir/model")
    assert(!loaded.hasSummary && loaded.uid == model.uid && loaded.numClasses == 10)
    assert(loaded.weights.sameElements(model.weights))
    def probs(df: DataFrame) = df.select("probability").collect().map(_.getAs[Vector](0))
    assert(probs(loaded.transform(test)).sameElements(probs(model.transform(test))))

    val pipeline = new Pipeline().setStages(
      Array(new SQLTransformer().setStatement("SELECT * FROM __THIS__"), classifier.setMaxIter(2))
    )
    val pm = pipeline.fit(train)
    pm.write.overwrite().save(s"$dir/pipeline")
    val pl = PipelineModel.load(s"$dir/pipeline")
    assert(pl.stages(1).isInstanceOf[CNNClassificationModel])
    assert(probs(pl.transform(test)).sameElements(probs(pm.transform(test))))

    classifier.write.overwrite().save(s"$dir/estimator")
    val est = CNNClassifier.load(s"$dir/estimator")
    assert(est.getInputShape.sameElements(Array(1, 8, 8)) && est.getStepSize == 0.003)
  }

  test("CrossValidator and TrainValidationSplit tune it over a ParamGrid") {
    val (train, _) = digits()
    val est = classifier.setMaxIter(3)
    val grid = new ParamGridBuilder().addGrid(est.stepSize, Array(0.0001, 0.003)).build()
    val evaluator = new MulticlassClassificationEvaluator().setMetricName("accuracy")
    val cv = new CrossValidator()
      .setEstimator(est)
      .setEstimatorParamMaps(grid)
      .setEvaluator(evaluator)
      .setNumFolds(2)
      .setSeed(1)
      .fit(train)
    assert(cv.avgMetrics.length == 2 && cv.avgMetrics(1) > cv.avgMetrics(0), cv.avgMetrics.toSeq)
    val tvs = new TrainValidationSplit()
      .setEstimator(est)
      .setEstimatorParamMaps(grid)
      .setEvaluator(evaluator)
      .setTrainRatio(0.75)
      .setSeed(1)
      .fit(train)
    assert(tvs.validationMetrics.length == 2 && tvs.bestModel.isInstanceOf[CNNClassificationModel])
  }

  test("early stopping ends training when the validation loss stops improving") {
    val (train, _) = digits()
    val model = classifier
      .setMaxIter(50)
      .setPatience(1)
      .setTol(10.0)
      .setValidationIndicatorCol("isVal")
      .fit(train.withColumn("isVal", col("label") < 0 || rand(1) < 0.2))
    assert(model.summary.totalIterations == 2, model.summary.objectiveHistory.toSeq)
  }

  private def failure(body: => Any): String = intercept[IllegalArgumentException](body).getMessage

  test("bad input fails before training, naming what was expected and found") {
    val (train, test) = digits()
    val wrongShape = failure(classifier.setInputShape(Array(1, 8, 9)).fit(train))
    assert(
      wrongShape.contains("features") && wrongShape.contains("72") && wrongShape.contains("64"),
      wrongShape
    )

    val nan = train
      .limit(20)
      .union(
        spark
          .createDataFrame(Seq((Vectors.dense(Array.fill(64)(Double.NaN)), 1.0)))
          .toDF("features", "label")
      )
    val nanMsg = failure(classifier.fit(nan))
    assert(nanMsg.contains("finite") && nanMsg.contains("NaN"), nanMsg)

    val negative = failure(classifier.fit(train.withColumn("label", col("label") - 1)))
    assert(negative.contains("label") && negative.contains("-1.0"), negative)
    val fractional = failure(classifier.fit(train.withColumn("label", col("label") / 3)))
    assert(fractional.contains("label") && fractional.contains("fractional"), fractional)

    val empty = failure(classifier.fit(train.limit(0)))
    assert(empty.contains("empty"), empty)
    val noShape = failure(new CNNClassifier().fit(train))
    assert(noShape.contains("inputShape"), noShape)
    val spec = failure(classifier.setLayers("dense(16, relu); bogus(3)").fit(train))
    assert(spec.contains("bogus"), spec)
    val stringFeatures =
      failure(classifier.fit(train.withColumn("features", col("label").cast("string"))))
    assert(stringFeatures.contains("features") && stringFeatures.contains("string"), stringFeatures)

    val model = classifier.setMaxIter(1).fit(train)
    val wrong = spark.createDataFrame(Seq((Vectors.dense(1.0, 2.0), 0.0))).toDF("features", "label")
    val e = intercept[SparkException](model.transform(wrong).collect())
    assert(e.getMessage.contains("64") && e.getMessage.contains("found 2"), e.getMessage)
    assert(test.count() == 450)
  }

  test("array columns, of doubles or floats, train exactly as the same values in Vectors") {
    val (train, _) = digits()
    val one = classifier.setMaxIter(1)
    val fromVectors = one.fit(train).weights
    val doubles = train.withColumn("features", vector_to_array(col("features")))
    assert(one.fit(doubles).weights.sameElements(fromVectors))
    val floats = doubles.withColumn("features", col("features").cast("array<float>"))
    assert(one.fit(floats).weights.sameElements(fromVectors))

    // Array columns are stacked as double arrays, which cannot hold a null (data.FeatureRows):
    // a row with one is read boxed, and the error still names the value.
    val withNull = transform(array_repeat(lit(1.0), 64), (x, i) => when(i =!= 3, x))
    val nulls = doubles.limit(5).union(doubles.limit(1).withColumn("features", withNull))
    val msg = failure(one.fit(nulls))
    assert(msg.contains("features[3]") && msg.contains("null"), msg)
  }

  test("the training summary has its metrics with an empty predictionCol, as in Spark") {
    val d = Digits.small
    val model =
      classifier.setMaxIter(1).setPredictionCol("").fit(d.frame(spark, d.train.take(50), 1))
    assert(!model.transform(d.frame(spark, d.test.take(5), 1)).columns.contains("prediction"))
    assert(model.summary.accuracy >= 0 && model.summary.labels.nonEmpty)
  }
}
