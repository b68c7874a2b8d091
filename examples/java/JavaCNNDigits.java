package examples;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import dlmllib.classification.CNNClassificationModel;
import dlmllib.classification.CNNClassifier;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * dlmllib from Java: a small CNN on the 8×8 digits, evaluated, saved and loaded again; the Java
 * twin of examples/scala/CNNDigits.scala.
 *
 * <pre>
 * build/sbt "Test/runMain examples.JavaCNNDigits"         # local[2], 10 epochs
 * </pre>
 */
public final class JavaCNNDigits {
  private JavaCNNDigits() {}

  /** Trains on the train rows of {@code path} for {@code epochs}; returns the test accuracy of the
   * reloaded model. */
  public static double run(SparkSession spark, String path, int epochs) throws IOException {
    // pixels: array<smallint> 0..16, label: double, split: train/test
    Dataset<Row> digits =
        spark.read().parquet(path).withColumn("features", expr("transform(pixels, p -> p / 16.0)"));
    Dataset<Row> train = digits.where(col("split").equalTo("train"));
    Dataset<Row> test = digits.where(col("split").equalTo("test"));

    // Every setter returns the CNNClassifier, so Java chains them as Scala does.
    CNNClassifier cnn =
        new CNNClassifier()
            .setFeaturesCol("features")
            .setInputShape(new int[] {1, 8, 8})
            .setLayers("conv2d(16, 3, relu, padding=same); maxpool(2); dense(64, relu)")
            .setMaxIter(epochs)
            .setBatchSize(32);
    CNNClassificationModel model = cnn.fit(train);
    System.out.println("loss per epoch: " + Arrays.toString(model.summary().objectiveHistory()));
    System.out.printf(
        "training accuracy %.4f, test accuracy %.4f%n",
        model.summary().accuracy(), model.evaluate(test).accuracy());

    String dir = Files.createTempDirectory("java-cnn-digits").resolve("model").toString();
    model.write().overwrite().save(dir);
    CNNClassificationModel loaded = CNNClassificationModel.load(dir);
    System.out.println("saved to " + dir + " and loaded again");
    return loaded.evaluate(test).accuracy();
  }

  public static void main(String[] args) throws IOException {
    SparkSession spark =
        SparkSession.builder().master("local[2]").appName("dlmllib JavaCNNDigits").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try {
      String path = args.length > 0 ? args[0] : "data/digits_8x8.parquet";
      System.out.printf("reloaded model: test accuracy %.4f%n", run(spark, path, 10));
    } finally {
      spark.stop();
    }
  }
}
