package dlmllib.data

import org.apache.spark.SparkException

/** Spark wraps an exception thrown in a task into a SparkException; input errors found while
  * reading rows on executors are rethrown as the IllegalArgumentException they are, so users (and
  * Python) see what was expected and what was found.
  */
object SparkErrors {

  def unwrapInputErrors[T](body: => T): T =
    try body
    catch {
      case e: SparkException =>
        Iterator
          .iterate[Throwable](e)(_.getCause)
          .takeWhile(_ != null)
          .collectFirst { case iae: IllegalArgumentException => iae } match {
          case Some(iae) => throw new IllegalArgumentException(iae.getMessage, e)
          case None => throw e
        }
    }
}
