package dlmllib.bench

import dlmllib.classification.{CNNClassifier, RNNClassifier}
import dlmllib.testing.{Digits, Sequences}
import org.apache.spark.sql.SparkSession

/** Test accuracy against the number of partitions the training data is spread over (issue 13), with
  * default params and the same epochs: a CNN on the 28×28 MNIST sample and an embedding + LSTM on
  * the movie-review snippets, each at 1, 2, 8 and 16 partitions on `local[2]`.
  *
  * `build/sbt "Test/runMain dlmllib.bench.PartitionsBench [epochs] [localSteps] [partitions,...]"`
  */
object PartitionsBench {
  def main(args: Array[String]): Unit = {
    val epochs = args.headOption.map(_.toInt).getOrElse(3)
    val localSteps = args.lift(1).map(_.toInt)
    val partitions = args.lift(2).map(_.split(",").map(_.toInt).toSeq).getOrElse(Seq(1, 2, 8, 16))
    val spark = SparkSession.builder().master("local[2]").appName("PartitionsBench").getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    val mnist = Digits.mnist
    val mnistTest = mnist.frame(spark, mnist.test, 2).cache()
    val text = Sequences.snippets
    val textTest = text.frame(spark, text.test, 2).cache()
    println(s"epochs $epochs, localSteps ${localSteps.getOrElse("unset (128 / partitions)")}")
    for (p <- partitions) {
      val cnn = new CNNClassifier()
        .setInputShape(Array(1, 28, 28))
        .setLayers(
          "conv2d(16, 3, relu); maxpool(2); conv2d(32, 3, relu); maxpool(2); dense(64, relu)"
        )
        .setMaxIter(epochs)
      val rnn = new RNNClassifier()
        .setVocabSize(text.vocabSize)
        .setEmbeddingDim(32)
        .setHiddenSize(32)
        .setMaxIter(epochs)
      localSteps.foreach { s => cnn.setLocalSteps(s); rnn.setLocalSteps(s) }
      val t0 = System.nanoTime()
      val cnnAcc = cnn.fit(mnist.frame(spark, mnist.train, p)).evaluate(mnistTest).accuracy
      val t1 = System.nanoTime()
      val rnnAcc = rnn.fit(text.frame(spark, text.train, p)).evaluate(textTest).accuracy
      val t2 = System.nanoTime()
      println(
        f"partitions $p%2d: MNIST CNN ${100 * cnnAcc}%5.1f %% (${(t1 - t0) / 1e9}%.0f s), " +
          f"snippets LSTM ${100 * rnnAcc}%5.1f %% (${(t2 - t1) / 1e9}%.0f s)"
      )
    }
    spark.stop()
  }
}
