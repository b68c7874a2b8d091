package dlmllib.nn

import java.util.Locale

/** The layer-spec DSL: layers separated by `;`, each `name(arg, …, key=value)`, e.g.
  * {{{
  * conv2d(32, 3, relu); maxpool(2); conv2d(64, 3, relu, padding=same); maxpool(2);
  * dense(128, relu); dropout(0.5)
  * }}}
  * Layer names, keywords and values are case-insensitive; arguments are positional in the order
  * below, or given by keyword in any order after the positional ones:
  *
  *   - `dense(units, activation=linear)`
  *   - `conv2d(filters, kernel, activation=linear, stride=1, padding=valid)`, `conv1d(…)` alike
  *   - `maxpool(size, stride=size)`, `avgpool(size, stride=size)`, `globalavgpool()`
  *   - `flatten()`, `dropout(rate)`, `batchnorm(momentum=0.1, eps=1e-5)`
  *   - `residual(filters, kernel, stride=1)`
  *   - `lstm(units, sequences=false, bidirectional=false)`, `gru(…)`, `rnn(…)`
  *   - `embedding(vocabSize, dim)`
  *
  * Every layer's `toSpec` prints it in this syntax, and printing parses back to equal layers.
  */
object LayerSpec {

  /** Parses a spec into its layers; throws IllegalArgumentException naming the offset, the layer's
    * text and what was expected.
    */
  def parse(spec: String): IndexedSeq[Layer] = LayerSpecSyntax.parse(spec).map { call =>
    def fail(what: String, at: Int): Nothing =
      throw LayerSpecSyntax.error(spec, at, call.text, what)
    val definition = definitions.getOrElse(
      lower(call.name),
      fail(
        s"unknown layer `${call.name}`; expected one of ${layerNames.mkString(", ")}",
        call.offset
      )
    )
    definition.build(definition.bind(call, fail), fail(_, call.offset))
  }

  /** The layers in the DSL, `;`-separated. */
  def print(layers: Seq[Layer]): String = layers.map(_.toSpec).mkString("; ")

  /** The layer names the DSL knows. */
  def layerNames: Seq[String] = definitionList.map(_.name)

  /** Whether `name` is a layer name of the DSL (case-insensitive). */
  def isLayerName(name: String): Boolean = definitions.contains(lower(name))

  private def lower(s: String): String = s.toLowerCase(Locale.ROOT)

  /** How an argument's text becomes a value. */
  private sealed abstract class ValueType(val expected: String) {
    def read(text: String): Option[Any]
  }
  private object IntType extends ValueType("an integer") {
    def read(t: String): Option[Any] = t.toIntOption
  }
  private object DoubleType extends ValueType("a number") {
    def read(t: String): Option[Any] = t.toDoubleOption.filter(d => !d.isNaN && !d.isInfinite)
  }
  private object BooleanType extends ValueType("true or false") {
    def read(t: String): Option[Any] = lower(t).toBooleanOption
  }
  private object ActivationType
      extends ValueType(s"an activation (${Activation.all.map(_.name).mkString(", ")})") {
    def read(t: String): Option[Any] = Activation.all.find(_.name == lower(t))
  }
  private object PaddingType
      extends ValueType(s"a padding (${Padding.all.map(_.name).mkString(", ")})") {
    def read(t: String): Option[Any] = Padding.all.find(_.name == lower(t))
  }

  /** A parameter: its keyword (and accepted aliases), its type, and whether it is required. */
  private final case class Param(
      name: String,
      valueType: ValueType,
      required: Boolean = false,
      aliases: Seq[String] = Nil
  ) {
    def accepts(key: String): Boolean = lower(name) == key || aliases.contains(key)
  }

  /** The typed arguments of one call, by parameter name. */
  private final class Values(values: Map[String, Any]) {
    def int(name: String): Int = values(name).asInstanceOf[Int]
    def int(name: String, default: => Int): Int =
      values.get(name).fold(default)(_.asInstanceOf[Int])
    def double(name: String): Double = values(name).asInstanceOf[Double]
    def double(name: String, default: Double): Double =
      values.get(name).fold(default)(_.asInstanceOf[Double])
    def boolean(name: String, default: Boolean): Boolean =
      values.get(name).fold(default)(_.asInstanceOf[Boolean])
    def activation(name: String, default: Activation): Activation =
      values.get(name).fold(default)(_.asInstanceOf[Activation])
    def padding(name: String, default: Padding): Padding =
      values.get(name).fold(default)(_.asInstanceOf[Padding])
  }

  /** A layer of the DSL: its parameters in positional order and how to build it. */
  private final case class Definition(name: String, params: Seq[Param])(
      make: Values => Layer
  ) {
    private def signature: String = params
      .map(p => if (p.required) p.name else s"${p.name}=…")
      .mkString(s"$name(", ", ", ")")

    /** Types the call's arguments against the parameters. */
    def bind(call: LayerCall, fail: (String, Int) => Nothing): Values = {
      val (positional, keyword) = call.args.span(_.key.isEmpty)
      keyword.find(_.key.isEmpty).foreach { a =>
        fail(s"positional argument `${a.value}` after keyword arguments in $signature", a.offset)
      }
      if (positional.length > params.length)
        fail(
          s"$name takes at most ${params.length} argument${if (params.length == 1) "" else "s"}" +
            s" ($signature), found ${call.args.length}",
          positional(params.length).offset
        )
      val bound = positional.zip(params).map { case (a, p) => p -> a } ++ keyword.map { a =>
        val key = lower(a.key.get)
        val p = params.find(_.accepts(key)).getOrElse {
          val known =
            if (params.isEmpty) s"$name takes no arguments"
            else s"expected one of ${params.map(_.name).mkString(", ")}"
          fail(s"unknown keyword `${a.key.get}` for $name; $known", a.offset)
        }
        p -> a
      }
      bound.groupBy(_._1).foreach { case (p, as) =>
        if (as.length > 1) fail(s"${p.name} of $name is given twice", as(1)._2.offset)
      }
      params.filter(p => p.required && !bound.exists(_._1 == p)).foreach { p =>
        fail(
          s"$name needs its ${p.name} ($signature), found ${call.args.length} argument(s)",
          call.offset
        )
      }
      new Values(bound.map { case (p, a) =>
        p.name -> p.valueType
          .read(a.value)
          .getOrElse(
            fail(
              s"expected ${p.valueType.expected} for ${p.name}, found `${a.value}`",
              a.valueOffset
            )
          )
      }.toMap)
    }

    /** The layer, with the constructor's own checks reported at the call. */
    def build(values: Values, fail: String => Nothing): Layer =
      try make(values)
      catch { case e: IllegalArgumentException => fail(e.getMessage) }
  }

  private def conv(name: String)(make: (Int, Int, Activation, Int, Padding) => Layer) =
    Definition(
      name,
      Seq(
        Param("filters", IntType, required = true),
        Param("kernel", IntType, required = true, aliases = Seq("kernel_size", "kernelsize")),
        Param("activation", ActivationType),
        Param("stride", IntType),
        Param("padding", PaddingType)
      )
    ) { v =>
      make(
        v.int("filters"),
        v.int("kernel"),
        v.activation("activation", Linear),
        v.int("stride", 1),
        v.padding("padding", Valid)
      )
    }

  private def pool(name: String)(make: (Int, Int) => Layer) =
    Definition(name, Seq(Param("size", IntType, required = true), Param("stride", IntType))) { v =>
      make(v.int("size"), v.int("stride", v.int("size")))
    }

  private def recurrent(cell: String) = Definition(
    cell,
    Seq(
      Param("units", IntType, required = true, aliases = Seq("hidden", "hiddensize")),
      Param("sequences", BooleanType, aliases = Seq("returnsequences", "return_sequences")),
      Param("bidirectional", BooleanType)
    )
  ) { v =>
    Recurrent(
      cell,
      v.int("units"),
      v.boolean("sequences", false),
      v.boolean("bidirectional", false)
    )
  }

  private val definitionList: Seq[Definition] = Seq(
    Definition(
      "dense",
      Seq(Param("units", IntType, required = true), Param("activation", ActivationType))
    )(v => Dense(v.int("units"), v.activation("activation", Linear))),
    conv("conv2d")(Conv2D(_, _, _, _, _)),
    conv("conv1d")(Conv1D(_, _, _, _, _)),
    pool("maxpool")(MaxPool2D(_, _)),
    pool("avgpool")(AvgPool2D(_, _)),
    Definition("globalavgpool", Nil)(_ => GlobalAvgPool()),
    Definition("flatten", Nil)(_ => Flatten()),
    Definition("dropout", Seq(Param("rate", DoubleType, required = true)))(v =>
      Dropout(v.double("rate"))
    ),
    Definition("batchnorm", Seq(Param("momentum", DoubleType), Param("eps", DoubleType))) { v =>
      val defaults = BatchNorm()
      BatchNorm(v.double("momentum", defaults.momentum), v.double("eps", defaults.eps))
    },
    Definition(
      "residual",
      Seq(
        Param("filters", IntType, required = true),
        Param("kernel", IntType, required = true, aliases = Seq("kernel_size", "kernelsize")),
        Param("stride", IntType)
      )
    )(v => Residual(v.int("filters"), v.int("kernel"), v.int("stride", 1))),
    recurrent("lstm"),
    recurrent("gru"),
    recurrent("rnn"),
    Definition(
      "embedding",
      Seq(
        Param("vocabsize", IntType, required = true, aliases = Seq("vocab")),
        Param("dim", IntType, required = true)
      )
    )(v => Embedding(v.int("vocabsize"), v.int("dim")))
  )

  /** Names and their aliases (`maxpool2d`, `avgpool2d`, `batchnorm2d`) to definitions. */
  private val definitions: Map[String, Definition] = {
    val byName = definitionList.map(d => d.name -> d).toMap
    byName ++ Map(
      "maxpool2d" -> byName("maxpool"),
      "avgpool2d" -> byName("avgpool"),
      "globalavgpool2d" -> byName("globalavgpool"),
      "batchnorm2d" -> byName("batchnorm")
    )
  }
}
