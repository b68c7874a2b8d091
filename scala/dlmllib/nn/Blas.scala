package dlmllib.nn

import dev.ludovic.netlib.blas.{BLAS, JavaBLAS}
import org.slf4j.LoggerFactory

/** The BLAS every kernel calls: netlib's native one (OpenBLAS through JNI) when the machine has it,
  * netlib's pure-Java one otherwise. Logged once per JVM. OpenBLAS reads its thread count from
  * OPENBLAS_NUM_THREADS when it loads; dlmllib's scripts set it to 1 so that each Spark task runs
  * one BLAS thread.
  */
object Blas {
  lazy val blas: BLAS = {
    val b = BLAS.getInstance()
    LoggerFactory
      .getLogger(getClass)
      .info(
        s"dlmllib uses BLAS ${b.getClass.getName}" +
          (if (b.isInstanceOf[JavaBLAS]) " (netlib's Java fallback; install OpenBLAS for speed)"
           else s" (OPENBLAS_NUM_THREADS=${sys.env.getOrElse("OPENBLAS_NUM_THREADS", "unset")})")
      )
    b
  }

  /** netlib's pure-Java BLAS, for tests that compare against the native one. */
  def java: BLAS = JavaBLAS.getInstance()
}
