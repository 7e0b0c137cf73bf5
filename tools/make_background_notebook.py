"""Write chapters/01_background.ipynb (without outputs); see make_math_notebook.py.

    .venv/bin/python tools/make_background_notebook.py
    SEQ2SEQ_ATTENTION_DATA=../shared/data .venv/bin/python tools/execute_notebooks.py chapters/01_background.ipynb
"""

from notebook_writer import CODE, MD, write_notebook
from setup_cell import SETUP_CELL

cells = [
(MD, r"""# Background: why attention

Before 2015, neural machine translation read a whole sentence into **one vector** and wrote the translation
from that vector alone. Attention was invented to remove that bottleneck. This chapter tells the story
briefly and then *measures* the bottleneck: we train a sequence-to-sequence model without attention and one
with attention, the same size and for the same time, on a task whose input length we control, and plot
their quality against the length of the input.

```{admonition} Learning objectives
:class: tip
After this chapter you can
- describe the RNN encoder–decoder of 2014 and say where its fixed-size vector comes from;
- explain why one vector becomes a bottleneck as inputs get longer, and how attention removes it;
- run a controlled experiment: two models that differ only in attention, quality measured by input length;
- read an attention heatmap and say which alignment a task needs;
- place this course's model in the history: Bahdanau and Luong attention, and the Transformer after them.
```"""),
(CODE, SETUP_CELL),
(CODE, """import time

import keras
import matplotlib.pyplot as plt
import numpy as np

from seq2seq_attention import data, tasks, training
from seq2seq_attention.exercises import (
    check_exact_match_by_length, check_fixed_vector, check_reverse_alignment)
from seq2seq_attention.metrics import MaskedTokenAccuracy, masked_loss
from seq2seq_attention.models import Seq2SeqAttention
from seq2seq_attention.plots import plot_attention
from seq2seq_attention.translator import Translator

profile = training.choose_profile()   # "quick" on a CPU, "full" on a GPU
print(profile)"""),
(MD, r"""## Sequence to sequence, 2014

Translation maps a sequence $x_1, \dots, x_S$ to another sequence $y_1, \dots, y_T$ of a different length.
In 2014 two groups showed that recurrent networks can learn this end to end
{cite}`sutskever2014,cho2014`. An **encoder** RNN reads the source one token at a time,

$$
h_s = f(x_s, h_{s-1}), \qquad s = 1, \dots, S,
$$

and its last state $c = h_S$ is handed to a **decoder** RNN, which writes the target one token at a time,
each conditioned on the tokens so far and on $c$:

$$
s_t = g(y_{t-1}, s_{t-1}, c), \qquad p(y_t \mid y_{<t}, x) = \operatorname{softmax}(W_o s_t).
$$

Everything the decoder will ever know about the source has to pass through $c$, a vector of a fixed size
(a few hundred or a thousand numbers) whatever the length of the sentence. Sutskever et al. found that
their LSTM translated better when the source was fed in *reversed*, which puts the first source words
close to the first target words; Cho et al. measured that translation quality fell quickly as sentences
grew longer {cite}`cho2014properties`. A fixed vector has to compress; a long input has more to compress.

## Attention, 2015

Bahdanau, Cho and Bengio kept the encoder's state at **every** position and let the decoder choose, at
every step, which ones to read {cite}`bahdanau2015`: a score $e_{ts}$ of each source state $h_s$ against
the decoder's state, a softmax over the source positions, and a weighted average, the **context**

$$
\alpha_{ts} = \frac{\exp e_{ts}}{\sum_{s'} \exp e_{ts'}}, \qquad c_t = \sum_{s=1}^{S} \alpha_{ts} h_s .
$$

The context now depends on $t$: the decoder gets a fresh summary at every step, focused where it needs
it, and nothing has to be squeezed into one vector. The weights $\alpha_{ts}$ form a soft *alignment*
between output and input positions, learnt without ever being shown one. Luong, Pham and Manning
simplified the score and moved attention after the RNN step {cite}`luong2015`; two years later the
Transformer dropped the RNN altogether and kept only attention {cite}`vaswani2017`.

This course builds the 2015 model from scratch: attention layers in Keras (core concepts, the math), an
encoder with both of Bahdanau's and Luong's decoders (the model chapter), training, decoding with beam
search, fine-tuning, and a translator that goes from strings to strings.

## The baseline: the same model without attention

To measure what attention adds, the package's model takes `attention="none"`. Its attention layer returns
a zero context and zero weights, so the decoder sees the source only through its initial state, the
encoder's final state: the 2014 encoder–decoder. Everything else (sizes, encoder, decoder, training and
decoding code) stays the same, so a comparison isolates attention.

```{literalinclude} ../code/seq2seq_attention/attention.py
:pyobject: NoAttention
:language: python
```

The encoder returns both things: the states at every position, which attention reads, and the final
state, which starts the decoder (a bidirectional encoder sums the final states of its two directions):

```{literalinclude} ../code/seq2seq_attention/models.py
:pyobject: Encoder.call
:language: python
```

## A task whose length we control

Sentences mix many difficulties. To isolate length, we use a synthetic task: **reverse** a random string of
digits. The rule never changes, every output character depends on exactly one input character, and we
choose the input lengths, here spread uniformly from 4 to 23 characters. Reversal needs the whole
input: the first output character is the last input character."""),
(CODE, """# NBVAL_CHECK_OUTPUT
MIN_LENGTH, MAX_LENGTH = 4, 23
train_pairs = tasks.generate("reverse", 5000, min_length=MIN_LENGTH, max_length=MAX_LENGTH, seed=0)
seen = {source for source, _ in train_pairs}
test_pairs = [pair for pair in tasks.generate("reverse", 1200, min_length=MIN_LENGTH,
                                              max_length=MAX_LENGTH, seed=1)
              if pair[0] not in seen]
for source, target in train_pairs[:3]:
    print(f"{source:>23s} -> {target}")
print(len(train_pairs), "training pairs,", len(test_pairs), "test pairs never seen in training")"""),
(MD, r"""The generator draws each length uniformly, then each character; the same seed gives the same pairs:

```{literalinclude} ../code/seq2seq_attention/tasks/sequences.py
:pyobject: generate
:language: python
```

Characters are the tokens, as in the dates task: each pair becomes `[START] ids [END]`, batched and padded
by the data pipeline."""),
(CODE, """# NBVAL_CHECK_OUTPUT
src_vec = data.make_vectorizer([s for s, _ in train_pairs], level="character")
tgt_vec = data.make_vectorizer([t for _, t in train_pairs], level="character")
train_ds = data.make_dataset(train_pairs, src_vec, tgt_vec, batch_size=64, seed=0, buckets=4)
print("vocabulary:", [str(token) for token in src_vec.get_vocabulary()])"""),
(MD, r"""## Two models, one difference

Both models have the same embedding and RNN sizes, the same Luong decoder, the same seed, optimiser and
number of updates (8 passes over the 5,000 strings). The only difference is `attention="none"` against
`attention="additive"`, which adds the attention's $2 \cdot 64^2 + 2 \cdot 64 = 8{,}320$ weights. The
sizes are small (smaller than the quick profile), so that each model trains in about half a minute on a
laptop CPU."""),
(CODE, """EMBEDDING_DIM = min(32, profile.embedding_dim)
UNITS = min(64, profile.units)
EPOCHS = 8

runs = {}
for attention in ("none", "additive"):
    keras.utils.set_random_seed(0)
    model = Seq2SeqAttention(src_vec.vocabulary_size(), tgt_vec.vocabulary_size(),
                             embedding_dim=EMBEDDING_DIM, units=UNITS,
                             decoder="luong", attention=attention)
    model.compile(optimizer=keras.optimizers.Adam(5e-3, clipnorm=1.0), loss=masked_loss(),
                  metrics=[MaskedTokenAccuracy()])
    start = time.perf_counter()
    history = model.fit(train_ds, epochs=EPOCHS, verbose=0, shuffle=False)  # the dataset shuffles itself
    seconds = time.perf_counter() - start
    runs[attention] = Translator(model, src_vec, tgt_vec)
    print(f"attention={attention!r:11s} {model.count_params():,} weights, trained in {seconds:.0f} s, "
          f"final training token accuracy {history.history['masked_accuracy'][-1]:.1%}")"""),
(MD, r"""## Quality against input length

We decode the test strings greedily and group them by length, in bins of four characters. **Exact match**
counts strings reversed without a single mistake; **character accuracy** compares position by position
(a missing or extra character counts as wrong), which shows partial success."""),
(CODE, """bins = tasks.length_bins(MIN_LENGTH, MAX_LENGTH, 4)
sources = [s for s, _ in test_pairs]
references = [t for _, t in test_pairs]
scores = {}
for attention, translator in runs.items():
    outputs = [result.text for result in translator.translate(sources)]
    scores[attention] = tasks.score_by_length(sources, outputs, references, bins)

print("length   count   exact match (none / additive)   character accuracy (none / additive)")
for plain, attended in zip(scores["none"], scores["additive"]):
    print(f"{plain['low']:2d}-{plain['high']:2d}   {plain['count']:5d}   "
          f"{plain['exact_match']:11.1%} / {attended['exact_match']:6.1%}"
          f"          {plain['char_accuracy']:13.1%} / {attended['char_accuracy']:6.1%}")"""),
(CODE, """middles = [(row["low"] + row["high"]) / 2 for row in scores["none"]]
fig, axes = plt.subplots(1, 2, figsize=(10, 3.6), layout="constrained")
for attention, label, style in (("none", "no attention (fixed vector)", "o--"),
                                ("additive", "additive attention", "s-")):
    for ax, key in zip(axes, ("exact_match", "char_accuracy")):
        ax.plot(middles, [row[key] for row in scores[attention]], style, label=label)
for ax, title in zip(axes, ("exact match", "character accuracy")):
    ax.set(xlabel="input length (characters)", ylim=(-0.03, 1.03), title=title)
    ax.grid(alpha=0.3)
axes[0].legend()
plt.show()"""),
(MD, r"""The plain encoder–decoder does well on short strings, which fit in its vector, and falls apart as the
strings get longer: the exact match goes to zero, and the character accuracy drops towards what is left
after the first few characters are right. The attention model, with the same sizes and the same number of
updates, stays near the top across the range. This is the picture of Bahdanau et al.'s Figure 2 (BLEU
against sentence length for models with and without attention), reproduced on a task small enough for a
CPU. With more training the plain model would push its curve to longer strings, but the vector would
still have a fixed size, and the task would keep growing.

## What the attention model looks at

For reversal the right alignment is known: output $t$ copies input $S + 1 - t$, an anti-diagonal. The model
was never told this; here is what it learnt, for one long test string. Each row is an output character
(a decoder step), each column an input character."""),
(CODE, """source = max(sources, key=len)
result = runs["additive"].translate([source])[0]
plain = runs["none"].translate([source])[0]
print("input:          ", source)
print("correct:        ", source[::-1])
print("attention:      ", result.text)
print("no attention:   ", plain.text)
ax = plot_attention(result.weights, result.source_tokens, result.target_tokens, annotate=False,
                    title=f"additive attention, reversing a {len(source)}-digit string")
ax.figure.set_size_inches(7, 6.5)
plt.show()"""),
(MD, r"""The weight sits on the anti-diagonal: at each step the decoder looks up the one character it has to
write next, so the length of the input costs it little. (The columns include the `[START]` and `[END]`
markers that the data pipeline puts around every input; the last row, which writes `[END]`, has no
character left to copy and looks back at the beginning of the input.) The plain model's output above
goes wrong after a few characters and stops too early. Without attention the weights are zero by
construction, and the model must carry all
23 digits, about $23 \log_2 10 \approx 76$ bits, through its one state vector.

## Exercises

:::{exercise} The fixed vector
:label: ex-fixed-vector

Write `fixed_vector(embedded, W_x, W_h, b)`: a simple RNN $h_s = \tanh(x_s W_x + h_{s-1} W_h + b)$,
starting from $h_0 = 0$, over the rows $x_s$ of `embedded` `(src_len, embedding_dim)`. Return only the
last state $h_S$ `(units,)`: the one vector a 2014 decoder receives.
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def fixed_vector(embedded, W_x, W_h, b):
    raise NotImplementedError("your code here")

check_fixed_vector(fixed_vector)"""),
(MD, r"""::::{solution} ex-fixed-vector
:class: dropdown

```python
def fixed_vector(embedded, W_x, W_h, b):
    state = np.zeros(W_h.shape[0])          # h_0 = 0, (units,)
    for x in embedded:                      # one source position at a time
        state = np.tanh(x @ W_x + state @ W_h + b)
    return state                            # h_S: everything the decoder gets
```
::::

:::{exercise} The alignment of reversal
:label: ex-reverse-alignment

Write `reverse_alignment(length)`: the ideal attention weights for reversing a string of `length`
characters, a `(length, length)` array whose row $t$ (output position, from 0) is one-hot at the input
position that output $t$ copies. Compare it with the heatmap above.
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def reverse_alignment(length):
    raise NotImplementedError("your code here")

check_reverse_alignment(reverse_alignment)"""),
(MD, r"""::::{solution} ex-reverse-alignment
:class: dropdown

```python
def reverse_alignment(length):
    weights = np.zeros((length, length))
    for t in range(length):
        weights[t, length - 1 - t] = 1.0    # output t copies input length - 1 - t
    return weights
```
::::

:::{exercise} Exact match by length
:label: ex-exact-match-by-length

Write `exact_match_by_length(sources, hypotheses, references, edges)`: for each pair of neighbouring
`edges` (`low`, `high`), the fraction of the examples with `low <= len(source) < high` whose hypothesis
equals its reference, as an array; `np.nan` for a range without examples. This is the measurement of this
chapter, in a few lines of numpy.
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def exact_match_by_length(sources, hypotheses, references, edges):
    raise NotImplementedError("your code here")

check_exact_match_by_length(exact_match_by_length)"""),
(MD, r"""::::{solution} ex-exact-match-by-length
:class: dropdown

```python
def exact_match_by_length(sources, hypotheses, references, edges):
    lengths = np.array([len(s) for s in sources])
    right = np.array([h == r for h, r in zip(hypotheses, references)], dtype=float)
    scores = []
    for low, high in zip(edges[:-1], edges[1:]):
        inside = (lengths >= low) & (lengths < high)
        scores.append(right[inside].mean() if inside.any() else np.nan)
    return np.array(scores)
```
::::

## Summary

- The 2014 encoder–decoder {cite}`sutskever2014,cho2014` passes the source to the decoder as one
  fixed-size vector, the encoder's final state; its quality falls as inputs grow longer.
- Attention {cite}`bahdanau2015` keeps every encoder state and gives the decoder a new weighted average of
  them at every step; the weights are a soft alignment, learnt without supervision.
- Measured here on string reversal, with the same sizes and training budget: without attention, exact
  match collapses as the input grows; with attention it stays high across lengths.
- The package's `attention="none"` turns the course's model into that baseline, so every later chapter's
  code can be compared with and without attention.
- Next: the core concepts of attention (queries, keys, values, a soft lookup), then the algorithm and its math."""),
]

write_notebook(cells, "01_background")
