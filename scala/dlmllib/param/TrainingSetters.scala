package dlmllib.param

import org.apache.spark.ml.param.Param

/** The setters of the training params, for the Estimators only (as in Spark, a Model's training
  * params are read-only). They return `E`, the concrete Estimator, rather than `this.type`: a
  * `this.type` declared in a trait erases to the trait for Java callers, who could then not chain
  * `new CNNClassifier().setMaxIter(5).setLayers(...)`.
  *
  * @tparam E
  *   the concrete Estimator
  */
trait SettersOf[E] extends org.apache.spark.ml.param.Params {

  /** Sets `param` to `value` and returns this Estimator as `E`. */
  protected final def setTo[T](param: Param[T], value: T): E = set(param, value).asInstanceOf[E]
}

/** Setters of the params every Estimator shares. */
trait TrainingSetters[E] extends TrainingParams with SettersOf[E] {
  def setMaxIter(value: Int): E = setTo(maxIter, value)
  def setBatchSize(value: Int): E = setTo(batchSize, value)
  def setStepSize(value: Double): E = setTo(stepSize, value)
  def setSolver(value: String): E = setTo(solver, value)
  def setRegParam(value: Double): E = setTo(regParam, value)
  def setSeed(value: Long): E = setTo(seed, value)
  def setTol(value: Double): E = setTo(tol, value)
  def setValidationIndicatorCol(value: String): E = setTo(validationIndicatorCol, value)
  def setAggregationDepth(value: Int): E = setTo(aggregationDepth, value)
  def setLocalSteps(value: Int): E = setTo(localSteps, value)
  def setPatience(value: Int): E = setTo(patience, value)
  def setMomentum(value: Double): E = setTo(momentum, value)
  def setNesterov(value: Boolean): E = setTo(nesterov, value)
  def setLearningRateSchedule(value: String): E = setTo(learningRateSchedule, value)
  def setClipNorm(value: Double): E = setTo(clipNorm, value)
}
