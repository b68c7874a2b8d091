"""Fits LeNet-5 on 60,000 28×28 images (the MNIST sample's 3,750 training images, 16 times) in
local[2] with Spark's default driver memory, then prints, as RESULT lines for test_memory.py, the
driver's heap limit, the fit's epochs and the test accuracy."""

from apps import session
from datasets import DATA
from pyspark.sql.functions import col, explode, expr, lit, sequence

from dlmllib import CNNClassifier


def main():
    spark = session("local[2]", {"spark.ui.enabled": "false"})
    mnist = spark.read.parquet(str(DATA / "mnist_5k.parquet")).withColumn(
        "features", expr("transform(pixels, p -> p / 255D)")
    )
    train = (
        mnist.where(col("split") == "train")
        .withColumn("copy", explode(sequence(lit(1), lit(16))))
        .repartition(2)
    )
    test = mnist.where(col("split") == "test")
    model = CNNClassifier(inputShape=[1, 28, 28], layers="lenet5", maxIter=1, seed=1).fit(train)
    runtime = spark.sparkContext._jvm.java.lang.Runtime.getRuntime()
    print("RESULT heap_mb", runtime.maxMemory() // 2**20)
    print("RESULT rows", train.count())
    print("RESULT epochs", len(model.summary.objectiveHistory))
    print("RESULT accuracy", model.evaluate(test).accuracy)
    spark.stop()


if __name__ == "__main__":
    main()
