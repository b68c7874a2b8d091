package dlmllib.distributed

import java.util.concurrent.ConcurrentLinkedQueue

import dlmllib.engine.LocalTrainer
import dlmllib.nn.{Loss, Network}

/** One fit's idle trainers on one executor, so that a round builds none: a task takes one (or
  * builds one when all are busy), sets everything a step reads from the round's broadcast, and
  * gives it back when it has trained, so the pool holds as many as the executor ran at once. A fit
  * broadcasts one pool: each executor's copy of the broadcast value holds its trainers, which go
  * when the fit destroys the broadcast. A trainer keeps no state from one round to the next (each
  * round sets its optimizer state, step count, rate and seed), so which one a task gets, or whether
  * it is new, changes no result.
  *
  * @param threads
  *   the threads each trainer steps on (see [[Cores]])
  */
private[distributed] final class TrainerPool(
    network: Network,
    loss: Loss,
    config: TrainingConfig,
    batchSize: Int,
    threads: Int
) extends Serializable {
  @transient private lazy val idle = new ConcurrentLinkedQueue[LocalTrainer]()

  def take(): LocalTrainer = Option(idle.poll()).getOrElse(
    new LocalTrainer(
      network,
      loss,
      config.optimizer,
      batchSize,
      config.regParam,
      config.clipNorm,
      frozen = config.frozenLayers.map(network.layerWeights),
      threads = Cores.onThisMachine(threads)
    )
  )

  def give(trainer: LocalTrainer): Unit = idle.add(trainer)
}
