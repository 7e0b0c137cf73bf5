"""Write chapters/07_tools.ipynb (without outputs); see make_math_notebook.py.

    .venv/bin/python tools/make_tools_notebook.py
    .venv/bin/python tools/execute_notebooks.py chapters/07_tools.ipynb
"""

from notebook_writer import CODE, MD, write_notebook
from setup_cell import SETUP_CELL

cells = [
(MD, r"""# Tools and resources

This chapter is a tour of the stack the course is built on, and of what to read next. For each tool
it says what the course uses it for and why that tool, with a small live demonstration; the
demonstrations take seconds. The last part is an annotated reading list.

```{admonition} Learning objectives
:class: tip
After this chapter you can
- say what each part of the stack does (Keras 3, TensorFlow and `tf.data`, `TextVectorization`,
  sacreBLEU, TensorBoard, Jupyter Book, Colab, pytest and nbval) and why the course chose it;
- report a BLEU score that others can compare with yours, by giving sacreBLEU's signature;
- open the TensorBoard logs that `train` writes, and read them from Python;
- run the book's tests, and know what each layer of them checks;
- choose the paper or tutorial to read next for a given question.
```"""),
(CODE, SETUP_CELL),
(CODE, """import doctest
import tempfile
from pathlib import Path

import keras
import numpy as np
import sacrebleu
import tensorflow as tf
from sacrebleu.metrics import BLEU

from seq2seq_attention import AdditiveAttention, alignment, data, dates, training
from seq2seq_attention.exercises import (
    check_brevity_penalty, check_clipped_precision, check_signature_differences, check_stable_softmax)
from seq2seq_attention.models import Seq2SeqAttention"""),
(MD, r"""## The stack at a glance

| tool | what the course uses it for | why this one |
|---|---|---|
| Keras 3 {cite}`chollet2015keras` | layers, models, `fit`, saving to one `.keras` file | readable model code; `get_config` and registered classes make saving and loading exact |
| TensorFlow {cite}`abadi2016` and `tf.data` {cite}`murray2021` | the backend, input pipelines, `tf.function` decoding loops | mature CPU and GPU support, and Colab has it preinstalled |
| `TextVectorization` | text to token ids, inside the model's world | the vocabulary is a layer's state and travels with the model |
| sacreBLEU {cite}`post2018` | BLEU {cite}`papineni2002` and chrF {cite}`popovic2015` | scores that can be compared with published ones, thanks to its signature |
| TensorBoard | training curves, per run | written by a Keras callback; nothing to add to the code |
| Jupyter Book | this website, from notebooks and Markdown | citations, cross-references, exercises with hidden solutions, math |
| Colab | a free GPU for the `full` profile | one click from every chapter; nothing to install but the package |
| pytest, nbval | tests of the package, its docstring examples and every notebook | one command, `make test`, checks everything the book claims |

## Keras 3

Keras 3 runs on several backends (TensorFlow, JAX, PyTorch). The course uses the TensorFlow backend,
because its pipelines are `tf.data` and its decoding loops are `tf.function`s; the package sets
`KERAS_BACKEND=tensorflow` when it is imported first. Every layer of the package is a `keras.layers.Layer`
with a `get_config`, and is registered for serialisation, so a layer can be rebuilt from its
configuration, and a whole translator saved to and loaded from a single `.keras` file."""),
(CODE, """# NBVAL_CHECK_OUTPUT
print("backend:", keras.config.backend())
layer = AdditiveAttention(units=8)
config = layer.get_config()
print({key: config[key] for key in ("name", "units")})
rebuilt = AdditiveAttention.from_config(config)
print(type(rebuilt).__name__, rebuilt.units, "(rebuilt from its configuration)")
print(keras.saving.get_registered_name(AdditiveAttention))"""),
(MD, r"""## TensorFlow and `tf.data`

A `tf.data.Dataset` is a pipeline: read, transform, batch, prefetch, each step running in parallel with
training. The course's `make_dataset` turns `(source, target)` strings into the padded batches that
teacher forcing needs, `((source_ids, target_in_ids), target_out_ids)`, optionally grouping sentences
of similar length into buckets so that batches carry less padding (the data chapter explains each
step). Its `element_spec` says what each batch holds; `None` marks the dimensions that vary from batch
to batch."""),
(CODE, """# NBVAL_CHECK_OUTPUT
pairs = [("go .", "ve ."), ("i am tom .", "soy tom ."), ("run !", "corre !")]
src_vec = data.make_vectorizer([s for s, _ in pairs])
tgt_vec = data.make_vectorizer([t for _, t in pairs])
dataset = data.make_dataset(pairs, src_vec, tgt_vec, batch_size=3, shuffle=False)
print(dataset.element_spec)
(source, target_in), target_out = next(iter(dataset))
print("source ids:\\n", source.numpy())
print("decoder input:\\n", target_in.numpy())
print("expected output:\\n", target_out.numpy())"""),
(MD, r"""## `TextVectorization`

Keras' `TextVectorization` layer maps text to integer ids with a fixed vocabulary. `make_vectorizer`
builds one with the course's reserved ids (0 padding, 1 `[UNK]`, 2 `[START]`, 3 `[END]`), a
reproducible order (most frequent first, ties alphabetical), and either word or character tokens. Because
the vocabulary is the layer's state, it is saved with the translator: a model can never be used with the
wrong vocabulary by accident."""),
(CODE, """# NBVAL_CHECK_OUTPUT
words = data.make_vectorizer(["the cat sat .", "the dog sat ."])
print([str(token) for token in words.get_vocabulary()])
print(words(["The bird sat."]).to_list(), "<- unknown 'bird' is 1, [UNK]")
characters = data.make_vectorizer(["2015-03-03"], level="character")
print([str(token) for token in characters.get_vocabulary()])
print(characters(["2016-03-01"]).to_list())"""),
(MD, r"""## sacreBLEU: scores you can compare

"BLEU" is not one number but a family: the score depends on how the text is tokenised, whether case
counts, how many references there are, and the smoothing. Papers that differ in these details report
numbers that cannot be compared, and differences of several points come from the settings alone
{cite}`post2018`. sacreBLEU fixes sensible defaults, works on *detokenised* text, and prints a
**signature** that records every setting. Here are the same three translations scored four ways:"""),
(CODE, """hypotheses = ["¿Dónde está la estación de tren?", "Tom no sabe nadar.", "Me gusta mucho este libro."]
references = [["¿Dónde está la estación?", "Tom no sabe nadar.", "Este libro me gusta mucho."]]
print("sacrebleu", sacrebleu.__version__)
for settings in ({}, {"lowercase": True}, {"tokenize": "intl"}, {"tokenize": "char"}):
    bleu = BLEU(**settings)
    score = bleu.corpus_score(hypotheses, references)
    print(f"BLEU {score.score:5.1f}   {bleu.get_signature()}")"""),
(MD, r"""Four different "BLEU scores" for the same output, from 49 to 82, and only the signatures say why
(`case:lc`, `tok:intl`, `tok:char`). When you report BLEU, report the signature with it, and compare
two numbers only if their signatures agree (exercise 3 compares signatures for you). The course's
`metrics.corpus_bleu` and `corpus_chrf` call sacreBLEU with its defaults, `13a` tokenisation on our
normalised text. chrF {cite}`popovic2015` counts character n-grams and is kinder to languages with rich
word endings, such as Spanish.

The score itself is simple. For each $n$ from 1 to 4, BLEU counts the hypothesis' $n$-grams that also
occur in a reference, each **clipped** to its number of occurrences there (exercise 1), and multiplies
the geometric mean of these precisions by a **brevity penalty** for outputs shorter than the reference
(exercise 2):

$$
\text{BLEU} = \text{BP} \cdot \exp\Big(\tfrac14 \sum_{n=1}^{4} \log p_n\Big), \qquad
\text{BP} = \begin{cases} 1 & c > r \\ e^{1 - r/c} & c \le r \end{cases}
$$

with $c$ the total length of the hypotheses and $r$ that of the references, both summed over the corpus."""),
(CODE, """score = BLEU().corpus_score(hypotheses, references)
print(score)
print("clipped matches per n:", score.counts, " hypothesis n-grams per n:", score.totals)"""),
(MD, r"""## TensorBoard

`training.train` adds Keras' TensorBoard callback, which writes event files under `RUN_DIR/logs/train`
and `RUN_DIR/logs/validation`: the loss, the masked accuracy and the learning rate, once per epoch. We
train a tiny model for three epochs to make some logs:"""),
(CODE, """pairs = dates.generate_dates(256, seed=0)
src_vec = data.make_vectorizer([s for s, _ in pairs], level="character")
tgt_vec = data.make_vectorizer([t for _, t in pairs], level="character")
train_ds = data.make_dataset(pairs[:192], src_vec, tgt_vec, batch_size=64, seed=0)
val_ds = data.make_dataset(pairs[192:], src_vec, tgt_vec, batch_size=64, shuffle=False)
run_dir = Path(tempfile.mkdtemp())
keras.utils.set_random_seed(0)
model, history = training.train(
    lambda: Seq2SeqAttention(src_vec.vocabulary_size(), tgt_vec.vocabulary_size(), embedding_dim=8, units=8),
    train_ds, val_ds, epochs=3, run_dir=run_dir, verbose=0)
for path in sorted(run_dir.rglob("*")):
    if "backup" not in path.parts:
        print(path.relative_to(run_dir))"""),
(MD, r"""To look at them, start TensorBoard on the `logs` folder of a run and open the address it prints
(usually http://localhost:6006):

```bash
tensorboard --logdir runs/dates/logs        # one run; or --logdir runs to compare several runs
```

In Jupyter or Colab, the notebook extension shows TensorBoard inside the notebook:

```python
%load_ext tensorboard
%tensorboard --logdir runs/dates/logs
```

The event files can also be read from Python, with the same reader TensorBoard uses; handy for tests, or
to plot several runs in one figure:"""),
(CODE, """from tensorboard.backend.event_processing.event_accumulator import EventAccumulator


def read_scalars(folder):
    \"\"\"{tag: [values per epoch]} from the TensorBoard event files in a folder.\"\"\"
    events = EventAccumulator(str(folder))
    events.Reload()
    return {tag: [round(float(tf.make_ndarray(e.tensor_proto)), 3) for e in events.Tensors(tag)]
            for tag in events.Tags()["tensors"] if tag.startswith("epoch_")}


for split in ("train", "validation"):
    print(split, read_scalars(run_dir / "logs" / split))"""),
(MD, r"""## Jupyter Book

This website is a [Jupyter Book](https://jupyterbook.org) (version 1, built on Sphinx). Each chapter is a
notebook ({cite:t}`kluyver2016` describe the format) or a Markdown page written in MyST, a Markdown
with Sphinx's directives: `{cite}` for citations (from `references.bib`), `literalinclude` to show the
package's code from its source file (so the book can never show a stale copy), math with `$...$`, and
the `exercise` and `solution` directives of sphinx-exercise for the exercises with hidden solutions.
`_toc.yml` lists the chapters and `_config.yml` holds the settings. The book is built without running
any code: it shows the outputs stored in the notebooks.

```bash
jupyter-book build .                                  # the website, into _build/html
jupyter-book build . --warningiserror --nitpick       # what CI runs: any warning fails the build
```

## Colab and the launch button

Every chapter has a rocket button at the top of its page; "Colab" opens the chapter's notebook in
Google Colab, where a GPU is free to use. A few lines of `_config.yml` give the button:

```{literalinclude} ../_config.yml
:language: yaml
:start-at: launch_buttons
:end-before: html
```

The first cell of every chapter installs the course package when it runs in Colab (TensorFlow and
Keras are already there) and does nothing elsewhere. Chapters that train read their sizes from
`training.choose_profile()`: the `full` profile when TensorFlow sees a GPU, `quick` otherwise."""),
(CODE, """print("GPUs:", tf.config.list_physical_devices("GPU"))
print(training.choose_profile())"""),
(MD, r"""## How the book tests itself

Everything the book claims is checked by `make test`, on a clean machine in CI, in four layers:

1. **Unit tests** (`tests/test_*.py`): the package's behaviour, e.g. that padding gets exactly zero
   attention weight, that a saved translator translates exactly like the original, that the numpy
   reference of each formula agrees with the Keras layer.
2. **Docstring examples** (`--doctest-modules`): every public function's example is run and its output
   compared, so the documentation cannot drift from the code.
3. **Notebooks** (nbval): every chapter is executed top to bottom on a CPU, with the `quick` profile;
   cells marked `# NBVAL_CHECK_OUTPUT` must reproduce their stored output exactly. A test also runs the
   hidden solution of every exercise through its checker, and checks that stored outputs are clean.
4. **The book build**, with warnings as errors: a broken citation, cross-reference or include fails.

A docstring example is a test you can run yourself:"""),
(CODE, """# NBVAL_CHECK_OUTPUT
print(doctest.testmod(alignment, optionflags=doctest.NORMALIZE_WHITESPACE))"""),
(MD, r"""and an exercise checker is a small test that explains its failures:"""),
(CODE, """# NBVAL_CHECK_OUTPUT
check_stable_softmax(lambda scores: np.exp(scores) / np.exp(scores).sum(axis=-1, keepdims=True))"""),
(MD, r"""To run one layer, or one notebook:

```bash
make test                                                     # everything, as CI does
.venv/bin/python -m pytest tests/test_attention.py            # one test file
.venv/bin/python -m pytest chapters/06_applications.ipynb     # one notebook under nbval
```

## Annotated references

**The papers behind this course**

- {cite:t}`sutskever2014`: the encoder–decoder that maps a sequence to a fixed vector and back; read it
  for the baseline that attention improves on, and for the trick of reversing the source.
- {cite:t}`cho2014`: the RNN encoder–decoder and the GRU; read it for the gated unit our encoder uses.
- {cite:t}`bahdanau2015`: attention itself; read section 3 and appendix A for the additive score and the
  decoder that attends before each step, and look at the alignment figures.
- {cite:t}`luong2015`: dot, general and concat scores, global versus local attention, and attention after
  the RNN step; read it for the design choices this course compares.
- {cite:t}`wu2016`: attention in a production translation system (GNMT); read it for what it takes at
  scale: deep stacks, residual connections, word pieces, length normalisation and coverage in beam search.
- {cite:t}`vaswani2017`: the Transformer, attention without recurrence; read it next, for scaled
  dot-product attention, multiple heads and self-attention.

**Applications and interpretation**

- {cite:t}`xu2015` (Show, Attend and Tell): attention over image regions for captioning; read it to see
  that nothing in attention is specific to text.
- {cite:t}`jain2019` (Attention is not Explanation), with the reply of {cite:t}`wiegreffe2019`: read them
  before you present an attention map as the reason for a prediction.

**Evaluation**

- {cite:t}`post2018`: why BLEU scores from different papers are often not comparable, and the signature
  that fixes it; read it before you report a score.
- {cite:t}`papineni2002` and {cite:t}`popovic2015`: the definitions of BLEU and chrF.

**Books, tutorials and code**

- *Dive into Deep Learning* {cite}`zhang2023d2l`, chapters on attention mechanisms and Transformers
  ([d2l.ai](https://d2l.ai)): the same ideas with runnable code in several frameworks; read it for a
  second explanation and for the Transformer built step by step.
- The TensorFlow tutorial *Neural machine translation with attention* {cite}`tfnmt`: a compact
  Keras version of the model of the practice chapters (the same dataset and the sizes our benchmarks use);
  read it to compare with our code.
- *The Annotated Transformer* {cite}`rush2018`: the Transformer paper interleaved line by line with a
  working implementation; read it after {cite:t}`vaswani2017`.

## Exercises

:::{exercise} Clipped n-gram counts
:label: ex-clipped-precision

Complete `clipped_precision(hypothesis, reference, n)`: `hypothesis` and `reference` are lists of tokens.
Return `(matches, total)`, where `total` is the number of $n$-grams in the hypothesis and `matches`
counts them, each $n$-gram at most as many times as it occurs in the reference. For the hypothesis
`the the the the the the the` and the reference `the cat is on the mat`, `n=1` gives `(2, 7)`.
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def clipped_precision(hypothesis, reference, n):
    raise NotImplementedError("your code here")

check_clipped_precision(clipped_precision)"""),
(MD, r"""::::{solution} ex-clipped-precision
:class: dropdown

```python
def clipped_precision(hypothesis, reference, n):
    def count(tokens):
        counts = {}
        for i in range(len(tokens) - n + 1):
            gram = tuple(tokens[i:i + n])
            counts[gram] = counts.get(gram, 0) + 1
        return counts

    hyp, ref = count(hypothesis), count(reference)
    return sum(min(c, ref.get(g, 0)) for g, c in hyp.items()), sum(hyp.values())
```
::::

:::{exercise} The brevity penalty
:label: ex-brevity-penalty

Complete `brevity_penalty(c, r)` for a hypothesis length `c` and a reference length `r`: 1 if `c > r`,
otherwise $e^{1 - r/c}$, and 0 for an empty hypothesis. Why does BLEU need it, when it already measures
precision?
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def brevity_penalty(c, r):
    raise NotImplementedError("your code here")

check_brevity_penalty(brevity_penalty)"""),
(MD, r"""::::{solution} ex-brevity-penalty
:class: dropdown

```python
def brevity_penalty(c, r):
    if c > r:
        return 1.0
    if c == 0:
        return 0.0
    return float(np.exp(1 - r / c))
```

Precision alone rewards saying little: a one-word output that is in the reference has a unigram
precision of 100%. The penalty makes short outputs pay.
::::

:::{exercise} Comparable scores
:label: ex-signature-differences

Complete `signature_differences(a, b)` for two sacreBLEU signatures such as
`nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.4.0`: return the sorted list of the field names
whose values differ (a field present in only one signature counts as different). Two BLEU scores are
comparable only when this list is empty, or holds only `version` for versions known to agree.
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def signature_differences(a, b):
    raise NotImplementedError("your code here")

check_signature_differences(signature_differences)"""),
(MD, r"""::::{solution} ex-signature-differences
:class: dropdown

```python
def signature_differences(a, b):
    fields_a = dict(part.split(":", 1) for part in a.split("|"))
    fields_b = dict(part.split(":", 1) for part in b.split("|"))
    return sorted(k for k in fields_a.keys() | fields_b.keys() if fields_a.get(k) != fields_b.get(k))
```
::::

## Summary

- Keras 3 on TensorFlow gives readable models that save to one file; `tf.data` and `TextVectorization`
  turn text into padded batches, and the vocabulary travels with the model.
- BLEU depends on its settings; sacreBLEU's signature records them, so report it with every score.
- `train` writes TensorBoard logs; open them with `tensorboard --logdir`, or read them from Python.
- The book is a Jupyter Book whose pages open in Colab, and `make test` checks the package, its
  examples, every notebook and the build.
- Read next: {cite:t}`vaswani2017`, then *The Annotated Transformer* {cite}`rush2018`; before presenting
  attention maps as explanations, {cite:t}`jain2019`."""),
]

if __name__ == "__main__":
    write_notebook(cells, "07_tools")
