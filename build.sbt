// dlmllib: convolutional and recurrent networks for Spark ML.
ThisBuild / organization := "io.github.dlmllib"
// The one place of the version: python/dlmllib/VERSION, read by sbt, setuptools and dlmllib.
ThisBuild / version := IO.read(file("python/dlmllib/VERSION")).trim
ThisBuild / scalaVersion := "2.13.16" // the Scala of Spark 4.0.1

val sparkVersion = "4.0.1" // python/pyproject.toml pins pyspark to the same version

lazy val root = (project in file("."))
  .settings(
    name := "dlmllib",
    Compile / scalaSource := baseDirectory.value / "scala",
    // META-INF/services: how Spark Connect's server finds the Estimators and Models.
    Compile / resourceDirectory := baseDirectory.value / "resources",
    Test / scalaSource := baseDirectory.value / "tests" / "scala",
    Test / resourceDirectory := baseDirectory.value / "tests" / "resources",
    // Benchmarks (bench/scala) are mains compiled with the tests, run by hand: see bench/README.md.
    Test / unmanagedSourceDirectories += baseDirectory.value / "bench" / "scala",
    // The Scala and Java examples compile with the tests, which run them (ExamplesSuite).
    Test / unmanagedSourceDirectories += baseDirectory.value / "examples" / "scala",
    Test / unmanagedSourceDirectories += baseDirectory.value / "examples" / "java",
    Test / javacOptions ++= Seq("--release", "17", "-Xlint:all", "-Werror"),
    scalacOptions ++= Seq(
      "-deprecation",
      "-feature",
      "-unchecked",
      "-Xlint:-unused,_",
      "-release:17"
    ),
    libraryDependencies ++= Seq(
      "org.apache.spark" %% "spark-core" % sparkVersion % Provided,
      "org.apache.spark" %% "spark-sql" % sparkVersion % Provided,
      "org.apache.spark" %% "spark-mllib" % sparkVersion % Provided,
      "org.scalatest" %% "scalatest" % "3.2.19" % Test
    ),
    Compile / packageBin / artifactPath := target.value / s"dlmllib_2.13-${version.value}.jar",
    Test / fork := true,
    Test / parallelExecution := false,
    Test / javaOptions ++= Seq(
      "-Xmx3g",
      "-XX:+UseG1GC",
      "-Dspark.ui.enabled=false",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
      "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
      "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
      "-Djdk.reflect.useDirectMethodHandle=false"
    ),
    Test / envVars ++= Map("OPENBLAS_NUM_THREADS" -> "1", "OMP_NUM_THREADS" -> "1"),
    Test / testOptions += Tests.Argument(TestFrameworks.ScalaTest, "-oD")
  )
