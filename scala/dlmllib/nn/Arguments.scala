package dlmllib.nn

/** Argument checks whose messages reach users verbatim (Predef.require prefixes "requirement
  * failed: " to them). Every check of dlmllib goes through it.
  */
object Arguments {

  /** Throws IllegalArgumentException(`message`) unless `condition`. */
  def check(condition: Boolean, message: => String): Unit =
    if (!condition) throw new IllegalArgumentException(message)
}
