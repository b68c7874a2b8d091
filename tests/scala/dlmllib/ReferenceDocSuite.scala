package dlmllib

import java.nio.charset.StandardCharsets.UTF_8
import java.nio.file.{Files, Paths}

import dlmllib.classification.{CNNClassifier, RNNClassifier}
import dlmllib.nn.{LayerSpec, Presets, Shape}
import dlmllib.regression.{CNNRegressor, RNNRegressor}
import org.apache.spark.ml.param._
import org.scalatest.funsuite.AnyFunSuite

/** docs/reference.md is generated from the code (params of the four Estimators, preset expansions),
  * so the user guide cannot drift: this suite fails when the file differs from what the code says.
  * Regenerate it with `DLMLLIB_WRITE_REFERENCE=1 build/sbt "testOnly dlmllib.ReferenceDocSuite"`.
  */
class ReferenceDocSuite extends AnyFunSuite {
  private val path = Paths.get("docs", "reference.md")

  test("docs/reference.md is what the code says (params, defaults, docs, presets)") {
    val expected = ReferenceDoc.render()
    if (sys.env.get("DLMLLIB_WRITE_REFERENCE").contains("1"))
      Files.write(path, expected.getBytes(UTF_8))
    val found = new String(Files.readAllBytes(path), UTF_8)
    assert(
      found == expected,
      "docs/reference.md is out of date: regenerate it with " +
        "DLMLLIB_WRITE_REFERENCE=1 build/sbt \"testOnly dlmllib.ReferenceDocSuite\""
    )
  }
}

/** The Markdown of docs/reference.md. */
object ReferenceDoc {
  private val estimators: Seq[Params] =
    Seq(new CNNClassifier(), new CNNRegressor(), new RNNClassifier(), new RNNRegressor())

  def render(): String = {
    val out = new StringBuilder
    out ++= "# dlmllib reference\n\n"
    out ++= "Generated from the code by `tests/scala/dlmllib/ReferenceDocSuite.scala` (which fails " +
      "when this file is out of date); read [the guide](guide.md) first.\n\n"
    out ++= "## Params of the Estimators\n\n"
    out ++= "Every param has a setter on the Estimator (`setMaxIter`, …) and a getter " +
      "(`getMaxIter`, …), in Scala and in Python (where the constructor also takes them as " +
      "keywords). An empty default means unset.\n\n"
    estimators.foreach { e =>
      out ++= s"### ${e.getClass.getSimpleName}\n\n"
      out ++= "| param | type | default | meaning |\n| --- | --- | --- | --- |\n"
      e.params.sortBy(_.name).foreach { p =>
        val default = e.getDefault(p).map(show).getOrElse("")
        out ++= s"| `${p.name}` | ${typeName(p)} | $default | ${escape(p.doc)} |\n"
      }
      out ++= "\n"
    }
    out ++= "## Presets\n\n"
    out ++= "What each value of `layers` that names a preset expands to, for three input shapes " +
      "`[channels, height, width]` (the output layer is appended from the labels).\n\n"
    val shapes = Seq(Shape.of(1, 8, 8), Shape.of(1, 28, 28), Shape.of(3, 32, 32))
    Presets.names.foreach { name =>
      out ++= s"### $name\n\n"
      shapes.foreach { shape =>
        out ++= s"- $shape: `${LayerSpec.print(Presets.resolve(name, shape))}`\n"
      }
      out ++= "\n"
    }
    out.result()
  }

  private def typeName(p: Param[_]): String = p match {
    case _: IntParam => "int"
    case _: LongParam => "long"
    case _: DoubleParam => "double"
    case _: BooleanParam => "boolean"
    case _: IntArrayParam => "int array"
    case _: DoubleArrayParam => "double array"
    case _: StringArrayParam => "string array"
    case _ => "string"
  }

  private def show(value: Any): String = value match {
    case a: Array[_] => a.mkString("[", ", ", "]")
    case s: String => s"`$s`"
    case v => v.toString
  }

  private def escape(text: String): String = text.replace("|", "\\|").replace("\n", " ")
}
