package dlmllib.data

import org.apache.spark.sql.types.{StructField, StructType}

/** Looking up the columns that params name. */
object Columns {

  /** The field `column` of `schema`, which `param` (e.g. "featuresCol") names; fails naming the
    * param, the column and the columns there are.
    */
  def field(schema: StructType, param: String, column: String): StructField =
    schema
      .find(_.name == column)
      .getOrElse(
        throw new IllegalArgumentException(
          s"$param `$column` does not exist; the columns are ${schema.fieldNames.mkString(", ")}"
        )
      )
}
