"""Write chapters/06_applications.ipynb (without outputs); see make_math_notebook.py.

    .venv/bin/python tools/make_applications_notebook.py
    .venv/bin/python tools/execute_notebooks.py chapters/06_applications.ipynb
"""

from notebook_writer import CODE, MD, write_notebook
from setup_cell import SETUP_CELL

cells = [
(MD, r"""# Applications

The same layer, three different jobs. In this chapter we train three small attention models on a CPU,
each in well under a minute, on tasks that need attention for different reasons: **reordering** fields
(turning written dates into ISO dates), **reversing** a string, and **sorting** its characters. For each
we read the attention map, then turn it into numbers. The chapter ends with where attention is used in
practice.

```{admonition} Learning objectives
:class: tip
After this chapter you can
- train an attention model on a new character-level task with the course package in a few lines;
- predict what the attention map of a task should look like, and check it against a trained model;
- measure a map with two numbers, *pointing accuracy* and *entropy*, instead of only looking at it;
- name the fields where attention made its mark (translation, speech, image captioning, summarisation)
  and say why an attention map is not, by itself, an explanation.
```"""),
(CODE, SETUP_CELL),
(CODE, """import tempfile
import time

import keras
import matplotlib.pyplot as plt
import numpy as np

from seq2seq_attention import data, dates, tasks, training
from seq2seq_attention.alignment import attention_entropy, pointing_accuracy, source_positions
from seq2seq_attention.exercises import (
    check_attention_entropy, check_pointing_accuracy, check_sort_positions)
from seq2seq_attention.metrics import evaluate_translator
from seq2seq_attention.models import Seq2SeqAttention
from seq2seq_attention.plots import plot_attention
from seq2seq_attention.translator import Translator"""),
(MD, r"""## One trainer for every task

All three tasks are character-level: a source string in, a target string out. The data chapter's tools
handle them unchanged: a character vectorizer per side, a `tf.data` pipeline, and the training chapter's
`train`. The models are deliberately small (32-dimensional embeddings, 64 units, smaller than the
`quick` profile) and trained with a higher learning rate than the default, so that the whole chapter
runs in about two minutes on a laptop CPU."""),
(CODE, """def train_task(pairs, epochs, seed=0):
    \"\"\"Split the pairs, train a small Luong-attention model, return (translator, test pairs, seconds).\"\"\"
    split = data.split_by_source(pairs, seed=seed)
    src_vec = data.make_vectorizer([s for s, _ in split.train], level="character")
    tgt_vec = data.make_vectorizer([t for _, t in split.train], level="character")
    train_ds = data.make_dataset(split.train, src_vec, tgt_vec, batch_size=64, seed=seed, buckets=4)
    val_ds = data.make_dataset(split.validation, src_vec, tgt_vec, batch_size=64, shuffle=False)
    keras.utils.set_random_seed(seed)
    start = time.perf_counter()
    model, _ = training.train(
        lambda: Seq2SeqAttention(src_vec.vocabulary_size(), tgt_vec.vocabulary_size(),
                                 embedding_dim=32, units=64, decoder="luong"),
        train_ds, val_ds, epochs=epochs, learning_rate=3e-3, run_dir=tempfile.mkdtemp(),
        verbose=0, tensorboard=False)
    return Translator(model, src_vec, tgt_vec), split.test, time.perf_counter() - start


def show_maps(translator, sources, title, size=(6, 4)):
    \"\"\"Translate the sources and draw their attention maps side by side.\"\"\"
    results = translator.translate(sources)
    fig, axes = plt.subplots(1, len(results), figsize=(size[0] * len(results), size[1]),
                             layout="constrained", squeeze=False)
    for ax, result in zip(axes[0], results):
        plot_attention(result.weights, result.source_tokens, result.target_tokens, ax=ax,
                       annotate=False, title=f"{title}: {result.source!r} -> {result.text!r}")
    plt.show()
    return results"""),
(MD, r"""## 1. Reordering: the dates normaliser

The dates task of the data chapter writes a date in one of about thirty human formats and asks for ISO
8601, `YYYY-MM-DD`. In most formats the year comes **last** in the input but **first** in the output, so a
model must reorder fields; the month may be a word (`march`, `mar`) that must become digits. We train on
5,000 examples (the training chapter used 10,000 and a bigger model) and measure exact match on test
dates never seen in training."""),
(CODE, """# NBVAL_CHECK_OUTPUT
date_pairs = dates.generate_dates(5000, seed=0)
print(len(date_pairs), "pairs, e.g.", date_pairs[:3])"""),
(CODE, """dates_translator, dates_test, seconds = train_task(date_pairs, epochs=8)
dates_scores = evaluate_translator(dates_translator, dates_test, metric="exact", limit=300)
print(f"dates: exact match {dates_scores['exact_match']:.1%} on {dates_scores['sentences']} "
      f"test dates after {seconds:.0f} s of training")"""),
(CODE, """dates_results = show_maps(dates_translator, ["tue 3 march 2015", "12/25/1999"], "dates")"""),
(MD, r"""Read each map row by row. The first four rows (the year's digits) look at the **end** of the input,
where the year is written, mostly each digit at its own digit; the month's rows jump back to the month's
name (`march`) or number (`12`), and the day's rows to the day. The dashes, which the output format fixes
whatever the input, have nothing to look up: their weight spreads out or rests on a neighbouring field.
Attention here is a **reordering** device: the decoder writes fields in the target's order and fetches
each from wherever the source put it.

## 2. Reversal: the anti-diagonal

`tasks.generate("reverse", ...)` makes random strings and their reversals. The ideal alignment is known
exactly: output character $t$ of a string of length $n$ is source character $n - 1 - t$. With the
`[START]` marker as column 0 of the map, that is a line from the top right to the bottom left: the
**anti-diagonal**. (`source_positions(task, source)` from `seq2seq_attention.alignment` lists these
ideal positions; exercise 1 asks you to write its sorting case.)"""),
(CODE, """# NBVAL_CHECK_OUTPUT
reverse_pairs = tasks.generate("reverse", 3000, min_length=4, max_length=12, seed=0, alphabet="letters")
print(reverse_pairs[:3])
print("ideal source positions for 'attention':", source_positions("reverse", "attention"))"""),
(CODE, """reverse_translator, reverse_test, seconds = train_task(reverse_pairs, epochs=8)
reverse_scores = evaluate_translator(reverse_translator, reverse_test, metric="exact", limit=300)
print(f"reverse: exact match {reverse_scores['exact_match']:.1%} on {reverse_scores['sentences']} "
      f"test strings after {seconds:.0f} s of training")"""),
(CODE, """reverse_results = show_maps(reverse_translator, ["attention", "keyboard"], "reverse")"""),
(MD, r"""The map is the anti-diagonal, as predicted: to write its first character the decoder looks at the
source's last, and so on; the `[END]` row looks at the beginning, where there is nothing left to copy.
No one told the model where to look; the alignment comes out of training on
input–output pairs alone, exactly as in {cite:t}`bahdanau2015`. Each row is sharp because each output
character copies exactly one input character.

## 3. Sorting: find the next-smallest symbol

Sorting needs more than a fixed alignment: where output step $t$ should look depends on the *content*
of the whole string. An ideal sorter, at step $t$, points at the $t$-th smallest character; of two
equal characters either will do. This is the idea behind pointer networks {cite}`vinyals2015pointer`,
which sort numbers by letting attention pick an input position at each step."""),
(CODE, """# NBVAL_CHECK_OUTPUT
sort_pairs = tasks.generate("sort", 4000, min_length=4, max_length=10, seed=0, alphabet="letters")
print(sort_pairs[:3])
print("ideal source positions for 'keras':", source_positions("sort", "keras"))"""),
(CODE, """sort_translator, sort_test, seconds = train_task(sort_pairs, epochs=12)
sort_scores = evaluate_translator(sort_translator, sort_test, metric="exact", limit=300)
print(f"sort: exact match {sort_scores['exact_match']:.1%} on {sort_scores['sentences']} "
      f"test strings after {seconds:.0f} s of training")"""),
(CODE, """sort_results = show_maps(sort_translator, ["keras", "banana"], "sort")"""),
(MD, r"""Each row lights up the source position of the character being written: for `keras` the first step
looks at `a`, the next at `e`, then `k`, `r`, `s`, wherever they stand in the input. The map is a
permutation, not a diagonal: attention is doing a **content-based search** for the next-smallest symbol.
With a repeated letter, as in `banana`, the weight of a step is often *shared* between the copies of
the letter it writes; a model that writes `a` three times has no reason to prefer one `a` over another.
Attention alone cannot count how many `a`s are already written: the decoder's state has to carry that,
which is what a sorting model must learn beyond where to look.

## From pictures to numbers

A map is convincing on one example and useless for comparing two models. Two numbers summarise a whole
test set:

- **pointing accuracy**: for tasks that copy characters, the fraction of output steps whose most-attended
  source token is the very token being written (exercise 2);
- **entropy** of each row, $H_t = -\sum_s \alpha_{t,s} \log \alpha_{t,s}$ (exercise 3): 0 when step $t$
  looks at one position, $\log S$ when its weights are uniform over $S$ positions.

Both are in `seq2seq_attention.alignment`; the exercises ask you to write them yourself."""),
(CODE, """def map_statistics(translator, test_pairs, n=200, copies=True):
    results = translator.translate([s for s, _ in test_pairs[:n]])
    entropy = np.mean([attention_entropy(r.weights[[i for i, token in enumerate(r.target_tokens)
                                                     if token != "[END]"]]).mean()
                       for r in results if len(r.target_tokens) > 1])
    uniform = np.mean([np.log(len(r.source_tokens)) for r in results])
    pointing = (np.nanmean([pointing_accuracy(r.weights, r.source_tokens, r.target_tokens) for r in results])
                if copies else float("nan"))
    return pointing, entropy, uniform


print(f"{'task':8s} {'exact match':>12s} {'pointing acc.':>14s} {'entropy':>8s} {'uniform':>8s}")
for name, translator, test_pairs, scores, copies in (
        ("dates", dates_translator, dates_test, dates_scores, False),
        ("reverse", reverse_translator, reverse_test, reverse_scores, True),
        ("sort", sort_translator, sort_test, sort_scores, True)):
    pointing, entropy, uniform = map_statistics(translator, test_pairs, copies=copies)
    pointing = f"{pointing:14.1%}" if copies else f"{'n/a':>14s}"
    print(f"{name:8s} {scores['exact_match']:12.1%} {pointing} {entropy:8.2f} {uniform:8.2f}")"""),
(MD, r"""The entropies (in nats, averaged over output steps, the `[END]` step left out) are far below those of
uniform weights ($\log S$ for a source of $S$ tokens, markers included): every model has learnt to look
somewhere specific. Reversal and sorting copy characters, so pointing accuracy applies, and it is
high: where the model looks is where the character it writes comes from. For dates it does not apply
(`march` becomes `03`: no output character is a copy of the character it looks at).

A high pointing accuracy is evidence that the model *uses* its attention the way we think, on a task
whose right alignment we know. On real data we rarely know it, and then a map is a hint, not a proof; see
below.

## Where attention is used in practice

- **Machine translation**, where it started: {cite:t}`bahdanau2015` added attention to an RNN
  encoder–decoder, {cite:t}`luong2015` compared score functions and global and local attention, and
  Google's production system {cite}`wu2016` used attention between deep LSTM stacks before the
  Transformer {cite}`vaswani2017` made attention the whole model.
- **Speech recognition**: the decoder attends over audio frames instead of words, and the map is an
  alignment between letters and time {cite}`chorowski2015,chan2016`.
- **Image captioning**: "Show, Attend and Tell" {cite}`xu2015` attends over the regions of a
  convolutional feature map while writing each word, and its maps show the region behind each word.
- **Summarisation**: {cite:t}`rush2015` generated headlines with an attention-based model;
  pointer-generator networks {cite}`see2017` use the attention weights to *copy* words from the source,
  the same pointing as our reversal and sorting models.
- **Reading comprehension and question answering**: attention picks the passage words that answer a
  question {cite}`hermann2015`.
- **Pointing and combinatorial problems**: pointer networks {cite}`vinyals2015pointer` output positions
  in the input (sorting, convex hulls, travelling salesman tours).

A word of caution: a map shows where the weights are, not why the model decided. {cite:t}`jain2019`
found that quite different attention weights often give the same predictions in text classifiers, and
{cite:t}`wiegreffe2019` answered that whether attention explains depends on what one means by
explanation and how one tests it. Our tasks are the friendly case: the right alignment is known, and
pointing accuracy measures it.

## Exercises

:::{exercise} The ideal sorting alignment
:label: ex-sort-positions

Complete `sort_positions(source)`: for each character of the sorted string, the index in `source` that
it comes from, of two equal characters the earlier one first. For `"cab"` the answer is `[1, 2, 0]`,
for `"baa"` it is `[1, 2, 0]`.
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def sort_positions(source):
    raise NotImplementedError("your code here")

check_sort_positions(sort_positions)"""),
(MD, r"""::::{solution} ex-sort-positions
:class: dropdown

```python
def sort_positions(source):
    return sorted(range(len(source)), key=lambda i: (source[i], i))
```
::::

:::{exercise} Pointing accuracy
:label: ex-pointing-accuracy

Complete `pointing_accuracy(weights, source_tokens, target_tokens)`: `weights` is a `(T, S)` map whose rows
belong to `target_tokens` and columns to `source_tokens`. Over the rows whose token is not a marker
(`[START]`, `[END]`, `[UNK]` or the empty padding token), return the fraction where the source token with
the largest weight equals the row's token.
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def pointing_accuracy(weights, source_tokens, target_tokens):
    raise NotImplementedError("your code here")

check_pointing_accuracy(pointing_accuracy)"""),
(MD, r"""::::{solution} ex-pointing-accuracy
:class: dropdown

```python
def pointing_accuracy(weights, source_tokens, target_tokens):
    hits, steps = 0, 0
    for row, token in zip(weights, target_tokens):
        if token in ("", "[START]", "[END]", "[UNK]"):
            continue
        steps += 1
        hits += source_tokens[int(np.argmax(row))] == token
    return hits / steps
```
::::

:::{exercise} How focused is attention?
:label: ex-attention-entropy

Complete `attention_entropy(weights)`: for a `(T, S)` array of weights, return the `T` entropies
$-\sum_s \alpha_{t,s} \log \alpha_{t,s}$ (natural logarithm), where a weight of exactly 0 adds 0. Then,
in a cell of your own, compare the entropy of the dates map's dash rows with that of its digit rows
(`dates_results[0].weights`).
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def attention_entropy(weights):
    raise NotImplementedError("your code here")

check_attention_entropy(attention_entropy)"""),
(MD, r"""::::{solution} ex-attention-entropy
:class: dropdown

```python
def attention_entropy(weights):
    safe = np.where(weights > 0, weights, 1.0)
    return -np.where(weights > 0, weights * np.log(safe), 0.0).sum(axis=-1)
```
::::

## Summary

- One small model and one training function handle very different tasks; only the data changes.
- The attention map of each task has a shape we can predict: field-to-field jumps for dates (reordering),
  the anti-diagonal for reversal, a content-dependent permutation for sorting.
- Pointing accuracy and entropy turn maps into numbers: the trained models look at one place per step,
  and for copying tasks that place is where the output character comes from.
- Attention spread from translation to speech, image captioning, summarisation and question answering;
  its maps are evidence of alignment, not an explanation by themselves.

Next: the tools this course is built with, and what to read next."""),
]

if __name__ == "__main__":
    write_notebook(cells, "06_applications")
