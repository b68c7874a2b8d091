package dlmllib.ml

import dlmllib.nn.{Arguments, Network}
import org.apache.spark.sql.SparkSession
import org.slf4j.LoggerFactory

/** Starting a fit from a saved model (the initialModel param) and freezing layers (frozenLayers).
  */
private[dlmllib] object FineTuning {
  private val log = LoggerFactory.getLogger(getClass)

  /** Initial weights for `network` from the model saved at `path`: every layer takes the saved
    * weights of the same layer (same spec and input shape); the output layer, when it differs (new
    * classes), keeps its fresh initialisation from `seed`. Any other difference fails.
    */
  def initialWeights(
      path: String,
      spark: SparkSession,
      network: Network,
      seed: Long
  ): Array[Float] = {
    val (saved, savedWeights) = NetworkModelIO.loadNetwork(path, spark)
    def describe(n: Network) = s"${n.toSpec} on inputs of shape ${n.inputShape}"
    Arguments.check(
      saved.layers.length == network.layers.length,
      s"initialModel `$path` holds ${saved.layers.length} layers, this fit builds " +
        s"${network.layers.length}: the saved network is ${describe(saved)}, this one " +
        describe(network)
    )
    val w = network.initWeights(seed)
    val last = network.layers.length - 1
    network.layers.indices.foreach { i =>
      val same = saved.layers(i).toSpec == network.layers(i).toSpec &&
        saved.shapes(i) == network.shapes(i)
      if (same) {
        val (from, n) = saved.layerWeights(i)
        System.arraycopy(savedWeights, from, w, network.layerWeights(i)._1, n)
      } else if (i == last)
        log.info(
          s"initialModel `$path`: output layer `${saved.layers(i).toSpec}` replaced by " +
            s"`${network.layers(i).toSpec}`, initialised afresh"
        )
      else
        throw new IllegalArgumentException(
          s"initialModel `$path`: layer $i is `${saved.layers(i).toSpec}` on inputs of shape " +
            s"${saved.shapes(i)}, this fit's layer $i is `${network.layers(i).toSpec}` on " +
            s"${network.shapes(i)}; only the output layer may differ"
        )
    }
    w
  }

  /** Fails unless every index of `frozen` is a layer of `network`. */
  def checkFrozen(frozen: Seq[Int], network: Network): Unit =
    frozen.foreach { i =>
      Arguments.check(
        i < network.layers.length,
        s"frozenLayers: layer $i does not exist, the network ${network.toSpec} has " +
          s"${network.layers.length} layers (0 to ${network.layers.length - 1})"
      )
    }
}
