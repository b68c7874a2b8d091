package dlmllib.bench

import dlmllib.classification.RNNClassifier
import dlmllib.nn.SoftmaxCrossEntropy
import dlmllib.optim.Adam
import dlmllib.testing.Npz
import dlmllib.engine.{Batch, LocalTrainer}
import dlmllib.rnn.RNNInput
import org.apache.spark.ml.linalg.Vectors
import org.apache.spark.sql.SparkSession

/** LSTM training throughput of dlmllib on the sequences of an `.npz` (x: n × T × F float32, y:
  * class ids), run by bench/lstm_vs_torch.py: lstm(hidden) → dense(classes), Adam, batch 64,
  * clipNorm 5, for `epochs` epochs, once with the in-process [[LocalTrainer]] (one thread) and once
  * with [[RNNClassifier]] on local[2] (two partitions). Prints one JSON line of samples/s per
  * epoch.
  *
  * `build/sbt "Test/runMain dlmllib.bench.LstmTrainingBench data.npz 128 3"`
  */
object LstmTrainingBench {
  private val batch = 64

  def main(args: Array[String]): Unit = {
    val Array(path, hiddenArg, epochsArg) = args
    val (hidden, epochs) = (hiddenArg.toInt, epochsArg.toInt)
    val a = Npz.loadFile(path)
    val Seq(n, steps, features) = a("x").shape
    val x = a("x").values.map(_.toFloat)
    val y = a("y").values
    val classes = y.max.toInt + 1

    val spark = SparkSession
      .builder()
      .master("local[2]")
      .config("spark.ui.enabled", "false")
      .getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    val sampleSize = steps * features
    val rows = (0 until n).map(i =>
      (Vectors.dense(Array.tabulate(sampleSize)(j => x(i * sampleSize + j).toDouble)), y(i))
    )
    val df = spark
      .createDataFrame(spark.sparkContext.parallelize(rows, 2))
      .toDF("features", "label")
      .cache()
    df.count()
    val clf = new RNNClassifier()
      .setInputShape(Array(steps, features))
      .setHiddenSize(hidden)
      .setBatchSize(batch)
      .setMaxIter(epochs)
      .setPatience(epochs)
    val started = System.nanoTime()
    val model = clf.fit(df)
    val fitSeconds = (System.nanoTime() - started) / 1e9
    val sparkRates = model.summary.samplesPerSecond
    spark.stop()

    // The same network, trained in-process on one thread.
    val network = RNNInput.network(clf, dlmllib.nn.Shape.of(steps, features), classes)
    val trainer = new LocalTrainer(network, SoftmaxCrossEntropy, Adam(), batch, clipNorm = 5.0)
    val weights = network.initWeights(1)
    val batches = (0 until n by batch).map { start =>
      val size = math.min(batch, n - start)
      Batch(
        java.util.Arrays.copyOfRange(x, start * sampleSize, (start + size) * sampleSize),
        Array.tabulate(size)(k => y(start + k).toFloat),
        size
      )
    }
    val localRates = (1 to epochs).map { _ =>
      val t0 = System.nanoTime()
      batches.foreach(b => trainer.step(weights, b))
      n / ((System.nanoTime() - t0) / 1e9)
    }
    def json(a: Seq[Double]) = a.map(v => f"$v%.1f").mkString("[", ", ", "]")
    println(
      s"""RESULT {"network": "${network.toSpec}", "local_trainer": ${json(localRates)}, """ +
        s""""rnn_classifier_local2": ${json(sparkRates.toSeq)}, "fit_seconds": $fitSeconds}"""
    )
  }
}
