package dlmllib.nn

import java.util.Locale

/** Named CNN architectures that adapt to the input shape `[channels, height, width]`. Each returns
  * the hidden layers only: the models append their output layer. Sizes below are `h × w`, the
  * spatial size entering a layer; every rule is applied to both axes.
  */
object Presets {

  /** LeNet-5 (LeCun et al., 1998) with ReLU:
    * {{{
    * conv2d(6, 5, relu, padding=same|valid); maxpool(2);
    * conv2d(16, 5, relu, padding=valid|same); maxpool(2);
    * dense(120, relu); dense(84, relu)
    * }}}
    * The first conv is `valid` from 32×32 up (the classic input) and `same` below, so 28×28 MNIST
    * gets the usual 28 → 14 → 10 → 5; the second conv is `same` when a valid 5×5 window would leave
    * less than 2×2 (8×8 digits: 8 → 4 → 4 → 2). A pool is dropped where the size is below 2.
    */
  def lenet5(inputShape: Shape): IndexedSeq[Layer] = {
    var size = spatial("lenet5", inputShape)
    val layers = IndexedSeq.newBuilder[Layer]
    def conv(filters: Int, padding: Padding): Unit = {
      layers += Conv2D(filters, 5, Relu, padding = padding)
      size = size.map(padding.outputLength(_, 5, 1))
    }
    def pool(): Unit = if (size.min >= 2) { layers += MaxPool2D(2, 2); size = size.map(_ / 2) }
    conv(6, if (size.min >= 32) Valid else Same)
    pool()
    conv(16, if (size.min >= 6) Valid else Same)
    pool()
    layers += Dense(120, Relu)
    layers += Dense(84, Relu)
    layers.result()
  }

  /** VGG-style (Simonyan & Zisserman, 2014), one 3×3 conv per block:
    * {{{
    * [conv2d(c, 3, relu, padding=same); batchnorm(); maxpool(2)] × blocks;
    * dense(128, relu); dropout(0.5)
    * }}}
    * with c = 32, 64, 128, 256, 256 … and a block added while the size is at least 4, so the last
    * pool leaves at least 2×2 (at most 5 blocks): 8×8 → 2 blocks (2×2), 28×28 → 3 (3×3), 32×32 → 4
    * (2×2).
    */
  def vgg(inputShape: Shape): IndexedSeq[Layer] = {
    var size = spatial("vgg", inputShape)
    val layers = IndexedSeq.newBuilder[Layer]
    var block = 0
    while (size.min >= 4 && block < 5) {
      val channels = math.min(32 << block, 256)
      layers += Conv2D(channels, 3, Relu, padding = Same)
      layers += BatchNorm()
      layers += MaxPool2D(2, 2)
      size = size.map(_ / 2)
      block += 1
    }
    if (block == 0) layers += Conv2D(32, 3, Relu, padding = Same) += BatchNorm()
    layers += Dense(128, Relu)
    layers += Dropout(0.5)
    layers.result()
  }

  /** ResNet-style (He et al., 2016), like the CIFAR ResNets:
    * {{{
    * conv2d(16, 3, relu, padding=same); batchnorm();
    * residual(16, 3); [residual(c, 3, stride=2)] × stages; globalavgpool()
    * }}}
    * with c = 32, 64, 128 and a downsampling stage added while the size is at least 8 (so it ends
    * at 4×4 or more): 8×8 → 1 stage (4×4), 28×28 → 2 (7×7), 32×32 → 3 (4×4).
    */
  def resnet(inputShape: Shape): IndexedSeq[Layer] = {
    var size = spatial("resnet", inputShape)
    val layers = IndexedSeq.newBuilder[Layer]
    layers += Conv2D(16, 3, Relu, padding = Same) += BatchNorm() += Residual(16, 3)
    var stage = 0
    while (size.min >= 8 && stage < 3) {
      layers += Residual(32 << stage, 3, stride = 2)
      size = size.map(s => (s + 1) / 2)
      stage += 1
    }
    layers += GlobalAvgPool()
    layers.result()
  }

  private val presets: Map[String, Shape => IndexedSeq[Layer]] =
    Map("lenet5" -> lenet5, "vgg" -> vgg, "resnet" -> resnet)

  /** The preset names, for messages and docs. */
  val names: Seq[String] = Seq("lenet5", "vgg", "resnet")

  /** The layers of a preset name (case-insensitive) or of a layer spec, for `inputShape`. */
  def resolve(nameOrSpec: String, inputShape: Shape): IndexedSeq[Layer] = {
    Arguments.check(nameOrSpec != null, "layers must be a preset name or a layer spec, found null")
    val key = nameOrSpec.trim.toLowerCase(Locale.ROOT)
    presets.get(key) match {
      case Some(preset) => preset(inputShape)
      case None if key.nonEmpty && key.forall(_.isLetterOrDigit) && !LayerSpec.isLayerName(key) =>
        throw new IllegalArgumentException(
          s"unknown preset `${nameOrSpec.trim}`; expected a preset (${names.mkString(", ")}) " +
            s"or a layer spec such as `conv2d(32, 3, relu); maxpool(2); dense(128, relu)`"
        )
      case None => LayerSpec.parse(nameOrSpec)
    }
  }

  /** The `[height, width]` of an image shape, checked. */
  private def spatial(preset: String, shape: Shape): Seq[Int] = {
    Arguments.check(
      shape.rank == 3,
      s"the $preset preset needs an image input shape [channels, height, width], found $shape"
    )
    Seq(shape(1), shape(2))
  }
}
