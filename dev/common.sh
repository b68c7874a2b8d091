# Shared by dev/build, dev/test and dev/demo: everything a fresh machine needs beyond Java 17,
# Maven and Python 3, fetched only from Maven Central, PyPI and Debian.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="$(cat "$ROOT/python/dlmllib/VERSION")"
JAR="$ROOT/target/dlmllib_2.13-$VERSION.jar"
WHEEL="$ROOT/dist/dlmllib-$VERSION-py3-none-any.whl"
VENV="$ROOT/.venv"
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

# A virtualenv with the wheel just built, pyspark pinned by it, and the test tools.
ensure_venv() {
  if [[ ! -x "$VENV/bin/python" ]]; then
    log "creating $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip
  fi
  log "installing $(basename "$WHEEL") into $VENV"
  "$VENV/bin/python" -m pip install -q --force-reinstall --no-deps "$WHEEL"
  "$VENV/bin/python" -m pip install -q "$WHEEL[test]"
}
