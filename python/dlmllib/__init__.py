"""dlmllib: convolutional and recurrent neural networks for Apache Spark ML.

Start Spark with the bundled jar on its classpath::

    import dlmllib
    spark = SparkSession.builder.config("spark.jars", dlmllib.jar_path()).getOrCreate()
"""

import os
from pathlib import Path

__version__ = (Path(__file__).resolve().parent / "VERSION").read_text().strip()

# One OpenBLAS thread per Spark task: the JVM that PySpark starts inherits this environment.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

_JAR_NAME = f"dlmllib_2.13-{__version__}.jar"


def jar_path() -> str:
    """Absolute path of the dlmllib jar shipped inside this package."""
    jar = Path(__file__).resolve().parent / "jars" / _JAR_NAME
    if not jar.is_file():
        raise FileNotFoundError(
            f"the dlmllib jar is missing at {jar}. In a source checkout run ./dev/build, which "
            "compiles it and copies it there (an editable install then finds it), or install the "
            "wheel from dist/."
        )
    return str(jar)


from dlmllib.classification import (  # noqa: E402
    CNNClassificationModel,
    CNNClassifier,
    RNNClassificationModel,
    RNNClassifier,
)
from dlmllib.regression import (  # noqa: E402
    CNNRegressionModel,
    CNNRegressor,
    RNNRegressionModel,
    RNNRegressor,
)

__all__ = [
    "CNNClassifier",
    "CNNClassificationModel",
    "CNNRegressor",
    "CNNRegressionModel",
    "RNNClassifier",
    "RNNClassificationModel",
    "RNNRegressor",
    "RNNRegressionModel",
    "jar_path",
    "__version__",
]
