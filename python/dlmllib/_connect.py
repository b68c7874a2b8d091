"""What a Spark Connect client needs beyond PySpark's own ML client code.

The Connect server calls a method of a cached model or summary only when its allow-list (Spark's
``MLUtils.ALLOWED_ATTRIBUTES``) names it for a Spark type the object implements. For dlmllib's
objects that leaves ``toString`` for everything that is not a Spark ML method: a model's
``toString`` names its weights and network, a training summary's is its histories as JSON.
"""

import json
import os
import re

from pyspark.sql.utils import is_remote


def remote() -> bool:
    """True in a Spark Connect client (as PySpark's own ML classes decide it)."""
    return is_remote() and "PYSPARK_NO_NAMESPACE_SHARE" not in os.environ


# Model.toString: "<Class>: uid=..., [numClasses=..., ]numWeights=<n>, network=<spec>"
_MODEL = re.compile(r"numWeights=(\d+), network=(.*)$", re.S)


def model_network(model) -> tuple[int, str]:
    """(number of weights, network spec) of a model, from its toString."""
    text = model._call_java("toString")
    found = _MODEL.search(text)
    if found is None:
        raise RuntimeError(f"unexpected description of a dlmllib model from the server: {text}")
    return int(found.group(1)), found.group(2)


def summary_field(summary, name: str):
    """One field of a training summary, from the JSON that its toString returns."""
    return json.loads(summary._call_java("toString"))[name]
