package dlmllib.bench

import dlmllib.classification.CNNClassifier
import dlmllib.testing.Digits
import org.apache.spark.sql.SparkSession

/** Epoch time of the same fit with its mini-batches in memory and spilled to disk (issue 13):
  * MNIST-5k's training rows on 2 partitions, local[2], once with the default storage memory and
  * once with about 3 MB (spark.memory.fraction), for an MLP and a small CNN; each twice.
  */
object SpillBench {
  def main(args: Array[String]): Unit = {
    val epochs = if (args.nonEmpty) args(0).toInt else 6
    val nets = Seq(
      "dense(64, relu)",
      "conv2d(8, 3, relu); maxpool(2); conv2d(16, 3, relu); maxpool(2); dense(64, relu)"
    )
    for (spilled <- Seq(false, true, false, true); layers <- nets) {
      val (seconds, storage) = fit(layers, spilled, epochs)
      val where = if (spilled) "spilled" else "in memory"
      println(
        f"RESULT $where%-9s | $layers | storage memory ${storage / 1e6}%.1f MB | " +
          "seconds per epoch after the first " + seconds.drop(1).map(s => f"$s%.2f").mkString(" ")
      )
    }
  }

  /** Seconds per epoch and the storage memory of the session. */
  private def fit(layers: String, spilled: Boolean, epochs: Int): (Array[Double], Long) = {
    val builder = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false")
    val heap = Runtime.getRuntime.maxMemory - (300L << 20)
    if (spilled) builder.config("spark.memory.fraction", (3e6 / heap).toString)
    val spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    try {
      val d = Digits.mnist
      val model = new CNNClassifier()
        .setInputShape(Array(1, 28, 28))
        .setLayers(layers)
        .setMaxIter(epochs)
        .setBatchSize(32)
        .setLocalSteps(16)
        .fit(d.frame(spark, d.train, 2))
      val storage = spark.sparkContext.getExecutorMemoryStatus.values.map(_._1).sum
      (model.summary.secondsPerEpoch, storage)
    } finally spark.stop()
  }
}
