package dlmllib.distributed

import java.io.{
  BufferedInputStream,
  BufferedOutputStream,
  DataInputStream,
  DataOutputStream,
  IOException
}
import java.nio.charset.StandardCharsets.UTF_8

import dlmllib.engine.{BulkArrays, Task}
import dlmllib.nn.{Arguments, Network}
import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.fs.Path
import org.slf4j.LoggerFactory

/** The checkpoints of one fit in a Hadoop directory: `checkpoint-<epoch>`, one file holding a
  * [[TrainingState]] and the identity of the fit that wrote it. A checkpoint is written to a hidden
  * temporary file, then renamed, then the older ones are deleted: the directory always holds the
  * last complete checkpoint.
  *
  * @param config
  *   the fit's config, whose checkpointDir is set
  * @param identity
  *   what a resumed fit must share with the one that wrote the checkpoint (see [[identity]])
  */
final class Checkpoints(conf: Configuration, config: TrainingConfig, identity: String) {
  private val dir = config.checkpointDir.get
  private val name = config.name
  private val log = LoggerFactory.getLogger(getClass)
  private val root = new Path(dir)
  private val fs = root.getFileSystem(conf)

  /** The state of the newest checkpoint, if the directory holds one; fails when it was written by a
    * different fit.
    */
  def latest(): Option[TrainingState] =
    checkpointFiles.sortBy(_._1).lastOption.map { case (_, path) => read(path) }

  /** Writes `s` as `checkpoint-<epochs>` and deletes the older checkpoints. */
  def save(s: TrainingState): Unit = {
    val target = new Path(root, s"checkpoint-${s.epochs}")
    val tmp = new Path(root, s".checkpoint-${s.epochs}.tmp")
    val out = new DataOutputStream(new BufferedOutputStream(fs.create(tmp, true)))
    try Checkpoints.write(out, identity, s)
    finally out.close()
    if (fs.exists(target)) fs.delete(target, false)
    if (!fs.rename(tmp, target)) throw new IOException(s"could not rename $tmp to $target")
    checkpointFiles.filter(_._1 < s.epochs).foreach { case (_, p) => fs.delete(p, false) }
    log.info(s"$name: checkpoint of epoch ${s.epochs} written to $target")
  }

  private def checkpointFiles: Seq[(Int, Path)] =
    if (!fs.exists(root)) Nil
    else
      fs.listStatus(root).toSeq.flatMap { st =>
        val n = st.getPath.getName
        if (n.matches("checkpoint-[0-9]+")) Some((n.stripPrefix("checkpoint-").toInt, st.getPath))
        else None
      }

  private def read(path: Path): TrainingState = {
    val in = new DataInputStream(new BufferedInputStream(fs.open(path)))
    try {
      val saved =
        try Checkpoints.readIdentity(in)
        catch {
          case e: IOException =>
            throw new IllegalArgumentException(
              s"checkpointDir: $path is not a dlmllib checkpoint or is truncated ($e)",
              e
            )
        }
      if (saved != identity) {
        val (a, b) = Checkpoints.firstDifference(saved, identity)
        throw new IllegalArgumentException(
          s"checkpointDir `$dir` holds a checkpoint of a different fit ($path): it has $a, " +
            s"this $name fit has $b; give this fit another checkpointDir or delete that one"
        )
      }
      val s = Checkpoints.readState(in, new EarlyStopping(config.tol, config.patience))
      log.info(s"$name: resuming from $path")
      s
    } finally in.close()
  }
}

object Checkpoints {
  private val Magic = "dlmllib-checkpoint"
  private val Version = 1

  /** What must not change between a fit and its resumption: the estimator, the network, the task,
    * every training param that changes the result and the layout of the data (partitions and
    * batches per chunk). Not the uid nor the checkpoint params.
    */
  def identity(network: Network, task: Task, config: TrainingConfig, data: Stacked): String = {
    val c = config.copy(checkpointDir = None, checkpointInterval = 1)
    Seq(
      s"estimator ${c.name}",
      s"input shape ${network.inputShape}",
      s"network ${network.toSpec}",
      s"task $task",
      s"params $c",
      s"partitions ${data.replicas}, batches per chunk ${data.batchesPerChunk.mkString(",")}"
    ).mkString("\n")
  }

  /** The first line where two identities differ. */
  private def firstDifference(a: String, b: String): (String, String) =
    a.split("\n").zipAll(b.split("\n"), "", "").find(p => p._1 != p._2).getOrElse((a, b))

  private def write(out: DataOutputStream, identity: String, s: TrainingState): Unit = {
    out.writeUTF(Magic)
    out.writeInt(Version)
    writeString(out, identity)
    out.writeLong(s.stepCount)
    BulkArrays.writeFloats(out, s.weights)
    BulkArrays.writeFloats(out, s.state)
    s.history.series.foreach(series => BulkArrays.writeDoubles(out, series.toArray))
    val e = s.stopping
    out.writeDouble(e.best)
    out.writeInt(e.stale)
    out.writeInt(e.bestEpoch)
    BulkArrays.writeFloats(out, if (e.bestWeights == null) Array.emptyFloatArray else e.bestWeights)
  }

  private def readIdentity(in: DataInputStream): String = {
    val magic = in.readUTF()
    if (magic != Magic) throw new IOException(s"starts with `$magic`")
    val version = in.readInt()
    Arguments.check(
      version == Version,
      s"checkpoint format version $version; this dlmllib reads version $Version"
    )
    new String(readBytes(in), UTF_8)
  }

  private def readState(in: DataInputStream, stopping: EarlyStopping): TrainingState = {
    val stepCount = in.readLong()
    val weights = BulkArrays.readFloats(in)
    val state = BulkArrays.readFloats(in)
    val history = new HistoryBuilder
    history.series.foreach(series => series ++= BulkArrays.readDoubles(in))
    stopping.best = in.readDouble()
    stopping.stale = in.readInt()
    stopping.bestEpoch = in.readInt()
    stopping.bestWeights = Option(BulkArrays.readFloats(in)).filter(_.nonEmpty).orNull
    val s = new TrainingState(weights, state, history, stopping)
    s.stepCount = stepCount
    s
  }

  private def writeString(out: DataOutputStream, s: String): Unit = {
    val b = s.getBytes(UTF_8)
    out.writeInt(b.length)
    out.write(b)
  }

  private def readBytes(in: DataInputStream): Array[Byte] = {
    val b = new Array[Byte](in.readInt())
    in.readFully(b)
    b
  }
}
