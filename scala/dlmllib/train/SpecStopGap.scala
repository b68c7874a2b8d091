package dlmllib.train

import dlmllib.nn.{Activation, Dense, Layer, Shape}

// TEMPORARY stop-gap until optim-dsl's LayerSpec.parse / Presets.resolve land: dense layers only.
private[dlmllib] object SpecStopGap {
  private val DenseCall = """dense\(\s*(\d+)\s*(?:,\s*(\w+)\s*)?\)""".r

  def parse(spec: String): IndexedSeq[Layer] =
    spec.split(";").map(_.trim).filter(_.nonEmpty).toIndexedSeq.map {
      case DenseCall(n, null) => Dense(n.toInt)
      case DenseCall(n, a) => Dense(n.toInt, Activation.all.find(_.name == a).get)
      case other => throw new IllegalArgumentException(s"stop-gap parser: unknown layer `$other`")
    }

  def resolve(spec: String, shape: Shape): IndexedSeq[Layer] =
    if (spec == "lenet5") parse("dense(128, relu); dense(64, relu)") else parse(spec)
}
