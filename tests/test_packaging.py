"""The package builds as a wheel whose dependency ranges Colab already
satisfies."""

import subprocess
import sys
import zipfile
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent

# What Colab ships in 2026: installing the package there must not reinstall
# these.
COLAB = {
    "tensorflow": "2.20.0",
    "keras": "3.13.0",
    "numpy": "2.1.0",
    "matplotlib": "3.10.0",
}


def build_wheel(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
    )
    (wheel,) = tmp_path.glob("seq2seq_attention-*.whl")
    return zipfile.ZipFile(wheel)


def test_wheel_contents_and_colab_compatible_requirements(tmp_path):
    wheel = build_wheel(tmp_path)
    names = set(wheel.namelist())
    for module in (
        "__init__",
        "attention",
        "reference",
        "plots",
        "special_tokens",
        "errors",
        "dates",
        "exercises/__init__",
        "exercises/_harness",
        "data/__init__",
        "data/corpus",
        "tasks/__init__",
        "tasks/dates",
    ):
        assert f"seq2seq_attention/{module}.py" in names
    # the offline sample of the corpus ships with the package
    assert "seq2seq_attention/data_files/spa_eng_sample.tsv" in names
    assert "seq2seq_attention/data_files/README.md" in names
    assert not any(
        n.startswith(("tests/", "chapters/", "tools/")) for n in names
    )
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    requirements = [
        Requirement(line.split(":", 1)[1].strip())
        for line in wheel.read(metadata).decode().splitlines()
        if line.startswith("Requires-Dist:")
    ]
    by_name = {r.name: r for r in requirements}
    assert set(COLAB) <= set(by_name), (
        f"missing requirements: {set(COLAB) - set(by_name)}"
    )
    for name, version in COLAB.items():
        assert by_name[name].specifier.contains(version), (
            f"{name} {version} (Colab) rejected by {by_name[name]}"
        )
