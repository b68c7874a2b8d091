package dlmllib.cnn

import dlmllib.data.{Columns, FlatReader, InputReader}
import dlmllib.nn.{Arguments, Dense, Layer, Network, Presets, Shape}
import org.apache.spark.sql.Dataset
import org.apache.spark.sql.functions.col
import org.apache.spark.sql.types.{DataType, StructType}

/** How the CNN Estimators and Models read their features column and build their network. */
object CNNInput {

  /** The shape of a sample: inputShape for flat columns, the first image's size for images. */
  def shape(dataset: Dataset[_], column: String, inputShape: Option[Array[Int]]): Shape = {
    val dataType = columnType(dataset.schema, column)
    if (ImageReader.accepts(dataType)) {
      val first = dataset
        .select(col(s"$column.nChannels"), col(s"$column.height"), col(s"$column.width"))
        .where(col(column).isNotNull)
        .head(1)
      if (first.isEmpty)
        throw new IllegalArgumentException(s"featuresCol `$column` holds no image, only nulls")
      val found = Shape.of(first(0).getInt(0), first(0).getInt(1), first(0).getInt(2))
      inputShape.foreach { s =>
        Arguments.check(
          Shape(s.toIndexedSeq) == found,
          s"inputShape ${Shape(s.toIndexedSeq)} does not match the images of featuresCol `$column`, " +
            s"[channels, height, width] = $found; leave inputShape unset for image columns"
        )
      }
      found
    } else
      Shape(
        inputShape
          .getOrElse(
            throw new IllegalArgumentException(
              s"featuresCol `$column` holds flat ${dataType.simpleString} values: set inputShape " +
                "to their [channels, height, width] (e.g. [1, 28, 28] for 784 gray pixels)"
            )
          )
          .toIndexedSeq
      )
  }

  /** The reader of `column` for samples of `shape`. */
  def reader(schema: StructType, column: String, shape: Shape): InputReader = {
    val dataType = columnType(schema, column)
    if (ImageReader.accepts(dataType)) ImageReader(column, shape) else FlatReader(column, shape)
  }

  /** Fails unless `column` exists and holds vectors, numeric arrays or image structs. */
  def columnType(schema: StructType, column: String): DataType = {
    val field = Columns.field(schema, "featuresCol", column)
    Arguments.check(
      FlatReader.accepts(field.dataType) || ImageReader.accepts(field.dataType),
      s"featuresCol `$column` must hold vectors, numeric arrays or image structs " +
        s"(spark.read.format(\"image\")), found ${field.dataType.simpleString}"
    )
    field.dataType
  }

  /** The network: the preset or spec for `shape`, then a dense output layer of `outputUnits`. */
  def network(layers: String, shape: Shape, outputUnits: Int): Network = {
    val hidden: Seq[Layer] = Presets.resolve(layers, shape)
    new Network(shape, (hidden :+ Dense(outputUnits)).toIndexedSeq)
  }
}
