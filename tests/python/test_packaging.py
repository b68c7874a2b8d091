"""The wheel's jar and its use through spark-submit --jars."""

import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import dlmllib


def test_jar_path_points_at_the_dlmllib_jar():
    jar = Path(dlmllib.jar_path())
    assert jar.is_absolute() and jar.is_file()
    with zipfile.ZipFile(jar) as z:
        names = z.namelist()
    assert "dlmllib/classification/CNNClassifier.class" in names
    # The jar carries dlmllib only: Spark and Scala come from the Spark installation. (Two
    # bridges to Spark's package-private helpers sit in dlmllib subpackages of Spark's.)
    foreign = [
        n
        for n in names
        if n.endswith(".class") and not n.startswith("dlmllib/") and "/dlmllib/" not in n
    ]
    assert foreign == []


def test_spark_submit_with_jars_loads_a_dlmllib_class(tmp_path):
    app = tmp_path / "app.py"
    app.write_text(
        textwrap.dedent(
            """
            from pyspark.sql import SparkSession
            from dlmllib import CNNClassifier
            spark = SparkSession.builder.master("local[1]").getOrCreate()
            cnn = CNNClassifier(layers="conv2d(4, 3, relu); maxpool(2)", maxIter=3)
            cnn._transfer_params_to_java()
            print("UID", cnn._java_obj.uid(), cnn._java_obj.getClass().getName())
            print("MAXITER", cnn._java_obj.getMaxIter())
            spark.stop()
            """
        )
    )
    spark_submit = Path(sys.executable).parent / "spark-submit"
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable)
    out = subprocess.run(
        [str(spark_submit), "--jars", dlmllib.jar_path(), str(app)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert "dlmllib.classification.CNNClassifier" in out.stdout
    assert "MAXITER 3" in out.stdout
