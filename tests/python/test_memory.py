"""A fit on 60,000 28×28 images within Spark's default driver memory (1 GB) in local[2]."""

import os

from apps import env, run_app


def test_sixty_thousand_images_fit_in_the_default_driver_memory():
    defaults = env({k: v for k, v in os.environ.items() if k != "PYSPARK_SUBMIT_ARGS"})
    results = run_app("memory_app.py", environment=defaults)
    assert int(results["heap_mb"]) <= 1024, results  # the default spark.driver.memory, 1g
    assert int(results["rows"]) == 60000 and int(results["epochs"]) == 1, results
    assert float(results["accuracy"]) >= 0.93, results
