package dlmllib.nn

/** Argument checks whose messages reach users verbatim (Predef.require prefixes "requirement
  * failed: " to them). Every check of dlmllib goes through it.
  */
object Arguments {

  /** Throws IllegalArgumentException(`message`) unless `condition`. */
  def check(condition: Boolean, message: => String): Unit =
    if (!condition) throw new IllegalArgumentException(message)

  /** Whether every value is finite (no NaN, no infinity): the weights a model may be saved or
    * trained on with.
    */
  def allFinite(values: Array[Float]): Boolean = {
    var i = 0
    while (i < values.length) {
      val x = values(i)
      if (x.isNaN || x.isInfinite) return false
      i += 1
    }
    true
  }
}
