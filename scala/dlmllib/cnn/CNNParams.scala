package dlmllib.cnn

import dlmllib.param.TrainingParams
import org.apache.spark.ml.param.{IntArrayParam, Param}

/** Params of the CNN Estimators and Models. */
trait CNNParams extends TrainingParams {

  /** Shape `[channels, height, width]` of a features vector or array (CHW order, flattened). Not
    * needed for image structs from `spark.read.format("image")`, whose size is read from the data.
    */
  final val inputShape: IntArrayParam = new IntArrayParam(
    this,
    "inputShape",
    "[channels, height, width] of a flat features vector (CHW order); not needed for image structs",
    (a: Array[Int]) => a.length == 3 && a.forall(_ > 0)
  )

  final def getInputShape: Array[Int] = $(inputShape)

  /** A preset name (lenet5, vgg, resnet) or a layer spec; the output layer is appended. Default
    * lenet5, which adapts to the input size.
    */
  final val layers: Param[String] = new Param[String](
    this,
    "layers",
    "a preset (lenet5, vgg, resnet) or a layer spec such as " +
      "'conv2d(32, 3, relu); maxpool(2); dense(128, relu)'; the output layer is appended",
    (s: String) => s.trim.nonEmpty
  )

  final def getLayers: String = $(layers)

  setDefault(layers -> "lenet5")
}
