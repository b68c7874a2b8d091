package dlmllib.engine

import java.util.concurrent.{Callable, ExecutionException, Executors, ThreadFactory}
import java.util.concurrent.atomic.AtomicInteger

import scala.util.{Failure, Try}

/** Threads for work that one Spark task cuts into parts (the slices of a batch), shared by the
  * whole JVM; idle ones end after a minute.
  */
private[dlmllib] object Workers {
  private val pool = Executors.newCachedThreadPool(new ThreadFactory {
    private val count = new AtomicInteger()
    def newThread(r: Runnable): Thread = {
      val t = new Thread(r, s"dlmllib-worker-${count.incrementAndGet()}")
      t.setDaemon(true)
      t
    }
  })

  /** The results of `parts`, run at once (the first on the calling thread), in order. Returns or
    * throws only when every part has finished, since the caller reuses their buffers; an error of
    * any part is rethrown as it was thrown.
    */
  def all[T](parts: Seq[Callable[T]]): Seq[T] = {
    val others = parts.drop(1).map(pool.submit(_))
    val first = Try(parts.head.call())
    (first +: others.map(f => Try(f.get()))).map {
      case Failure(e: ExecutionException) if e.getCause != null => throw e.getCause
      case result => result.get
    }
  }
}
