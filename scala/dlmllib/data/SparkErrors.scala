package dlmllib.data

import org.apache.spark.SparkException

/** Spark wraps an exception thrown in a task into a SparkException; input errors found while
  * reading rows on executors ([[InputError]], else any IllegalArgumentException such as a rejected
  * label) are rethrown as the IllegalArgumentException they are, so users (and Python) see the
  * column, the row, what was expected and what was found first.
  */
object SparkErrors {

  def unwrapInputErrors[T](body: => T): T =
    try body
    catch {
      case e: SparkException =>
        val causes = Iterator.iterate[Throwable](e)(_.getCause).takeWhile(_ != null).toSeq
        causes
          .collectFirst { case input: InputError => input }
          .orElse(causes.collectFirst { case iae: IllegalArgumentException => iae }) match {
          case Some(input: InputError) =>
            val error = new InputError(input.getMessage)
            error.initCause(e)
            throw error
          case Some(iae) => throw new IllegalArgumentException(iae.getMessage, e)
          case None => throw e
        }
    }
}
