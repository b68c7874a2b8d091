package dlmllib.nn

/** Argument checks whose messages reach users verbatim (Predef.require prefixes its own text). */
private[nn] object Arguments {

  /** Throws IllegalArgumentException(`message`) unless `condition`. */
  def check(condition: Boolean, message: => String): Unit =
    if (!condition) throw new IllegalArgumentException(message)
}
