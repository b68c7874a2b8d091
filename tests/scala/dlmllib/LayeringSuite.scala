package dlmllib

import java.nio.file.{Files, Path, Paths}

import scala.jdk.CollectionConverters._

import org.scalatest.funsuite.AnyFunSuite

/** The packages are floors (docs/DESIGN.md): each may use the ones below it, never one above or a
  * sibling. Checked on the sources, so that a new import that runs back up fails the build.
  */
class LayeringSuite extends AnyFunSuite {

  /** Each package and the dlmllib packages it may use. */
  private val allowed: Map[String, Set[String]] = {
    val engine = Set("nn", "optim", "engine")
    val data = engine + "data"
    val training = data + "distributed"
    val families = data ++ Set("param", "cnn", "rnn")
    val ml = training ++ families + "ml"
    Map(
      "nn" -> Set("nn"),
      "optim" -> Set("nn", "optim"),
      "engine" -> engine,
      "data" -> data,
      "distributed" -> training,
      "param" -> Set("nn", "optim", "param"),
      "cnn" -> (families - "rnn"),
      "rnn" -> (families - "cnn"),
      "ml" -> ml,
      "classification" -> (ml + "classification"),
      "regression" -> (ml + "regression")
    )
  }

  private val reference = """\bdlmllib\.([a-z]+)\b""".r

  private def sources(dir: Path): Seq[Path] =
    Files.walk(dir).iterator().asScala.filter(_.toString.endsWith(".scala")).toSeq

  test("every package of scala/dlmllib is a known floor") {
    val packages =
      Files.list(Paths.get("scala/dlmllib")).iterator().asScala.map(_.getFileName.toString)
    assert(packages.toSet == allowed.keySet)
  }

  test("no package uses one above it or a sibling") {
    val violations = for {
      (pkg, may) <- allowed.toSeq
      file <- sources(Paths.get("scala/dlmllib", pkg))
      (line, n) <- Files.readAllLines(file).asScala.zipWithIndex
      code = line.replaceAll("//.*|^\\s*\\*.*|/\\*\\*.*", "")
      m <- reference.findAllMatchIn(code)
      used = m.group(1) if !may(used)
    } yield s"$file:${n + 1} ($pkg uses $used)"
    assert(violations.isEmpty, violations.mkString("\n"))
  }

  test("checks go through nn.Arguments, whose messages reach users without a prefix") {
    val requires = for {
      file <- sources(Paths.get("scala"))
      (line, n) <- Files.readAllLines(file).asScala.zipWithIndex if line.contains("require(")
    } yield s"$file:${n + 1}: ${line.trim}"
    assert(requires.isEmpty, requires.mkString("\n"))
  }

  test("the engine floors (nn, optim, engine) import nothing of Spark") {
    val spark = for {
      pkg <- Seq("nn", "optim", "engine")
      file <- sources(Paths.get("scala/dlmllib", pkg))
      line <- Files.readAllLines(file).asScala if line.startsWith("import org.apache.spark")
    } yield s"$file: $line"
    assert(spark.isEmpty, spark.mkString("\n"))
  }
}
