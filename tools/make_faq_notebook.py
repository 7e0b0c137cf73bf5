"""Write chapters/09_faq.ipynb (without outputs); see make_math_notebook.py.

    .venv/bin/python tools/make_faq_notebook.py
    SEQ2SEQ_ATTENTION_DATA=../shared/data .venv/bin/python tools/execute_notebooks.py chapters/09_faq.ipynb
"""

from notebook_writer import CODE, MD, write_notebook
from setup_cell import SETUP_CELL

cells = [
(MD, r"""# FAQ

Short answers to the questions readers ask most, with measurements where a claim can be measured: how
attention relates to RNNs, what it costs as sequences grow, how much data it needs, and a few practical
points (masks, output length, long inputs).

```{admonition} Learning objectives
:class: tip
After this chapter you can
- say what an RNN and attention each do, and how the course's model and a Transformer combine them;
- measure attention's time and memory against sequence length and recognise the quadratic term;
- measure how quality depends on the amount of training data;
- explain why masks are needed, why outputs are bounded by the source length, and what to do about
  inputs that are too long.
```"""),
(CODE, SETUP_CELL),
(CODE, """import json
import statistics
import time
from pathlib import Path

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from seq2seq_attention import data, dates, training
from seq2seq_attention.attention import get_attention
from seq2seq_attention.exercises import check_local_mask, check_padding_mask, check_quadratic_fit
from seq2seq_attention.metrics import MaskedTokenAccuracy, masked_loss
from seq2seq_attention.models import Seq2SeqAttention
from seq2seq_attention.translator import Translator

profile = training.choose_profile()
print(profile)"""),
(MD, r"""## Attention or RNN: which is it?

Both, here. They do different jobs:

- An **RNN** reads a sequence in order and carries a state from one position to the next, $h_s = f(x_s,
  h_{s-1})$. The state summarises what came before, and position is implicit in the order of the steps.
  It costs $O(n)$ sequential steps for $n$ tokens: no parallelism along the sequence.
- **Attention** reads a *set* of vectors and returns a weighted average chosen by a query,
  $c = \sum_s \alpha_s v_s$ with $\alpha = \operatorname{softmax}(\text{scores})$. It has no notion of
  order and no state of its own; it lets any position look at any other in one step.

In this course (as in Bahdanau et al. {cite}`bahdanau2015` and Luong et al. {cite}`luong2015`) attention
is **added to** an RNN encoder–decoder: the RNNs read and write in order, and attention connects the
decoder to every encoder state instead of the last one only (the background chapter measures what that
changes). The **Transformer** {cite}`vaswani2017` **replaces** the RNNs with attention: self-attention
inside the encoder and the decoder (each position attends over its own sequence), cross-attention from the
decoder to the encoder (the layer this course builds), position encodings to restore order, and a causal
mask so that the decoder cannot look ahead. Every position is computed at once during training, which
suits GPUs; the price is the quadratic cost below.

## What does attention cost as sequences grow?

One decoder step attends over $S$ source positions: $O(S)$ work. A whole target of $T$ steps costs
$O(T \cdot S)$, and self-attention, where $n$ positions attend over the same $n$, costs $O(n^2)$ in time and
holds an $n \times n$ matrix of weights per sentence (per head) in memory. Here is the measurement: the
package's attention layers with $n$ queries over $n$ keys, compiled with `tf.function`, on this machine's
CPU. Each time is the median of several calls after a warm-up."""),
(CODE, """tf.get_logger().setLevel("ERROR")   # a new tf.function per length: TensorFlow's retracing notice is expected


def median_ms(fn, repeats=5):
    np.asarray(fn())                                   # warm-up: tracing and compilation
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        np.asarray(fn())                               # waits for the result
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times)


def time_attention(score, n, batch=4, dim=64, units=16):
    keras.utils.set_random_seed(0)
    layer = get_attention(score, units=units)
    rng = np.random.default_rng(0)
    query = tf.constant(rng.normal(size=(batch, n, dim)), tf.float32)   # (batch, n, dim)
    keys = tf.constant(rng.normal(size=(batch, n, dim)), tf.float32)    # (batch, n, dim)
    _, weights = layer(query, keys)                                     # (batch, n, n)
    forward = tf.function(lambda: layer(query, keys)[0])
    return median_ms(forward), np.asarray(weights).nbytes


LENGTHS = [32, 64, 128, 256, 384, 512]
measured = {}
for score in ("scaled_dot", "additive"):
    measured[score] = [time_attention(score, n) for n in LENGTHS]
    for n, (ms, nbytes) in zip(LENGTHS, measured[score]):
        print(f"{score:10s} n={n:4d}  {ms:8.2f} ms  weights {nbytes / 2**20:6.2f} MiB")"""),
(MD, r"""The weights tensor is exactly $\text{batch} \times n^2 \times 4$ bytes (float32): 4 MiB at $n = 512$ for a
batch of 4, 64 MiB at $n = 2048$, per layer and per head. The additive score is worse: before reducing to
one number per pair it holds a `(batch, n, n, units)` tensor, `units` times larger.

To see the quadratic term in the times, fit $t(n) = a n^2 + b n + c$ by least squares (exercise 1 asks you
to write this fit):"""),
(CODE, """fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
grid = np.linspace(0, max(LENGTHS), 200)
for score, style in (("scaled_dot", "o"), ("additive", "s")):
    ms = np.array([m for m, _ in measured[score]])
    a, b, c = np.polyfit(LENGTHS, ms, 2)
    n = LENGTHS[-1]
    print(f"{score:10s} t(n) = {a:.2e} n^2 {b:+.2e} n {c:+.2e} ms;  at n = {n} the n^2 term is "
          f"{a * n**2 / (a * n**2 + abs(b) * n + abs(c)):.0%} of |a| n^2 + |b| n + |c|")
    line, = axes[0].plot(LENGTHS, ms, style, label=f"{score} (measured)")
    axes[0].plot(grid, np.polyval([a, b, c], grid), "-", color=line.get_color(), alpha=0.6)
    axes[1].loglog(LENGTHS, ms, style + "-", label=score)
axes[1].loglog(LENGTHS, ms[-1] * (np.array(LENGTHS) / LENGTHS[-1]) ** 2, "k:", label="slope 2 ($n^2$)")
axes[0].set(xlabel="sequence length n", ylabel="ms per forward pass", title="time, with quadratic fits")
axes[1].set(xlabel="sequence length n", title="log-log: the slope tends to 2")
axes[1].set_xticks(LENGTHS, [str(n) for n in LENGTHS])
axes[1].minorticks_off()
axes[0].legend(); axes[1].legend()
plt.show()"""),
(MD, r"""At short lengths fixed costs (launching the computation, the projections that grow only linearly) hide
the quadratic term; as $n$ grows, $n^2$ takes over and the log-log curves approach slope 2.
`benchmarks/attention_scaling.py` makes the same measurement up to $n = 1024$ and writes
`benchmarks/results/attention_scaling.json`; when that file is present, here it is:"""),
(CODE, """stored = Path("../benchmarks/results/attention_scaling.json")
if stored.exists():
    report = json.loads(stored.read_text())
    fig, ax = plt.subplots(figsize=(5.5, 3.8), layout="constrained")
    for score, fit in report["fits"].items():
        rows = [r for r in report["results"] if r["layer"] == score]
        ns = np.array([r["n"] for r in rows])
        line, = ax.plot(ns, [r["forward_ms"] for r in rows], "o", label=score)
        grid = np.linspace(0, ns.max(), 200)
        ax.plot(grid, np.polyval([fit["a"], fit["b"], fit["c"]], grid), "-", color=line.get_color(), alpha=0.6)
        print(f"{score:10s} a = {fit['a']:.2e} ms/n^2; the n^2 term is "
              f"{fit['quadratic_share_at_max_n']:.0%} of the time at n = {ns.max()}")
    settings = report["settings"]
    ax.set(xlabel="sequence length n", ylabel="ms per forward pass",
           title=f"benchmark: batch {settings['batch']}, dim {settings['dim']}")
    ax.legend()
    plt.show()
else:
    print("run benchmarks/attention_scaling.py to measure up to n = 1024")"""),
(MD, r"""For the sentences of this course ($S \le 20$ words, or about 70 characters for dates) attention is cheap;
the RNN's sequential steps cost more. The quadratic term matters for documents, long audio or images as
sequences of patches, which is why long-context models use the techniques in
{ref}`the last question <faq-long-inputs>`.

## How much data does attention need?

An attention model has many parameters and no built-in knowledge of the task: it has to *learn* the
alignment, and everything else, from examples. With too few it memorises them instead. Here the same small
attention model is trained on $N$ examples of the dates task (about 30 formats of writing a date, with
noise) for the **same number of updates**, for three values of $N$, and tested on 300 dates whose inputs it
never saw. We also score it on 300 of its own training examples."""),
(CODE, """pool = dates.generate_dates(4000, seed=0)
seen = {s for s, _ in pool}
test = [p for p in dates.generate_dates(600, seed=1) if p[0] not in seen][:300]
src_vec = data.make_vectorizer([s for s, _ in pool], level="character")
tgt_vec = data.make_vectorizer([t for _, t in pool], level="character")
STEPS, BATCH = 300, 64


def exact(translator, pairs):
    outputs = [r.text for r in translator.translate([s for s, _ in pairs])]
    return np.mean([o == t for o, (_, t) in zip(outputs, pairs)])


hunger = {}
for size in (250, 1000, 4000):
    dataset = data.make_dataset(pool[:size], src_vec, tgt_vec, batch_size=BATCH, seed=0).repeat()
    keras.utils.set_random_seed(0)
    model = Seq2SeqAttention(src_vec.vocabulary_size(), tgt_vec.vocabulary_size(),
                             embedding_dim=32, units=min(64, profile.units),
                             decoder="luong", attention="additive")
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss=masked_loss(),
                  metrics=[MaskedTokenAccuracy()])
    model.fit(dataset, epochs=1, steps_per_epoch=STEPS, verbose=0, shuffle=False)  # the dataset shuffles
    translator = Translator(model, src_vec, tgt_vec)
    hunger[size] = (exact(translator, pool[:min(size, 300)]), exact(translator, test))
    print(f"N={size:5d} ({STEPS * BATCH / size:5.1f} passes over the data): "
          f"exact match on training dates {hunger[size][0]:6.1%}, on new dates {hunger[size][1]:6.1%}")"""),
(MD, r"""With 250 examples the model gets its training dates right far more often than new ones: it has fitted
the examples it saw rather than the rule. As $N$ grows the gap closes and the test accuracy climbs, with
the same model and the same number of updates. `benchmarks/data_hunger.py` runs the same measurement for
more sizes, with twice as many updates, and writes `benchmarks/results/data_hunger.json`:"""),
(CODE, """stored = Path("../benchmarks/results/data_hunger.json")
if stored.exists():
    report = json.loads(stored.read_text())
    print(f"{report['settings']['steps']} updates of {report['settings']['batch_size']} examples each:")
    for row in report["results"]:
        print(f"N={row['train_size']:5d}  exact match on training dates {row['train_exact_match']:6.1%}, "
              f"on new dates {row['test_exact_match']:6.1%}")
else:
    print("run benchmarks/data_hunger.py for more sizes")"""),
(MD, r"""For real translation the effect is much
stronger, because the "rule" is a whole language: the English–Spanish model of the training chapter,
trained on about 100,000 sentence pairs, is far from a production system trained on hundreds of millions
{cite}`wu2016`. Fine-tuning a model trained on a large corpus (the fine-tuning chapter) is the usual way out
when your own data are few.

## Why do we need masks?

Batches pad short sentences with id 0 to the length of the longest. Without a mask, attention would give
padding positions some weight, and the context, hence the output, of a sentence would change with the
*other* sentences in its batch. The package's `masked_softmax` gives padding exactly zero weight (and a
fully masked row zeros, never NaN); the loss and accuracy ignore target padding the same way. A
Transformer decoder adds a second, *causal* mask so that position $t$ cannot attend to later positions,
which it would otherwise see during teacher-forced training.

```{literalinclude} ../code/seq2seq_attention/attention.py
:pyobject: masked_softmax
:language: python
```

## Why is the output length bounded by the source length?

A decoder stops when it emits `[END]`. An untrained or confused model may never do so, so decoding needs a
limit, and a fixed one (say 100 tokens) wastes time on short inputs and truncates long ones. The package
bounds each sentence by its own source length, $\text{ratio} \times S + \text{extra}$ (by default
$2S + 5$), which is generous for translation between similar languages and for this course's tasks
(a date never gets longer than 10 characters; a reversal is exactly as long as its input):

```{literalinclude} ../code/seq2seq_attention/decoding.py
:pyobject: length_limits
:language: python
```

(faq-long-inputs)=
## What can I do about long inputs?

- **Split them.** Translate sentence by sentence; the package's `Translator` refuses inputs longer than
  `max_source_tokens` with a message saying so.
- **Restrict who attends to whom.** Local (windowed) attention lets each position see only its neighbours
  within a window $w$: $O(n w)$ instead of $O(n^2)$ (exercise 3 builds the mask). Longformer combines a
  window with a few global positions {cite}`beltagy2020`.
- **Compute exact attention without storing the $n \times n$ matrix.** FlashAttention computes the softmax
  block by block in fast on-chip memory, so memory grows linearly with $n$ and time drops, with the same
  result {cite}`dao2022`.
- **Summarise first.** Encode chunks separately and attend over chunk summaries, or retrieve only the
  relevant parts of a long document before attending.

## Exercises

:::{exercise} Fit the quadratic
:label: ex-quadratic-fit

Write `quadratic_fit(n, seconds)`: the least-squares coefficients `(a, b, c)` of
$t(n) = a n^2 + b n + c$ through the points, highest power first, as used for the plot above.
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def quadratic_fit(n, seconds):
    raise NotImplementedError("your code here")

check_quadratic_fit(quadratic_fit)"""),
(MD, r"""::::{solution} ex-quadratic-fit
:class: dropdown

```python
def quadratic_fit(n, seconds):
    n = np.asarray(n, dtype=float)
    X = np.stack([n**2, n, np.ones_like(n)], axis=1)   # one row per measurement
    (a, b, c), *_ = np.linalg.lstsq(X, np.asarray(seconds, dtype=float), rcond=None)
    return a, b, c                                      # same as np.polyfit(n, seconds, 2)
```
::::

:::{exercise} The padding mask
:label: ex-padding-mask

Write `padding_mask(lengths, src_len)`: for a batch of sentences with `lengths` real tokens, padded to
`src_len`, the boolean mask `(batch, src_len)` that is `True` at real tokens and `False` at padding,
the `mask` that the attention layers take.
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def padding_mask(lengths, src_len):
    raise NotImplementedError("your code here")

check_padding_mask(padding_mask)"""),
(MD, r"""::::{solution} ex-padding-mask
:class: dropdown

```python
def padding_mask(lengths, src_len):
    positions = np.arange(src_len)[None, :]          # (1, src_len)
    return positions < np.asarray(lengths)[:, None]  # (batch, src_len)
```
::::

:::{exercise} Local attention
:label: ex-local-mask

Write `local_mask(n, window)`: the `(n, n)` boolean mask of local attention, `True` where query position
$t$ may attend to key position $s$, that is where $|t - s| \le$ `window`. How many pairs does it allow, for
large $n$, compared with $n^2$?
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def local_mask(n, window):
    raise NotImplementedError("your code here")

check_local_mask(local_mask)"""),
(MD, r"""::::{solution} ex-local-mask
:class: dropdown

```python
def local_mask(n, window):
    distance = np.abs(np.arange(n)[:, None] - np.arange(n)[None, :])  # |t - s|, (n, n)
    return distance <= window    # about n * (2 * window + 1) pairs instead of n**2
```
::::

## Summary

- An RNN carries a state along a sequence; attention mixes a set of vectors chosen by a query. This course
  adds attention to an RNN encoder–decoder; the Transformer replaces the RNNs with attention.
- Attention over $n$ positions for $n$ queries costs $O(n^2)$ time and an $n \times n$ weights matrix per
  sentence and head; measured here, the fitted $n^2$ term dominates as $n$ grows.
- An attention model learns its alignment from data: with few examples it memorises, with more it
  generalises (measured here on string reversal at three training-set sizes).
- Masks keep padding (and, in Transformers, the future) out of the softmax; decoding is bounded by the
  source length; long inputs call for splitting, local or sparse attention, or memory-efficient exact
  attention."""),
]

write_notebook(cells, "09_faq")
