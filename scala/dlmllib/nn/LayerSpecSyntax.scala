package dlmllib.nn

/** One `name(arg, …, key=value)` of a layer spec, before its arguments are typed. Offsets are
  * 0-based character offsets into the whole spec, for error messages.
  */
private[nn] final case class LayerCall(
    name: String,
    args: IndexedSeq[LayerCall.Arg],
    text: String,
    offset: Int
)

private[nn] object LayerCall {

  /** A positional argument (`key` None) or a keyword argument, as written, with the offsets of the
    * argument and of its value.
    */
  final case class Arg(key: Option[String], value: String, offset: Int, valueOffset: Int)
}

/** The syntax of the layer-spec DSL: layers separated by `;` (a trailing `;` is allowed), each
  * `name`, `name()` or `name(arg, …, key=value)`. Whitespace is free between tokens; names, keys
  * and values are returned as written (the caller lowercases).
  */
private[nn] object LayerSpecSyntax {

  /** Splits `spec` into layer calls; throws IllegalArgumentException at the first syntax error,
    * naming its offset, the layer's text and what was expected.
    */
  def parse(spec: String): IndexedSeq[LayerCall] = {
    Arguments.check(spec != null, "a layer spec is required, found null")
    val starts = 0 +: spec.indices.filter(spec(_) == ';').map(_ + 1)
    val ends = starts.tail.map(_ - 1) :+ spec.length
    val segments = starts.zip(ends)
    if (segments.forall { case (s, e) => spec.substring(s, e).trim.isEmpty })
      throw error(spec, 0, spec, "the spec is empty; expected layers such as `dense(64, relu)`")
    // A trailing `;` (whitespace after it only) ends the last layer, it does not open an empty one.
    val used = if (spec.substring(starts.last).trim.isEmpty) segments.init else segments
    used.map { case (s, e) => new Segment(spec, s, e).call() }
  }

  private[nn] def error(spec: String, offset: Int, layerText: String, what: String) =
    new IllegalArgumentException(
      s"invalid layer spec at offset $offset (in layer `${layerText.trim}`): $what"
    )

  /** A scanner over `spec(start until end)`, one layer. */
  private final class Segment(spec: String, start: Int, end: Int) {
    private val text = spec.substring(start, end)
    private var pos = start

    private def fail(what: String, at: Int = pos) = throw error(spec, at, text, what)
    private def atEnd: Boolean = pos >= end
    private def peek: Char = spec(pos)
    private def found: String = if (atEnd) foundEnd else s"`$peek`"
    private def foundEnd: String = if (end < spec.length) "`;`" else "the end of the spec"
    private def skipSpace(): Unit = while (!atEnd && peek.isWhitespace) pos += 1

    private def identifier(): String = {
      val from = pos
      while (!atEnd && (peek.isLetterOrDigit || peek == '_')) pos += 1
      spec.substring(from, pos)
    }

    def call(): LayerCall = {
      skipSpace()
      if (atEnd) fail("empty layer; expected a layer such as `dense(64, relu)` between the `;`")
      val nameAt = pos
      if (!peek.isLetter) fail(s"expected a layer name, found $found")
      val name = identifier()
      skipSpace()
      val args =
        if (atEnd) IndexedSeq.empty
        else if (peek == '(') { pos += 1; arguments(nameAt) }
        else if (peek == ')') fail(s"unbalanced parentheses: `)` without `(` after `$name`")
        else fail(s"expected `(` after the layer name `$name`, found $found")
      skipSpace()
      if (!atEnd) {
        if (peek == ')') fail("unbalanced parentheses: one `)` too many")
        else fail(s"expected `;` or the end of the spec after `)`, found $found")
      }
      LayerCall(name, args, text.trim, nameAt)
    }

    /** After `(`: arguments up to and including the closing `)`. */
    private def arguments(nameAt: Int): IndexedSeq[LayerCall.Arg] = {
      val open = pos - 1
      val args = IndexedSeq.newBuilder[LayerCall.Arg]
      skipSpace()
      if (!atEnd && peek == ')') { pos += 1; return args.result() }
      var done = false
      while (!done) {
        args += argument(open)
        skipSpace()
        if (atEnd)
          fail(s"unbalanced parentheses: `(` at offset $open is not closed before $foundEnd")
        else if (peek == ',') pos += 1
        else if (peek == ')') { pos += 1; done = true }
        else if (peek == '(') fail("unexpected `(`: arguments are numbers or names, not calls")
        else fail(s"expected `,` or `)` after an argument, found $found")
      }
      args.result()
    }

    private def argument(open: Int): LayerCall.Arg = {
      skipSpace()
      val at = pos
      val first = token()
      skipSpace()
      if (!atEnd && peek == '=') {
        if (first.isEmpty) fail("expected a keyword before `=`")
        if (!first.forall(c => c.isLetterOrDigit || c == '_') || !first.head.isLetter)
          fail(s"expected a keyword name before `=`, found `$first`", at)
        pos += 1
        skipSpace()
        val valueAt = pos
        val value = token()
        if (value.isEmpty) fail(s"expected a value after `$first=`, found $found")
        LayerCall.Arg(Some(first), value, at, valueAt)
      } else {
        if (first.isEmpty) {
          if (atEnd)
            fail(s"unbalanced parentheses: `(` at offset $open is not closed before $foundEnd")
          else fail(s"expected an argument, found $found")
        }
        LayerCall.Arg(None, first, at, at)
      }
    }

    /** The characters up to the next delimiter or whitespace. */
    private def token(): String = {
      val from = pos
      while (!atEnd && !peek.isWhitespace && !"(),=".contains(peek)) pos += 1
      spec.substring(from, pos)
    }
  }
}
