package dlmllib.ml

import scala.collection.mutable.ArrayBuffer

import dlmllib.classification.CNNClassifier
import dlmllib.regression.RNNRegressor
import dlmllib.testing.SparkTestSession
import org.apache.logging.log4j.{Level, LogManager}
import org.apache.logging.log4j.core.{LogEvent, Logger}
import org.apache.logging.log4j.core.appender.AbstractAppender
import org.apache.logging.log4j.core.config.Property
import org.apache.spark.ml.linalg.Vectors
import org.scalatest.funsuite.AnyFunSuite

/** A fit logs its stage, params and input through Spark's `Instrumentation`, as Spark's own
  * Estimators do.
  */
class InstrumentationSuite extends AnyFunSuite with SparkTestSession {

  /** The messages Spark's Instrumentation logs while `body` runs. */
  private def instrumentationLog(body: => Unit): Seq[String] = {
    val logger =
      LogManager.getLogger("org.apache.spark.ml.util.Instrumentation").asInstanceOf[Logger]
    val messages = ArrayBuffer.empty[String]
    val appender = new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
      override def append(event: LogEvent): Unit =
        messages.synchronized(messages += event.getMessage.getFormattedMessage)
    }
    appender.start()
    val level = logger.getLevel
    logger.addAppender(appender)
    logger.setLevel(Level.INFO)
    try body
    finally { logger.removeAppender(appender); logger.setLevel(level) }
    messages.synchronized(messages.toSeq)
  }

  test("fit logs the stage, the params that were set and the network") {
    val rows = (0 until 8).map(i => (Vectors.dense(i % 2, 1.0, 0.0, 1.0), (i % 2).toDouble))
    val df = spark.createDataFrame(rows).toDF("features", "label")
    val cnn = new CNNClassifier().setInputShape(Array(1, 2, 2)).setLayers("dense(3)").setMaxIter(2)
    val log = instrumentationLog(cnn.fit(df))
    assert(log.exists(_.contains(cnn.uid)), log)
    assert(
      log.exists(m => m.contains("\"maxIter\":2") && m.contains("\"layers\":\"dense(3)\"")),
      log
    )
    assert(log.exists(_.contains("dense(3); dense(2)")), log)
  }

  test("a failing fit is logged as such") {
    val df = spark.createDataFrame(Seq((Vectors.dense(1.0, 2.0), 1.0))).toDF("features", "label")
    val rnn = new RNNRegressor().setInputShape(Array(3, 1)).setMaxIter(1)
    var error: IllegalArgumentException = null
    val log = instrumentationLog { error = intercept[IllegalArgumentException](rnn.fit(df)) }
    assert(error.getMessage.contains("[3, 1]"))
    assert(log.exists(_.contains(error.getMessage)), log)
  }
}
