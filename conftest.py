"""Test-wide settings, applied before TensorFlow is imported anywhere, and the
order in which test files are handed to pytest-xdist's workers."""

import os
import tempfile
import uuid

# Quiet, deterministic TensorFlow start-up (see README: "Why oneDNN is off").
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("MPLBACKEND", "Agg")  # no display in CI
# The models chapters share (seq2seq_attention.chapter_models) are cached in
# a folder of this test run, shared by its workers: never a reader's cache,
# never a previous run's.
_RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex
os.environ["SEQ2SEQ_ATTENTION_CACHE"] = os.path.join(
    tempfile.gettempdir(), f"seq2seq-attention-tests-{_RUN}"
)
if os.environ.get("PYTEST_XDIST_WORKER"):
    # One thread per operation in each worker (notebook kernels and CLI
    # subprocesses inherit it): with two workers on two cores, two trainings
    # side by side took 38 s instead of 45 s (median of 2).
    os.environ.setdefault("TF_NUM_INTRAOP_THREADS", "1")

# The longest test files (measured with --durations), started first so that
# neither worker is left with a long file at the end. The order affects only
# wall time: every test seeds itself (tests/conftest.py), and
# `--dist loadfile --no-loadscope-reorder` (pyproject.toml) keeps it.
LONGEST_FIRST = (
    "tests/test_dates_quick_run.py",
    "chapters/05_3_training.ipynb",
    "chapters/05_5_finetuning.ipynb",
    "chapters/06_applications.ipynb",
    "chapters/05_4_decoding.ipynb",
    "chapters/09_faq.ipynb",
    "chapters/08_future.ipynb",
    "chapters/01_background.ipynb",
    "tests/test_faults.py",
)


def pytest_collection_modifyitems(items):
    """Move the files of ``LONGEST_FIRST`` to the front, in that order (a
    stable sort: the tests of a file, and notebook cells, keep their order)."""

    def rank(item):
        path = item.nodeid.split("::")[0]
        if path in LONGEST_FIRST:
            return LONGEST_FIRST.index(path)
        return len(LONGEST_FIRST)

    items.sort(key=rank)
