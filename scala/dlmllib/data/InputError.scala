package dlmllib.data

/** A value of an input row that cannot be read: the message names the column, the row, what was
  * expected and what was found. An IllegalArgumentException (Python sees one);
  * [[SparkErrors.unwrapInputErrors]] rethrows it on the driver out of Spark's task failure.
  */
final class InputError(message: String) extends IllegalArgumentException(message)
