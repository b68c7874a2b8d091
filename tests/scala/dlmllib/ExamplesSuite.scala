package dlmllib

import dlmllib.testing.SparkTestSession
import examples.{CNNDigits, JavaCNNDigits}
import org.scalatest.funsuite.AnyFunSuite

/** The Scala and Java programs of examples/ run as a user would run them, on the bundled digits. */
class ExamplesSuite extends AnyFunSuite with SparkTestSession {
  private val digits = "data/digits_8x8.parquet"

  test("examples/scala/CNNDigits trains, saves and reloads a model that reaches 90%") {
    val accuracy = CNNDigits.run(spark, digits, epochs = 5)
    assert(accuracy >= 0.9, s"test accuracy $accuracy")
  }

  test("examples/java/JavaCNNDigits chains the setters, trains, saves and reloads: 90%") {
    val accuracy = JavaCNNDigits.run(spark, digits, 5)
    assert(accuracy >= 0.9, s"test accuracy $accuracy")
  }
}
