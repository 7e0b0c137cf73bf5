"""What every benchmark writes: its results with the environment and settings,
as JSON."""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path


def environment():
    """Versions and hardware that the numbers depend on."""
    import keras
    import numpy as np
    import tensorflow as tf

    return {
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "devices": [d.device_type for d in tf.config.list_physical_devices()],
        "TF_ENABLE_ONEDNN_OPTS": os.environ.get("TF_ENABLE_ONEDNN_OPTS"),
    }


def write_report(out, benchmark, what, args, results, **extra):
    """Write ``{benchmark, what, environment, settings, **extra, results}`` to
    ``out``."""
    report = {
        "benchmark": benchmark,
        "what": what,
        "environment": environment(),
        "settings": {
            k: (str(v) if isinstance(v, Path) else v)
            for k, v in vars(args).items()
        },
        **extra,
        "results": results,
    }
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {out}")
