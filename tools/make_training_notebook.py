"""Write chapters/05_3_training.ipynb (without outputs); see make_math_notebook.py.

    .venv/bin/python tools/make_training_notebook.py
    SEQ2SEQ_ATTENTION_DATA=../shared/data .venv/bin/python tools/execute_notebooks.py chapters/05_3_training.ipynb
"""

from notebook_writer import CODE, MD, write_notebook
from setup_cell import SETUP_CELL

cells = [
(MD, r"""# Training

The model chapter built an encoder–decoder with attention. Here we train it: first on the dates task,
where it reaches near-perfect accuracy in a couple of minutes on a laptop CPU and its attention is easy
to read, then on real English–Spanish sentences, where we measure BLEU on sentences it has never seen.

```{admonition} Learning objectives
:class: tip
After this chapter you can
- train a sequence-to-sequence model with `fit`, a masked loss and a masked accuracy;
- make a run resumable and its checkpoints safe, and choose sizes for a CPU or a GPU;
- compare the Luong and Bahdanau decoders on quality, speed and attention maps;
- read an attention heatmap of a real sentence;
- evaluate a translator with exact match and with sacreBLEU's BLEU and chrF.
```"""),
(CODE, SETUP_CELL),
(CODE, """import tempfile
import time

import keras
import matplotlib.pyplot as plt
import numpy as np

from seq2seq_attention import data, dates, training
from seq2seq_attention.exercises import (
    check_exact_match, check_masked_accuracy, check_masked_cross_entropy)
from seq2seq_attention.metrics import evaluate_translator
from seq2seq_attention.models import Seq2SeqAttention
from seq2seq_attention.plots import plot_attention
from seq2seq_attention.translator import Translator

profile = training.choose_profile()   # "full" on a GPU, "quick" on a CPU
print(profile)"""),
(MD, r"""## Profiles

Every chapter that trains reads its sizes from a **profile**: `quick` for a CPU (this is what the
tests run, in minutes) and `full` for a GPU such as Colab's. The choice is automatic (a visible GPU
means `full`) and can be forced with the environment variable `SEQ2SEQ_ATTENTION_PROFILE` or an
argument:

```{literalinclude} ../code/seq2seq_attention/training.py
:pyobject: choose_profile
:language: python
```

## What `fit` optimises

The model predicts, for every target position $t$, a distribution over the vocabulary. With teacher
forcing it reads the true previous word $y_{t-1}$ and is scored on $y_t$. Padding positions
($m_t = 0$) must not count, so the loss is the average cross-entropy over real tokens only:

$$
\mathcal{L} = -\frac{\sum_{b,t} m_{b,t} \log p_\theta(y_{b,t} \mid y_{b,<t}, x_b)}{\sum_{b,t} m_{b,t}} .
$$

Keras' `SparseCategoricalCrossentropy(ignore_class=0)` computes exactly this, and the accuracy we
report counts real tokens only (exercises 1 and 2 check both against numpy):

```{literalinclude} ../code/seq2seq_attention/metrics.py
:pyobject: masked_loss
:language: python
```

Training itself is one call to `fit`, wrapped so that every run gets the same callbacks: the best model
is saved atomically (written to a temporary file, then renamed), `BackupAndRestore` lets an interrupted
run resume at the epoch where it stopped, early stopping watches the validation loss, and TensorBoard
logs go into the run folder. Passing a `tf.distribute` strategy (for example `MirroredStrategy` on a
machine with several GPUs) builds the model inside its scope; nothing else changes.

```{literalinclude} ../code/seq2seq_attention/training.py
:pyobject: train
:language: python
```"""),
(MD, r"""## Dates: both decoders

The dates task turns human-written dates into ISO 8601. Characters are the tokens, so vocabularies are
tiny and training is fast. We generate examples with a fixed seed, split them, and build the
`tf.data` pipelines of the data chapter."""),
(CODE, """# NBVAL_CHECK_OUTPUT
pairs = dates.generate_dates(10_000, seed=0)
split = data.split_by_source(pairs, seed=0)
src_vec = data.make_vectorizer([s for s, _ in split.train], level="character")
tgt_vec = data.make_vectorizer([t for _, t in split.train], level="character")
train_ds = data.make_dataset(split.train, src_vec, tgt_vec,
                             batch_size=profile.batch_size, seed=0, buckets=4)
val_ds = data.make_dataset(split.validation, src_vec, tgt_vec,
                           batch_size=profile.batch_size, shuffle=False)
print(len(split.train), "training pairs;", len(split.validation), "validation;",
      len(split.test), "test")
print("vocabularies:", src_vec.vocabulary_size(), "source characters,",
      tgt_vec.vocabulary_size(), "target characters")
print("example:", split.train[0])"""),
(MD, r"""We train the Luong decoder (attention after the RNN) and the Bahdanau decoder (attention before each
RNN step) with the same sizes, seed and data, and time them. `verbose=2` prints one line per epoch."""),
(CODE, """runs = {}
for decoder in ("luong", "bahdanau"):
    keras.utils.set_random_seed(0)
    start = time.perf_counter()
    model, history = training.train(
        lambda: Seq2SeqAttention(src_vec.vocabulary_size(), tgt_vec.vocabulary_size(),
                                 embedding_dim=profile.embedding_dim,
                                 units=profile.units, decoder=decoder),
        train_ds, val_ds, epochs=profile.epochs, run_dir=tempfile.mkdtemp(), verbose=2)
    seconds = time.perf_counter() - start
    runs[decoder] = (Translator(model, src_vec, tgt_vec), history, seconds)
    print(f"{decoder}: {seconds:.0f} s\\n")"""),
(CODE, """fig, axes = plt.subplots(1, 2, figsize=(10, 3.5), layout="constrained")
for decoder, (_, history, _) in runs.items():
    for ax, key in zip(axes, ("loss", "masked_accuracy")):
        ax.plot(history.history[key], "--", label=f"{decoder} train")
        ax.plot(history.history["val_" + key], label=f"{decoder} validation")
axes[0].set(yscale="log", xlabel="epoch", title="masked loss")
axes[1].set(xlabel="epoch", title="masked token accuracy")
axes[1].legend()
plt.show()"""),
(MD, r"""Token accuracy is not what a user cares about: a date with one wrong digit is wrong. **Exact match**
counts whole outputs, on 1,000 test dates whose inputs were never seen in training. We decode greedily
with the `Translator`, which goes from strings to strings."""),
(CODE, """for decoder, (translator, _, seconds) in runs.items():
    scores = evaluate_translator(translator, split.test, metric="exact", limit=1000)
    print(f"{decoder:9s} exact match {scores['exact_match']:.1%} "
          f"on {scores['sentences']} test dates; training took {seconds:.0f} s")"""),
(MD, r"""Both decoders solve the task within a few epochs on a CPU. They differ in cost: the Luong decoder runs its RNN over
the whole target in one call and attends for all steps at once, while the Bahdanau decoder must attend
before each RNN step, so its steps run one after another. At the TensorFlow tutorial's sizes (256 units,
5,000-word vocabularies, batch 64) we measured on a 2-core CPU (`benchmarks/training_throughput.py`):

| decoder | additive attention | dot attention |
|---|---|---|
| Luong | 2,523 target tokens/s | 3,268 target tokens/s |
| Bahdanau | 2,739 target tokens/s | 2,610 target tokens/s |

On a CPU the two are close; with additive attention the Luong decoder pays for scoring every
(target, source) pair at once, a tensor of size batch × $T$ × $S$ × units.

### What the model looks at

Now the attention maps. Each row is one output character, each column one input character."""),
(CODE, """examples = ["tue 3 march 2015", "03/04/99", "the 21st of june, 1987"]
fig, axes = plt.subplots(len(examples), 2, figsize=(12, 9), layout="constrained")
for col, (decoder, (translator, _, _)) in enumerate(runs.items()):
    for row, result in enumerate(translator.translate(examples)):
        plot_attention(result.weights, result.source_tokens, result.target_tokens,
                       ax=axes[row, col], annotate=False,
                       title=f"{decoder}: {result.source!r} -> {result.text}")
plt.show()"""),
(MD, r"""Read a map row by row. The output starts with the year, which comes *last* in these inputs, so the
first rows look at the right end of the input and the last rows at its beginning: attention lets the
decoder reorder fields, which a fixed-size summary of the input makes hard. Each digit of the year
looks at its own digit. In `03/04/99` the century digits `1` and `9` look at `99`: the model infers
the century from the two-digit year. The month looks at the month's name or number, the day at the
day, and the separators `-`, which the output format fixes, get diffuse attention. Both decoders
learn the same alignment; the Luong decoder queries with the state *after* reading the previous
character, the Bahdanau decoder with the state *before* the step, which changes the details of a
map rather than its picture.

## English to Spanish

Now real sentences: the Tatoeba English–Spanish pairs (CC-BY 2.0 (France), from
[www.manythings.org/anki](https://www.manythings.org/anki) and [tatoeba.org](https://tatoeba.org)).
Offline, the package's small sample is used instead; the numbers below say which. The cleaning and split
are those of the data chapter: lower case, punctuation as tokens, pairs of at most 20 words, and a split
by distinct English sentence so that no test sentence was seen in training."""),
(CODE, """corpus, which = data.load_spa_eng_or_sample()
pairs = data.prepare_pairs(corpus.pairs, max_length=20)
split = data.split_by_source(pairs, seed=0)
train_pairs = split.train[: profile.max_train_examples]
src_vec = data.make_vectorizer([s for s, _ in train_pairs], max_tokens=5000)
tgt_vec = data.make_vectorizer([t for _, t in train_pairs], max_tokens=5000)
train_ds = data.make_dataset(train_pairs, src_vec, tgt_vec,
                             batch_size=profile.batch_size, seed=0, buckets=4)
val_ds = data.make_dataset(split.validation, src_vec, tgt_vec,
                           batch_size=profile.batch_size, shuffle=False)
print(f"{which} corpus: {len(train_pairs)} training pairs "
      f"(profile {profile.name}), {len(split.test)} test pairs")"""),
(CODE, """keras.utils.set_random_seed(0)
model, history = training.train(
    lambda: Seq2SeqAttention(src_vec.vocabulary_size(), tgt_vec.vocabulary_size(),
                             embedding_dim=profile.embedding_dim, units=profile.units,
                             decoder="bahdanau"),
    train_ds, val_ds, epochs=profile.epochs, run_dir=tempfile.mkdtemp(), verbose=2)
translator = Translator(model, src_vec, tgt_vec)"""),
(CODE, """scores = evaluate_translator(translator, split.test, metric="bleu", limit=1000)
print(f"test BLEU {scores['bleu']:.1f}, chrF {scores['chrf']:.1f} "
      f"on {scores['sentences']} sentences ({which} corpus, profile {profile.name})")
for result, refs in list(zip(scores["translations"], scores["references"]))[:5]:
    print(f"{result.source}\\n  -> {result.text}\\n  reference: {' | '.join(refs)}")"""),
(MD, r"""BLEU counts the word n-grams (up to 4) that the translation shares with any reference, with a penalty
for short outputs; chrF does the same with character n-grams, which is kinder to Spanish's word endings.
Both come from sacreBLEU, so they can be compared with published numbers on the same data.

How good is good? The quick profile above is a smoke run: a small model (128 units) on at most
20,000 pairs for a few minutes, so expect a low BLEU and many `[UNK]`s. For reference, we trained
each decoder at the TensorFlow tutorial's sizes (256 units, 5,000-word vocabularies, batch 64) on all
94,826 training pairs for a fixed budget of 20 CPU-minutes on a 2-core machine
(`benchmarks/bleu_budget.py`, about 2 epochs), then decoded 1,000 test sentences greedily:

| decoder | training steps | test BLEU | test chrF |
|---|---|---|---|
| Luong (attention after the RNN) | 2,860 | 19.9 | 38.9 |
| Bahdanau (attention before the RNN step) | 2,496 | 12.4 | 29.7 |

Within the same CPU budget the Luong decoder did more steps and learnt faster; on a GPU, where the
`full` profile trains for 30 epochs on every pair, both go much further.

Here is what the model attends to on a real sentence:"""),
(CODE, """result = translator.translate(["Tom is reading a book in the garden."])[0]
print(result.text)
plot_attention(result.weights, result.source_tokens, result.target_tokens,
               title="English -> Spanish")
plt.show()"""),
(MD, r"""## Exercises

:::{exercise} The masked loss by hand
:label: ex-masked-cross-entropy

Complete `masked_cross_entropy(logits, targets)`: `logits` has shape `(batch, T, vocab)`, `targets`
`(batch, T)` with 0 for padding. Return the mean of $-\log \operatorname{softmax}(\text{logits})[y]$ over
the **real** tokens only (a float). Use a stable log-softmax.
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def masked_cross_entropy(logits, targets):
    raise NotImplementedError("your code here")

check_masked_cross_entropy(masked_cross_entropy)"""),
(MD, r"""::::{solution} ex-masked-cross-entropy
:class: dropdown

```python
def masked_cross_entropy(logits, targets):
    shifted = logits - logits.max(axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    picked = np.take_along_axis(log_probs, targets[..., None], axis=-1)[..., 0]
    real = targets != 0
    return float(-(picked * real).sum() / real.sum())
```
::::

:::{exercise} Masked token accuracy
:label: ex-masked-accuracy

Complete `masked_accuracy(logits, targets)`: the fraction of real (non-zero) target tokens whose
highest-scoring logit is the right token.
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def masked_accuracy(logits, targets):
    raise NotImplementedError("your code here")

check_masked_accuracy(masked_accuracy)"""),
(MD, r"""::::{solution} ex-masked-accuracy
:class: dropdown

```python
def masked_accuracy(logits, targets):
    real = targets != 0
    return float(((logits.argmax(axis=-1) == targets) & real).sum() / real.sum())
```
::::

:::{exercise} Exact match with several references
:label: ex-exact-match

Complete `exact_match(hypotheses, references)`: `references[i]` is a list of acceptable outputs for
`hypotheses[i]`. Return the fraction of hypotheses equal to one of their references, ignoring
white space at either end.
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def exact_match(hypotheses, references):
    raise NotImplementedError("your code here")

check_exact_match(exact_match)"""),
(MD, r"""::::{solution} ex-exact-match
:class: dropdown

```python
def exact_match(hypotheses, references):
    hits = sum(h.strip() in {r.strip() for r in refs}
               for h, refs in zip(hypotheses, references))
    return hits / len(hypotheses)
```
::::

## Summary

- Training is `fit` with a loss and an accuracy that ignore padding; the package's `train` adds atomic
  checkpoints, resuming, early stopping, TensorBoard and `tf.distribute` without changing the model.
- Profiles pick sizes for the machine: `quick` on a CPU, `full` on a GPU.
- On the dates task both decoders reach near-perfect exact match in a few epochs on a CPU, and their
  attention maps show the alignment between input fields and output digits.
- On English–Spanish, BLEU and chrF from sacreBLEU measure quality on sentences never seen in training.

Next: decoding, where greedy search meets beam search."""),
]

if __name__ == "__main__":
    write_notebook(cells, "05_3_training")
