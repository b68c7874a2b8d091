# Shared by dev/build, dev/test and dev/demo: everything a fresh machine needs beyond Java 17,
# Maven and Python 3, fetched only from Maven Central, PyPI and Debian.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="$(cat "$ROOT/python/dlmllib/VERSION")"
JAR="$ROOT/target/dlmllib_2.13-$VERSION.jar"
WHEEL="$ROOT/dist/dlmllib-$VERSION-py3-none-any.whl"
VENV="$ROOT/.venv"
# The oldest supported Spark, which the jar is compiled against (build.sbt), and the newest release,
# on which dev/test runs the compatibility and Spark Connect suites in a second virtualenv.
SPARK_OLDEST="$(sed -n 's/^val sparkVersion = "\(.*\)".*/\1/p' "$ROOT/build.sbt")"
SPARK_NEWEST=4.3.0
VENV_NEWEST="$ROOT/.venv-newest"
# One OpenBLAS thread per Spark task (several tasks × several BLAS threads oversubscribe cores).
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1

log() { echo "==> $*" >&2; }

# netlib uses OpenBLAS through JNI when libblas.so.3 is OpenBLAS; its Java fallback otherwise.
ensure_openblas() {
  if ldconfig -p 2>/dev/null | grep -q 'libopenblas\.so\.0'; then return; fi
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    log "installing OpenBLAS from Debian"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libopenblas0 >/dev/null
  else
    log "OpenBLAS is missing and cannot be installed here: netlib's Java BLAS will be used (slower)"
  fi
}

# A virtualenv ($1, default .venv) with the wheel just built, pyspark $2 (default the oldest
# supported), the Spark Connect client and the test tools.
ensure_venv() {
  local venv="${1:-$VENV}" spark="${2:-$SPARK_OLDEST}"
  if [[ ! -x "$venv/bin/python" ]]; then
    log "creating $venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install -q --upgrade pip
  fi
  log "installing $(basename "$WHEEL") with pyspark $spark into $venv"
  "$venv/bin/python" -m pip install -q --force-reinstall --no-deps "$WHEEL"
  "$venv/bin/python" -m pip install -q "$WHEEL[test,connect]" "pyspark==$spark"
}
