"""The examples in dlmllib's docstrings run, each on its tiny DataFrame, with ``spark``."""

import doctest

import pytest

import dlmllib.classification
import dlmllib.regression

MODULES = [dlmllib.classification, dlmllib.regression]
TESTS = [t for m in MODULES for t in doctest.DocTestFinder().find(m) if t.examples]


def test_every_public_class_has_an_example():
    documented = {t.name.split(".")[-1] for t in TESTS}
    public = {name for m in MODULES for name in m.__all__}
    assert public <= documented, sorted(public - documented)


@pytest.mark.parametrize("test", TESTS, ids=lambda t: t.name.removeprefix("dlmllib."))
def test_docstring_examples(spark, test):
    test.globs["spark"] = spark
    report = []
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    result = runner.run(test, out=report.append)
    assert result.attempted > 0 and result.failed == 0, "".join(report)
