package dlmllib.classification

import dlmllib.testing.{Sequences, SparkTestSession}
import org.apache.spark.ml.linalg.Vectors
import org.apache.spark.sql.{DataFrame, Row}
import org.apache.spark.sql.types._
import org.scalatest.funsuite.AnyFunSuite

/** Sequence input that RNNClassifier must refuse before training, with a message that names the
  * column, the row, what was expected and what was found.
  */
class RNNClassifierInputSuite extends AnyFunSuite with SparkTestSession {

  private def tokenFrame(rows: Seq[Seq[Int]]): DataFrame = Sequences.tokenFrame(spark, rows)

  private def nestedFrame(rows: Seq[Any], labels: Seq[Double] = Nil): DataFrame = {
    val schema = StructType(
      Seq(
        StructField(
          "features",
          ArrayType(ArrayType(DoubleType, containsNull = true), containsNull = true)
        ),
        StructField("label", DoubleType)
      )
    )
    val ls = if (labels.isEmpty) rows.indices.map(i => (i % 2).toDouble) else labels
    spark.createDataFrame(
      spark.sparkContext.parallelize(rows.zip(ls).map { case (f, l) => Row(f, l) }, 1),
      schema
    )
  }

  private def failure(clf: RNNClassifier, df: DataFrame): String =
    intercept[IllegalArgumentException](clf.fit(df)).getMessage

  test("bad input fails before training, naming the column, the row, expected and found") {
    val clf = new RNNClassifier().setHiddenSize(4).setMaxIter(1)
    val ok = Seq(Seq(1.0, 2.0), Seq(3.0, 4.0))

    val ragged = failure(clf, nestedFrame(Seq(ok, Seq(Seq(1.0, 2.0), Seq(3.0, 4.0), Seq(5.0)))))
    assert(
      Seq("`features`", "row 1 of partition 0", "step 2", "2 features", "found 1").forall(
        ragged.contains
      ),
      ragged
    )

    val empty = failure(clf, nestedFrame(Seq(ok, Seq.empty[Seq[Double]], ok)))
    assert(Seq("`features`", "empty", "row 1 of partition 0").forall(empty.contains), empty)

    val nullStep = failure(clf, nestedFrame(Seq(ok, Seq(Seq(1.0, 2.0), null))))
    assert(
      Seq("`features`", "null", "step 1", "row 1 of partition 0").forall(nullStep.contains),
      nullStep
    )

    // Stacked from Spark's internal rows as double arrays, which cannot hold a null: such a row is
    // read boxed, as a Row holds it (data.FeatureRows), and the error still says where the null is.
    val nullValue = failure(clf, nestedFrame(Seq(ok, ok, Seq(Seq(1.0, 2.0), Seq[Any](3.0, null)))))
    assert(
      Seq("`features`", "null", "step 1, feature 1", "row 2 of partition 0").forall(
        nullValue.contains
      ),
      nullValue
    )

    val nullRow = failure(clf, nestedFrame(Seq(ok, null)))
    assert(Seq("`features`", "null", "row 1 of partition 0").forall(nullRow.contains), nullRow)

    val nan = failure(clf, nestedFrame(Seq(ok, Seq(Seq(1.0, Double.NaN)))))
    assert(
      Seq("`features`", "finite", "NaN", "step 0, feature 1", "row 1").forall(nan.contains),
      nan
    )

    val inf =
      failure(clf, nestedFrame(Seq(Seq(Seq(1.0, 2.0), Seq(Double.PositiveInfinity, 0.0)), ok)))
    assert(Seq("finite", "Infinity", "step 1, feature 0", "row 0").forall(inf.contains), inf)

    val label = failure(clf, nestedFrame(Seq(ok, ok, ok), Seq(0.0, 1.0, 1.5)))
    assert(label.contains("labelCol `label`") && label.contains("fractional"), label)

    val tokens = clf.copy(org.apache.spark.ml.param.ParamMap.empty).setVocabSize(10)
    val outside = failure(
      tokens,
      tokenFrame(Seq(Seq(1, 2, 3), Seq(4, 12)))
        .withColumn("label", org.apache.spark.sql.functions.lit(1.0))
        .union(tokenFrame(Seq(Seq(1))))
    )
    assert(
      Seq("`features`", "token ids", "vocabSize 10", "found 12.0", "step 1", "row 1").forall(
        outside.contains
      ),
      outside
    )

    val fractional = spark
      .createDataFrame(
        spark.sparkContext.parallelize(Seq((Seq(1.0, 2.5), 0.0), (Seq(3.0), 1.0)), 1)
      )
      .toDF("features", "label")
    val frac = failure(tokens, fractional)
    assert(Seq("token ids", "found 2.5", "step 1", "row 0").forall(frac.contains), frac)

    val negative = failure(
      tokens,
      tokenFrame(Seq(Seq(-1), Seq(2)))
        .withColumn("label", org.apache.spark.sql.functions.lit(1.0))
        .union(tokenFrame(Seq(Seq(1))))
    )
    assert(negative.contains("found -1.0"), negative)

    val nested = failure(tokens, nestedFrame(Seq(ok, ok)))
    assert(nested.contains("array<int>") && nested.contains("array<array<double>>"), nested)

    val vectors = spark
      .createDataFrame(Seq((Vectors.dense(1, 2, 3, 4), 0.0), (Vectors.dense(1, 2), 1.0)))
      .toDF("features", "label")
    assert(failure(clf, vectors).contains("set inputShape"))
    val wrongSize = failure(
      clf.copy(org.apache.spark.ml.param.ParamMap.empty).setInputShape(Array(2, 2)),
      vectors
    )
    assert(Seq("4 values", "found 2", "row").forall(wrongSize.contains), wrongSize)

    assert(
      intercept[IllegalArgumentException](clf.setCellType("transformer")).getMessage
        .contains("cellType")
    )
  }
}
