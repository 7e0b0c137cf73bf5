"""Throughput of the data pipeline on the full English-Spanish corpus
(examples/s).

    .venv/bin/python benchmarks/data_pipeline.py   # about 30 s on 2 CPU cores

Shows that data loading is not what training waits for. Needs the real archive:
``$SEQ2SEQ_ATTENTION_DATA`` or ``../shared/data`` (beside the checkout) holding
``spa-eng/spa-eng.zip``, or the archive in Keras' cache
(``~/.keras/datasets``). It never downloads. Writes
``benchmarks/results/data_pipeline.json``.

Measured: the one-off preparation (read + verify, normalise, vectorise) and one
epoch of ``make_dataset`` iterated from Python, plain and with 8 length
buckets, as the median of 3 repeats (after one warm-up epoch).
"""

import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

ROOT = Path(__file__).resolve().parent.parent
REPEATS = 3
BATCH_SIZE = 64


def main():
    shared = ROOT.parent / "shared" / "data"
    if (
        not os.environ.get("SEQ2SEQ_ATTENTION_DATA")
        and (shared / "spa-eng" / "spa-eng.zip").is_file()
    ):
        os.environ["SEQ2SEQ_ATTENTION_DATA"] = str(shared)

    import tensorflow as tf

    from seq2seq_attention import data

    timings = {}
    start = time.perf_counter()
    try:
        corpus = data.load_spa_eng(download=False)
    except data.CorpusNotFoundError as error:
        sys.exit(
            "benchmarks/data_pipeline.py needs the full spa-eng corpus and "
            f"never downloads it.\n{error}"
        )
    timings["read_and_verify_s"] = time.perf_counter() - start

    start = time.perf_counter()
    pairs = data.deduplicate(
        [(data.normalize(s), data.normalize(t)) for s, t in corpus.pairs]
    )
    timings["normalize_and_deduplicate_s"] = time.perf_counter() - start

    split = data.split_by_source(pairs, seed=0)
    start = time.perf_counter()
    source_vectorizer = data.make_vectorizer(
        [s for s, _ in split.train], max_tokens=12_000
    )
    target_vectorizer = data.make_vectorizer(
        [t for _, t in split.train], max_tokens=16_000
    )
    timings["build_vocabularies_s"] = time.perf_counter() - start

    results = {}
    for name, buckets in (("plain", None), ("bucketed_8", 8)):
        start = time.perf_counter()
        dataset = data.make_dataset(
            split.train,
            source_vectorizer,
            target_vectorizer,
            batch_size=BATCH_SIZE,
            seed=0,
            buckets=buckets,
        )
        # includes encoding every sentence
        build_s = time.perf_counter() - start
        rates, real, total = [], 0, 0
        for repeat in range(REPEATS + 1):  # the first epoch warms up
            count, start = 0, time.perf_counter()
            for (source, target_in), _ in dataset:
                count += int(source.shape[0])
                if repeat == 0:
                    real += int(tf.math.count_nonzero(source)) + int(
                        tf.math.count_nonzero(target_in)
                    )
                    total += int(tf.size(source)) + int(tf.size(target_in))
            if repeat:
                rates.append(count / (time.perf_counter() - start))
        results[name] = {
            "examples_per_s_median": round(statistics.median(rates)),
            "examples_per_s_repeats": [round(r) for r in rates],
            "epoch_examples": count,
            "build_s": round(build_s, 2),
            "padding_share": round(1 - real / total, 3),
        }
        print(
            f"{name:11s} {statistics.median(rates):9,.0f} examples/s "
            f"(median of {REPEATS}: "
            f"{', '.join(f'{r:,.0f}' for r in rates)}); padding "
            f"{1 - real / total:.0%}; dataset built in {build_s:.1f} s"
        )

    report = {
        "benchmark": "data_pipeline",
        "corpus": {
            "pairs": len(corpus),
            "pairs_after_dedup": len(pairs),
            "train_pairs": len(split.train),
            "spa_txt_sha256": data.SPA_ENG_TEXT_SHA256,
        },
        "batch_size": BATCH_SIZE,
        "repeats": REPEATS,
        "one_off_s": {k: round(v, 2) for k, v in timings.items()},
        "pipelines": results,
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "tensorflow": tf.__version__,
        },
        "command": ".venv/bin/python benchmarks/data_pipeline.py",
    }
    out = ROOT / "benchmarks" / "results" / "data_pipeline.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print("one-off:", ", ".join(f"{k} {v:.2f}" for k, v in timings.items()))
    print("wrote", out.relative_to(ROOT))


if __name__ == "__main__":
    main()
