"""Test-wide settings, applied before TensorFlow is imported anywhere."""

import os

# Quiet, deterministic TensorFlow start-up (see README: "Why oneDNN is off").
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("MPLBACKEND", "Agg")  # no display in CI
