package dlmllib.engine

import java.util.concurrent.{
  BrokenBarrierException,
  Callable,
  ExecutionException,
  Executors,
  ThreadFactory
}
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
    * throws only when every part has finished, since the caller reuses their buffers. An error of a
    * part is rethrown as it was thrown; of several, the first that is not a BrokenBarrierException
    * (parts that wait for each other get one when another fails).
    */
  def all[T](parts: Seq[Callable[T]]): Seq[T] = {
    val others = parts.drop(1).map(pool.submit(_))
    val results = Try(parts.head.call()) +: others.map { f =>
      Try(f.get()).recoverWith {
        case e: ExecutionException if e.getCause != null =>
          Failure(e.getCause)
      }
    }
    val errors = results.collect { case Failure(e) => e }
    errors.find(!_.isInstanceOf[BrokenBarrierException]).orElse(errors.headOption).foreach(throw _)
    results.map(_.get)
  }
}
