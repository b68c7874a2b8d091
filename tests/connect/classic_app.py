"""The classic side of the Connect tests, run in its own process (a Connect client process cannot
also hold a classic session): loads what the Connect client saved, saves what the Connect client
then loads, and reports predictions and an input error as JSON in DIR/classic.json."""

import json
import sys
from pathlib import Path

from datasets import digits
from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.linalg import Vectors
from pyspark.sql import SparkSession

import dlmllib
from dlmllib import CNNClassificationModel, CNNClassifier

NET = "conv2d(4, 3, relu); maxpool(2); dense(16, relu)"


def predictions(model, df):
    return [r.prediction for r in model.transform(df).collect()]


def main(out: Path) -> None:
    spark = (
        SparkSession.builder.master("local[1]")
        .config("spark.jars", dlmllib.jar_path())
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    train, test = digits(spark, "train", limit=200), digits(spark, "test", limit=100)
    report = {
        "connect_model": predictions(CNNClassificationModel.load(str(out / "connect_model")), test),
        "connect_pipeline": predictions(PipelineModel.load(str(out / "connect_pipeline")), test),
    }
    cnn = CNNClassifier(inputShape=[1, 8, 8], layers=NET, maxIter=1)
    model = cnn.fit(train)
    model.save(str(out / "classic_model"))
    pipeline = Pipeline(stages=[cnn]).fit(train)
    pipeline.save(str(out / "classic_pipeline"))
    report["classic_model"] = predictions(model, test)
    report["classic_pipeline"] = predictions(pipeline, test)
    bad = spark.createDataFrame([(Vectors.dense([0.0] * 10), 1.0)], ["features", "label"])
    try:
        model.transform(bad).collect()
    except Exception as e:  # noqa: BLE001 - the message is what is reported
        report["error"] = str(e)
    (out / "classic.json").write_text(json.dumps(report))
    spark.stop()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
