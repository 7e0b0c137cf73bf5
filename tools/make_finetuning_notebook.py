"""Write chapters/05_5_finetuning.ipynb (without outputs); see make_math_notebook.py.

    .venv/bin/python tools/make_finetuning_notebook.py
    .venv/bin/python tools/execute_notebooks.py chapters/05_5_finetuning.ipynb

The sample-efficiency curves are read here, at generation time (the notebook must
run in Colab without the repository), from benchmarks/results/finetune_dates.json,
which ``benchmarks/finetune_dates.py`` writes, and written into a code cell.
"""

import json
import sys
from pathlib import Path

from notebook_writer import CODE, MD, write_notebook
from setup_cell import SETUP_CELL

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "finetune_dates.json"
SPA_ENG = ROOT / "benchmarks" / "results" / "finetune_spa_eng.json"


def stored_results():
    """The benchmark's rows as a compact Python literal for a code cell."""
    if not RESULTS.exists():
        sys.exit(f"{RESULTS} is missing: run benchmarks/finetune_dates.py first")
    report = json.loads(RESULTS.read_text())
    rows = [{k: row[k] for k in ("condition", "n", "seed", "spanish", "english")} for row in report["results"]]
    env = report["environment"]
    machine = "a GPU" if "GPU" in env.get("devices", []) else f"a {env['cpu_count']}-core CPU"
    lines = ",\n    ".join(json.dumps(row) for row in rows).replace("null", "None")
    return f"# From benchmarks/results/finetune_dates.json ({machine}, TensorFlow {env['tensorflow']}).\n" \
           f"stored = [\n    {lines},\n]"


cells = [
(MD, r"""# Fine-tuning

A translator is expensive to train and cheap to adapt. This chapter takes a model trained on one domain
and teaches it a second one from a **few hundred** examples: the dates model of the training chapter,
which reads English dates, learns Spanish ones ("3 de marzo de 2015", and `04/03/15` meaning the 4th of
March, day first). We measure how much fine-tuning saves over training from scratch, what to freeze,
which learning rate to use, and what the model forgets.

```{admonition} Learning objectives
:class: tip
After this chapter you can
- explain why starting from pretrained weights needs far less data than starting from random ones;
- fine-tune a saved translator with `finetune`, choosing what to freeze, a learning-rate schedule and
  early stopping on the new domain;
- measure a new domain's out-of-vocabulary rate and extend a vocabulary without changing old translations;
- measure forgetting on the old domain and reduce it by replaying old examples;
- do all of it from the command line with `seq2seq-attention finetune`.
```"""),
(CODE, SETUP_CELL),
(CODE, """import math
import tempfile
import time
from pathlib import Path

import keras
import matplotlib.pyplot as plt
import numpy as np

from seq2seq_attention import data, dates, finetune, training
from seq2seq_attention.exercises import check_grow_output_layer, check_oov_rate, check_warmup_cosine
from seq2seq_attention.metrics import evaluate_translator
from seq2seq_attention.models import Seq2SeqAttention
from seq2seq_attention.plots import plot_attention
from seq2seq_attention.translator import Translator

profile = training.choose_profile()   # "full" on a GPU, "quick" on a CPU
print(profile)"""),
(MD, r"""## Why fine-tuning works

Training from scratch starts at random weights: the model must discover *everything* from its data —
that outputs look like `YYYY-MM-DD`, that digits are copied, where the year is, how to align. With 200
examples that is hopeless; a network with a few hundred thousand weights memorises them and generalises
to nothing.

A model trained on English dates has already learnt most of this. Spanish dates share the target
format, the digits, most characters and many templates (`2015-03-04`, `4 mar 2015`); what is new is the
month and weekday names (`marzo`, `miércoles`), Spanish number words, and one convention that
*contradicts* English: `04/03/15` is the 4th of March in Spain and the 3rd of April in the US. Starting
from the English weights puts the model close to a good Spanish solution, so a small amount of data and
a small learning rate move it the rest of the way. In the language of optimisation: the pretrained
weights are an initialisation inside the right basin, and the few new examples only have to pick a
point in it.

Two things can go wrong, and this chapter measures both: the new data may contain tokens the model has
never seen (its **vocabulary**), and training on the new domain may erase the old one
(**catastrophic forgetting**).

## A pretrained model

We first train an English-dates translator as in the training chapter and save it, the way a real
project starts from a checkpoint. (The benchmark at the end uses the command line's model instead:
`seq2seq-attention train --data dates`, 20,000 examples, Bahdanau decoder.)"""),
(CODE, """# NBVAL_CHECK_OUTPUT
english = dates.generate_dates(10_000, seed=0)              # the old domain
split = data.split_by_source(english, seed=0)
src_vec = data.make_vectorizer([s for s, _ in split.train], level="character")
tgt_vec = data.make_vectorizer([t for _, t in split.train], level="character")
train_ds = data.make_dataset(split.train, src_vec, tgt_vec, batch_size=profile.batch_size, seed=0, buckets=4)
val_ds = data.make_dataset(split.validation, src_vec, tgt_vec, batch_size=profile.batch_size, shuffle=False)
print(len(split.train), "English training dates, e.g.", split.train[:2])"""),
(CODE, """keras.utils.set_random_seed(0)
start = time.perf_counter()
model, _ = training.train(
    lambda: Seq2SeqAttention(src_vec.vocabulary_size(), tgt_vec.vocabulary_size(),
                             embedding_dim=profile.embedding_dim, units=profile.units, decoder="luong"),
    train_ds, val_ds, epochs=profile.epochs, run_dir=tempfile.mkdtemp(), verbose=0)
checkpoint = Path(tempfile.mkdtemp()) / "english_dates.keras"
training.save_atomically(Translator(model, src_vec, tgt_vec), checkpoint)
print(f"trained in {time.perf_counter() - start:.0f} s and saved to {checkpoint.name}")

pretrained = keras.saving.load_model(checkpoint)           # where fine-tuning starts
english_test = split.test[:500]
print(f"English test dates: exact match "
      f"{evaluate_translator(pretrained, english_test, metric='exact')['exact_match']:.1%}")"""),
(MD, r"""## The new domain: Spanish dates

The dates generator has a Spanish domain (`dates.SPANISH`): Spanish month and weekday names, number
words, day-first numeric dates. We draw separate training, validation and test sets (different seeds, so
no test date is seen in training) and look at what the English model makes of them."""),
(CODE, """# NBVAL_CHECK_OUTPUT
spanish_pool = dates.generate_dates(1000, seed=101, domain="es")
spanish_val = dates.generate_dates(200, seed=102, domain="es")
spanish_test = dates.generate_dates(500, seed=103, domain="es")
for text, iso in spanish_pool[:6]:
    print(f"{text!r:38} -> {iso}")"""),
(CODE, """for result, (_, iso) in zip(pretrained.translate([s for s, _ in spanish_test[:6]]), spanish_test[:6]):
    print(f"{result.source!r:38} -> {result.text}   (right: {iso})")
before = evaluate_translator(pretrained, spanish_test, metric="exact")["exact_match"]
print(f"\\nexact match on Spanish test dates before fine-tuning: {before:.1%}")"""),
(MD, r"""The English model already gets the year-first and many abbreviated forms right, and fails on month
names it has never seen and on day-first numbers, which it reads month first.

## Vocabulary: what the old model cannot read

A character-level model has a small vocabulary, but Spanish brings characters English dates never
use. `oov_rate` counts the share of the new data's tokens that the old vocabulary lacks (they would be
read as `[UNK]`), and `unknown_tokens` lists them:"""),
(CODE, """# NBVAL_CHECK_OUTPUT
sources = [s for s, _ in spanish_pool]
print(f"source OOV rate: {finetune.oov_rate(pretrained, sources):.2%}")
print("unknown source characters:", finetune.unknown_tokens(pretrained, sources))
print(f"target OOV rate: {finetune.oov_rate(pretrained, [t for _, t in spanish_pool], side='target'):.2%}")"""),
(MD, r"""Under one percent: letters that English dates never use, the accents of `miércoles`, `sábado` and
`dieciséis`, and the `z` and `q` of `marzo` and `quince`. We could live with `[UNK]` here: the model still
sees the rest of each word. On sentence pairs (a medical corpus,
say) the OOV rate of a word-level model is often 5–20%, and then it pays to **extend the vocabulary**.
`extend_vocabulary` appends the new tokens after the old ones and grows the two matrices whose size is
the vocabulary:

- the embedding tables get one new row per token, a copy of the `[UNK]` row: the model reads a new token
  exactly as it read it before, as `[UNK]`;
- the output layer gets one new column per token, a copy of `[UNK]`'s, and `[UNK]` and the $k$ new
  tokens *share* `[UNK]`'s old probability: their biases are lowered by $\log(k+1)$, so

$$
\sum_{j \in \{\text{UNK}\} \cup \text{new}} e^{\,w_{\text{UNK}}^\top h + b_{\text{UNK}} - \log(k+1)}
= e^{\,w_{\text{UNK}}^\top h + b_{\text{UNK}}},
$$

the softmax's denominator is unchanged, and every old token keeps its probability *exactly*. Old
translations cannot change; fine-tuning then teaches the new rows their own meaning.

```{literalinclude} ../code/seq2seq_attention/finetune.py
:pyobject: extend_vocabulary
:language: python
```

The check: the extended translator writes the same English dates, with the same log-probabilities."""),
(CODE, """# NBVAL_CHECK_OUTPUT
extended = finetune.extend_vocabulary(pretrained, finetune.unknown_tokens(pretrained, sources))
print("source vocabulary:", pretrained.seq2seq.source_vocab_size, "->", extended.seq2seq.source_vocab_size)
old = pretrained.translate([s for s, _ in english_test])
new = extended.translate([s for s, _ in english_test])
print("identical translations:", [a.text for a in old] == [b.text for b in new])
print("largest log-probability change:", f"{max(abs(a.log_prob - b.log_prob) for a, b in zip(old, new)):.1e}")"""),
(MD, r"""## What to freeze

`finetune.PARTS` names four groups of weights. Freezing a part keeps it exactly as pretrained: fewer
weights to fit from little data, and less to forget.

| part | weights | freeze it when |
|---|---|---|
| `embeddings` | source and target embedding tables | the new domain uses the same tokens in the same sense |
| `encoder` | the bidirectional GRU over the source | the input side is unchanged (e.g. a new *target* style) |
| `attention` | $W_1$, $W_2$, $b$, $v$ | alignments are alike (here they are not: Spanish reorders day and month) |
| `decoder` | the decoder GRU, the combine and output layers | the output side is unchanged, as here (ISO dates) |

```{literalinclude} ../code/seq2seq_attention/finetune.py
:pyobject: freeze
:language: python
```"""),
(CODE, """# NBVAL_CHECK_OUTPUT
probe = finetune.copy_translator(pretrained)
for frozen in ([], ["embeddings", "encoder"], ["attention", "decoder"]):
    counts = finetune.freeze(probe, frozen)
    print(f"frozen {str(frozen):27} trainable {counts['trainable']:7,} of {counts['total']:,} weights")"""),
(MD, r"""## The learning rate

The pretrained weights are already good; large steps would throw that away in the first few updates,
when the gradients of the unfamiliar data are largest. Fine-tuning therefore uses a **smaller** peak
learning rate than training from scratch (here $3 \times 10^{-4}$ against Adam's default $10^{-3}$),
a short linear **warm-up** (Adam's moment estimates are poor in its first steps) and a **cosine decay**
to zero, which settles the weights at the end instead of leaving them bouncing. Keras' `CosineDecay`
does both:

```{literalinclude} ../code/seq2seq_attention/finetune.py
:pyobject: learning_rate_schedule
:language: python
```"""),
(CODE, """schedule = finetune.learning_rate_schedule(3e-4, total_steps=140, warmup_steps=7)
steps = np.arange(0, 141)
fig, ax = plt.subplots(figsize=(6, 2.6), layout="constrained")
ax.plot(steps, [float(schedule(s)) for s in steps])
ax.axhline(1e-3, ls="--", c="gray")
ax.text(70, 1.03e-3, "Adam's default, from scratch", ha="center", va="bottom", color="gray")
ax.set(xlabel="step (200 examples, batch 32: 7 steps per epoch, 20 epochs)", ylabel="learning rate",
       ylim=(0, 1.2e-3), title="fine-tuning: warm-up, then cosine decay")
plt.show()"""),
(MD, r"""## Fine-tuning on 200 Spanish dates

`finetune` does the rest: it checks the data (a source OOV rate above 50% is refused: the data is
probably the wrong way round), scores the model on the new validation set (and on old-domain pairs if
given) **before**, trains a *copy* with early stopping on the new domain's validation loss, keeps the best
epoch's weights, and scores again **after**. The original translator is never modified.

```{literalinclude} ../code/seq2seq_attention/finetune.py
:pyobject: finetune
:language: python
:lines: 1-3
```

We compare, on the same 200 examples and with the same budget of 20 epochs: a model of the same architecture
trained **from scratch** (`finetune.train_from_scratch`, Adam's default rate), fine-tuning **everything**,
fine-tuning with the embeddings and encoder **frozen**, and fine-tuning everything while **replaying**
English dates as 20% of each epoch."""),
(CODE, """n = 200
train_es = spanish_pool[:n]
english_train = split.train
runs = {}
start = time.perf_counter()
scratch, _ = finetune.train_from_scratch(pretrained, train_es, spanish_val, epochs=20, verbose=0)
runs["from scratch"] = scratch
for name, options in {"fine-tune all": {}, "freeze embeddings+encoder": {"freeze_parts": ["embeddings", "encoder"]},
                      "fine-tune all + 20% English": {"mix_old": 0.2, "old_train_pairs": english_train}}.items():
    runs[name] = finetune.finetune(pretrained, train_es, spanish_val, epochs=20, verbose=0, **options).translator
print(f"4 runs in {time.perf_counter() - start:.0f} s")

print(f"\\n{'':28} {'Spanish':>8} {'English':>8}")
print(f"{'pretrained (no Spanish)':28} {before:8.1%} "
      f"{evaluate_translator(pretrained, english_test, metric='exact')['exact_match']:8.1%}")
for name, translator in runs.items():
    es = evaluate_translator(translator, spanish_test, metric="exact")["exact_match"]
    en = evaluate_translator(translator, english_test, metric="exact")["exact_match"]
    print(f"{name:28} {es:8.1%} {en:8.1%}")"""),
(MD, r"""From scratch, 200 examples teach the model almost nothing; the same 200 examples turn the English
model into a much better Spanish one. The English column is the price: fine-tuning on Spanish alone costs
English accuracy — day-first numbers now *contradict* what it learnt — and replaying English examples
recovers part of it (the benchmark below shows how much, at several sizes).

The conflicting convention is the hardest part: on numeric dates like `04/03/2015` the English model
reads the first number as the month. We count how often each model gets the day-first numeric test dates
right, and draw the attention of one that the fine-tuned model gets right: its month digits look at the
*second* number of the input, its day digits at the first."""),
(CODE, """import re

tuned = runs["fine-tune all"]
numeric = [(s, t) for s, t in spanish_test if re.fullmatch(r"\\s*\\d{1,2}[/.-]\\d{1,2}[/.-]\\d{2,4}\\s*", s)]
for name, translator in (("English model", pretrained), ("fine-tuned", tuned)):
    score = evaluate_translator(translator, numeric, metric="exact")["exact_match"]
    print(f"{name:14} {score:.0%} of {len(numeric)} day-first numeric test dates")
results = tuned.translate([s for s, _ in numeric])
result = next((r for r, (_, t) in zip(results, numeric) if r.text == t), results[0])
print(f"\\n{result.source!r} -> {result.text}; the English model wrote {pretrained.translate([result.source])[0].text}")
plot_attention(result.weights, result.source_tokens, result.target_tokens)
plt.show()"""),
(MD, r"""## How much data? The sample-efficiency curve

`benchmarks/finetune_dates.py` repeats this experiment for $N \in \{50, 200, 1000\}$ Spanish examples,
starting from the command line's English model (20,000 examples, Bahdanau decoder), with up to 40 epochs
per run and 1,000 test dates per language. Its results are stored with the book and plotted here. They
come from one seed per point (the script takes `--seeds` for more, and the plot averages them): read
differences of a few points as noise."""),
(CODE, "__STORED__"),
(CODE, """conditions = ["scratch", "finetune", "freeze encoder", "freeze decoder", "finetune + 20% old"]
labels = {"scratch": "from scratch", "finetune": "fine-tune all", "freeze encoder": "freeze embeddings+encoder",
          "freeze decoder": "freeze attention+decoder", "finetune + 20% old": "fine-tune all + 20% English"}
base = next(r for r in stored if r["n"] == 0)
fig, axes = plt.subplots(1, 2, figsize=(11, 4), layout="constrained", sharex=True)
for condition in conditions:
    rows = [r for r in stored if r["condition"] == condition]
    sizes = sorted({r["n"] for r in rows})
    for ax, key in zip(axes, ("spanish", "english")):
        means = [np.mean([r[key] for r in rows if r["n"] == n]) for n in sizes]
        line, = ax.plot(sizes, means, "o-", label=labels[condition])
        ax.plot([r["n"] for r in rows], [r[key] for r in rows], ".", color=line.get_color(), alpha=0.5)
for ax, key, title in zip(axes, ("spanish", "english"), ("new domain: Spanish dates", "old domain: English dates")):
    ax.axhline(base[key], ls=":", c="gray")
    ax.text(60, base[key], "pretrained, before", va="bottom", color="gray")
    ax.set(xscale="log", xlabel="Spanish training examples N", ylabel="exact match", title=title, ylim=(0, 1.02))
axes[0].legend(loc="lower right", fontsize=8)
plt.show()

for condition in conditions:
    cells = []
    for n in sorted({r["n"] for r in stored if r["condition"] == condition}):
        rows = [r for r in stored if r["condition"] == condition and r["n"] == n]
        cells.append(f"N={n}: {np.mean([r['spanish'] for r in rows]):.1%} / {np.mean([r['english'] for r in rows]):.1%}")
    print(f"{labels[condition]:28} " + "   ".join(cells))"""),
(MD, r"""__READING__

__SPA_ENG__

## From the command line

The same run, with a saved model and a TSV file of your own (or generated dates), is one command. It
writes the fine-tuned `translator.keras` atomically and a `finetune_report.json` with the scores before
and after, the OOV rates and what was frozen; running it again with the same `--out` resumes an
interrupted run, and a folder that holds a run with *other* settings is refused rather than mixed:

```bash
seq2seq-attention train --data dates --out runs/dates
seq2seq-attention finetune --from runs/dates/translator.keras --data dates:es --examples 200 \
    --old-data dates --mix-old 0.2 --freeze embeddings,encoder --out runs/dates-es
seq2seq-attention finetune --from runs/spa-eng/translator.keras --data medical.tsv \
    --extend-vocabulary --min-count 3 --out runs/medical
```

A model or data that do not fit each other get a one-line error that says what to change: a
`best.keras` file instead of a translator, character-level dates for a word-level model, a source OOV
rate that suggests the columns are swapped (`--reverse`), an unknown part to freeze."""),
(MD, r"""## Exercises

:::{exercise} The out-of-vocabulary rate
:label: ex-oov-rate

Complete `oov_rate(tokens, vocabulary)`: the share of the token *occurrences* in `tokens` (a list of
strings) that are not in `vocabulary`. A token missing twice counts twice.
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def oov_rate(tokens, vocabulary):
    raise NotImplementedError("your code here")

check_oov_rate(oov_rate)"""),
(MD, r"""::::{solution} ex-oov-rate
:class: dropdown

```python
def oov_rate(tokens, vocabulary):
    known = set(vocabulary)
    return sum(token not in known for token in tokens) / len(tokens)
```
::::

:::{exercise} Growing the output layer without changing old predictions
:label: ex-grow-output-layer

An output layer computes logits $h^\top W + b$ with $W$ of shape `(units, V)`. Complete
`grow_output_layer(kernel, bias, unk_id, k)` so that it returns a kernel of shape `(units, V + k)` and a
bias of shape `(V + k,)` for $k$ new tokens (appended at the end) such that, for every $h$, each old
token other than `[UNK]` keeps its softmax probability, and `[UNK]` and the $k$ new tokens have equal
probabilities that add up to `[UNK]`'s old one.
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def grow_output_layer(kernel, bias, unk_id, k):
    raise NotImplementedError("your code here")

check_grow_output_layer(grow_output_layer)"""),
(MD, r"""::::{solution} ex-grow-output-layer
:class: dropdown

```python
def grow_output_layer(kernel, bias, unk_id, k):
    new_kernel = np.concatenate([kernel, np.repeat(kernel[:, unk_id:unk_id + 1], k, axis=1)], axis=1)
    new_bias = np.concatenate([bias, np.full(k, bias[unk_id])])
    share = np.log(k + 1.0)                     # k + 1 equal parts of [UNK]'s probability
    new_bias[unk_id] -= share
    new_bias[len(bias):] -= share
    return new_kernel, new_bias
```
::::

:::{exercise} Warm-up and cosine decay
:label: ex-warmup-cosine

Complete `warmup_cosine(step, peak, total, warmup)`: the learning rate grows linearly from 0 at step 0
to `peak` at step `warmup`, then follows $\tfrac{1}{2}\,\text{peak}\,(1 + \cos \pi p)$ with
$p = \frac{\text{step} - \text{warmup}}{\text{total} - \text{warmup}}$, and stays at 0 after `total`.
The check compares it with `finetune.learning_rate_schedule`, which uses Keras' `CosineDecay`.
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def warmup_cosine(step, peak, total, warmup):
    raise NotImplementedError("your code here")

check_warmup_cosine(warmup_cosine)"""),
(MD, r"""::::{solution} ex-warmup-cosine
:class: dropdown

```python
def warmup_cosine(step, peak, total, warmup):
    if step < warmup:
        return peak * step / warmup
    progress = min((step - warmup) / (total - warmup), 1.0)
    return peak * 0.5 * (1 + np.cos(np.pi * progress))
```
::::

## Summary

- Fine-tuning starts from pretrained weights and trains on the new domain with a smaller learning rate,
  warm-up and cosine decay, and early stopping on the new domain's validation set.
- On dates, 200 Spanish examples are useless from scratch and enough to adapt an English model; the
  benchmark's curve shows where the two meet as $N$ grows.
- Freeze what the domains share; here the output side (ISO dates) is shared and the input side is not.
- Check the new data's OOV rate; `extend_vocabulary` adds tokens without changing one old prediction,
  because new tokens start as copies of `[UNK]` and share its probability.
- Fine-tuning forgets: measure the old domain before and after, and replay old examples to keep it.
- `seq2seq-attention finetune` does all of this from the command line, resumably, with clear errors for a
  model and data that do not fit."""),
]


def spa_eng_section():
    """The real-sentence experiment, as a table from benchmarks/results/finetune_spa_eng.json."""
    if not SPA_ENG.exists():
        sys.exit(f"{SPA_ENG} is missing: run benchmarks/finetune_spa_eng.py first")
    report = json.loads(SPA_ENG.read_text())
    settings, rows = report["settings"], report["results"]
    env = report["environment"]
    machine = "a GPU" if "GPU" in env.get("devices", []) else f"a {env['cpu_count']}-core CPU"
    base = rows[0]
    table = ["| model | questions BLEU | questions chrF | general BLEU | general chrF |", "|---|---|---|---|---|"]
    for row in rows:
        table.append(f"| {row['condition']} | {row['questions_bleu']:.1f} | {row['questions_chrf']:.1f} "
                     f"| {row['general_bleu']:.1f} | {row['general_chrf']:.1f} |")
    by = {row["condition"]: row for row in rows}
    added = by.get("finetune + extend", {}).get("added_target_tokens", [])
    return f"""## Real sentences: a general translator learns questions

The same recipe on the English–Spanish corpus (Tatoeba, CC-BY 2.0 (France); attribution:
[www.manythings.org/anki](https://www.manythings.org/anki) and [tatoeba.org](https://tatoeba.org)).
`benchmarks/finetune_spa_eng.py` splits the corpus by domain: the {report['question_pairs']:,} pairs whose
English side is a **question** and the {report['general_pairs']:,} others. A Luong translator
({settings['units']} units, 5,000-word vocabularies) trains on the general pairs only, for
{settings['pretrain_cpu_minutes']:g} CPU-minutes on {machine}; it is then fine-tuned on {settings['questions']:,}
questions (at most {settings['epochs']} epochs, early stopping on held-out questions), and scored with sacreBLEU
on {settings['test_sentences']:,} held-out questions and {settings['test_sentences']:,} held-out general sentences:

{chr(10).join(table)}

The questions' tokens are mostly known to the general model ({base['source_oov']:.1%} of their source tokens and
{base['target_oov']:.1%} of their target tokens are out of its vocabulary), but their *style* is not:
before fine-tuning it scores {base['questions_bleu']:.1f} BLEU on questions. Fine-tuning on
{settings['questions']:,} of them lifts that to {by['finetune']['questions_bleu']:.1f}; extending the vocabulary
with the question words seen at least twice (target words such as {", ".join(f"`{t}`" for t in added[:4])})
gives {by['finetune + extend']['questions_bleu']:.1f}. The general domain pays: its BLEU goes from
{base['general_bleu']:.1f} to {by['finetune']['general_bleu']:.1f}, and replaying 20% general pairs gives
{by['finetune + extend + 20% general']['general_bleu']:.1f} (with {by['finetune + extend + 20% general']['questions_bleu']:.1f}
on questions). Trained from scratch on the questions alone, the same architecture reaches
{by['scratch']['questions_bleu']:.1f}. Ten CPU-minutes make a weak translator (general BLEU
{base['general_bleu']:.1f}; `benchmarks/bleu_budget.py` reaches about 20 with twice the budget and 256 units), so read
the directions of these changes, not their sizes; on a GPU the same script can pretrain for longer."""


def reading(stored):
    """A paragraph that reads the stored curve (numbers from the JSON, not hand-typed)."""
    def mean(condition, n, key="spanish"):
        rows = [r for r in stored if r["condition"] == condition and r["n"] == n]
        return sum(r[key] for r in rows) / len(rows)

    sizes = sorted({r["n"] for r in stored if r["condition"] == "scratch"})
    small, large = sizes[0], sizes[-1]
    return (f"With {small} examples, fine-tuning reaches {mean('finetune', small):.0%} exact match on Spanish dates "
            f"where training from scratch reaches {mean('scratch', small):.0%}; with {large}, fine-tuning reaches "
            f"{mean('finetune', large):.0%} and scratch {mean('scratch', large):.0%}. Freezing the embeddings and "
            f"encoder gives {mean('freeze encoder', small):.0%} at N={small} and {mean('freeze encoder', large):.0%} at "
            f"N={large}: the Spanish input side is what must change, so freezing it costs accuracy, while freezing "
            f"the attention and decoder gives {mean('freeze decoder', small):.0%} and {mean('freeze decoder', large):.0%}. "
            f"On the English test dates, fine-tuning on {large} Spanish examples leaves "
            f"{mean('finetune', large, 'english'):.0%} (before: {next(r for r in stored if r['n'] == 0)['english']:.0%}); "
            f"replaying 20% English examples keeps {mean('finetune + 20% old', large, 'english'):.0%}.")


if __name__ == "__main__":
    literal = stored_results()
    namespace = {}
    exec(literal.split("\n", 1)[1], namespace)
    cells = [(kind, source.replace("__STORED__", literal).replace("__READING__", reading(namespace["stored"]))
              .replace("__SPA_ENG__", spa_eng_section())) for kind, source in cells]
    write_notebook(cells, "05_5_finetuning")
