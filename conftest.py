"""Test-wide settings, applied before TensorFlow is imported anywhere."""

import os

# Quiet, deterministic TensorFlow start-up (see README: "Why oneDNN is off").
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("MPLBACKEND", "Agg")  # no display in CI

import pytest  # noqa: E402


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Groups for pytest-xdist's ``--dist loadgroup`` (pyproject.toml runs
    the suite on two workers): a notebook's cells run in order in one
    kernel, so each file is one group; the tests that share the trained
    dates run (the ``dates_run`` fixture, minutes of training) are one
    group, so it is trained once."""
    for item in items:
        if "dates_run" in getattr(item, "fixturenames", ()):
            group = "dates_run"
        else:
            group = item.path.name
        item.add_marker(pytest.mark.xdist_group(group))
