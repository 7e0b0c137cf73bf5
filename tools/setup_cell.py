"""The setup cell that starts every chapter notebook, kept in one place.

tests/test_notebooks.py checks that each notebook's first code cell is exactly
this text, and that its address is the repository URL in _config.yml.
"""

REPOSITORY_URL = (
    "https://github.com/attention-from-scratch/attention-from-scratch"
)

SETUP_CELL = f"""# Setup, the same in every chapter. In Colab it installs the course package
# (Colab already has TensorFlow and Keras); elsewhere it does nothing.
import os
import sys

# Quiet TensorFlow's C++ log. Level 3 also hides the "failed call to cuInit"
# line that a runtime without a GPU prints; errors still raise in Python.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")  # no oneDNN notice
if "google.colab" in sys.modules:
    import subprocess

    package = os.environ.get(
        "SEQ2SEQ_ATTENTION_PACKAGE",  # a local checkout, for testing this cell
        "git+{REPOSITORY_URL}",
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", package],
        check=True,
    )"""
