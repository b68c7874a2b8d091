#!/usr/bin/env bash
# The MNIST example through spark-submit, with the jar the dlmllib wheel ships:
#   examples/spark_submit.sh [--epochs 3]
# Uses .venv (made by ./dev/demo or ./dev/test) unless PYTHON names another interpreter.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
python="${PYTHON:-.venv/bin/python}"
jar="$("$python" -c 'import dlmllib; print(dlmllib.jar_path())')"
export PYSPARK_PYTHON="$python"
exec "$(dirname "$python")/spark-submit" --master "local[2]" --jars "$jar" examples/cnn_mnist.py "$@"
