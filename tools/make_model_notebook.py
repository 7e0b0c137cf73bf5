"""Write chapters/05_2_model.ipynb (without outputs) from the cells below.

The notebook is the chapter's source of truth once written; this script exists
so that its structure can be reviewed as plain text. Run it, then execute the
notebook to store outputs::

    .venv/bin/python tools/make_model_notebook.py
    .venv/bin/python tools/execute_notebooks.py chapters/05_2_model.ipynb

The chapter builds untrained models only (training is chapter 05_3), so it
runs in well under a minute on a CPU. Cells that print timings are not marked
``NBVAL_CHECK_OUTPUT``.
"""

from notebook_writer import CODE, MD, write_notebook
from setup_cell import SETUP_CELL

cells = [
(MD, r"""# Practice: the Keras model

{doc}`04_math` computed attention for one decoder step on numbers you could check by hand. This
chapter puts it where it belongs: inside an encoder–decoder. We build the encoder, then two decoders
that differ in *when* they attend, in the style of {cite:t}`luong2015` (after the RNN
step) and of {cite:t}`bahdanau2015` (before it), and join them in one `keras.Model`.
Every model here is untrained: we check shapes, masks and equivalences, which must hold before any
training is worth running. The next chapter trains them.

```{admonition} Learning objectives
:class: tip
After this chapter you can
- explain why an attention encoder must return its state at **every** source position, and show
  what goes wrong when it returns only the last one;
- give the shape of every tensor in the encoder, the Luong decoder and the Bahdanau decoder;
- write the equations of "attention after the RNN" (Luong) and "attention before the RNN step"
  (Bahdanau), and say which decoder state is the query in each;
- explain how the Bahdanau cell gets the encoder states in Keras 3, which has no `constants=`;
- check that step-by-step decoding equals teacher forcing, that padding changes nothing, and that
  padding gets an attention weight of exactly 0;
- count the two models' parameters and say why the decoders differ in speed.
```"""),
(CODE, SETUP_CELL),
(CODE, r"""import time

import keras
import numpy as np
from keras import ops

from seq2seq_attention import AdditiveAttention, DotAttention, data, dates
from seq2seq_attention.exercises import (
    check_bahdanau_step, check_encoder_output_shapes, check_luong_output)
from seq2seq_attention.metrics import masked_loss
from seq2seq_attention.models import (
    BahdanauDecoder, Encoder, LuongDecoder, Seq2SeqAttention)

np.set_printoptions(precision=3, suppress=True)"""),
(MD, r"""## A batch to work with

We use the dates task of {doc}`05_1_data`, built exactly as there: 20,000 dates, a split by
source, and character-level vocabularies made from the training part. Four validation dates make
a batch small enough to read. Recall the fixed ids: 0 is padding, 1 `[UNK]`, 2 `[START]`,
3 `[END]`."""),
(CODE, r"""# NBVAL_CHECK_OUTPUT
date_split = data.split_by_source(dates.generate_dates(20_000, seed=0), seed=0)
source_vectorizer = data.make_vectorizer(
    [source for source, _ in date_split.train], level="character")
target_vectorizer = data.make_vectorizer(
    [target for _, target in date_split.train], level="character")
SOURCE_VOCAB = source_vectorizer.vocabulary_size()
TARGET_VOCAB = target_vectorizer.vocabulary_size()
print("vocabulary sizes: source", SOURCE_VOCAB, " target", TARGET_VOCAB)

examples = date_split.validation[:4]
batch = next(iter(data.make_dataset(
    examples, source_vectorizer, target_vectorizer, batch_size=4, shuffle=False)))
(source_ids, target_in), target_out = batch
for source, target in examples:
    print(f"{source!r:55} -> {target}")
print("source_ids", tuple(source_ids.shape), " target_in", tuple(target_in.shape),
      " target_out", tuple(target_out.shape))"""),
(MD, r"""The source is padded to its longest sentence (53 characters with `[START]` and `[END]`); every
target has 10 characters, so `target_in` = `[START]` + 10 characters has 11 steps.

## The encoder

The encoder reads the source and produces the **keys and values** that attention looks up: one
vector $h_s$ per source position $s$. So its output must be a sequence,
`(batch, src_len, units)`, not a single vector per sentence.

### A bug worth seeing: one vector is not enough

The course's first outline built the encoder with a Keras snippet like

```python
encoder = keras.layers.GRU(units)      # no return_sequences=True
```

A Keras RNN returns by default only its **last** state, `(batch, units)`. Attention over that has
$S = 1$ position, and the softmax over one score is always

$$
\alpha_{t,1} = \frac{\exp(e_{t,1})}{\exp(e_{t,1})} = 1 ,
\qquad
c_t = \alpha_{t,1} h_1 = h_1 ,
$$

whatever the score, the query or the weights of the score. The context is the same vector at
every decoder step: the model is the plain encoder–decoder with its fixed-size bottleneck, which is
exactly what attention was invented to remove. Nothing fails, the model even trains, so the bug is
easy to miss. Let us see it with the package's attention layers. They want keys of shape
`(batch, src_len, key_dim)`, so the one vector becomes a "source" of length 1:"""),
(CODE, r"""# NBVAL_CHECK_OUTPUT
keras.utils.set_random_seed(0)
units = 32
embedding = keras.layers.Embedding(SOURCE_VOCAB, 16, mask_zero=True)
embedded = embedding(source_ids)                    # (batch, src_len, 16)
mask = ops.not_equal(source_ids, 0)                 # (batch, src_len), True = real

last_only = keras.layers.GRU(units)(embedded, mask=mask)   # the outline's encoder
print("GRU(units) returns", tuple(last_only.shape), "= (batch, units): one vector")
query = keras.random.normal((4, units), seed=1)     # any decoder state
keys = ops.expand_dims(last_only, 1)                # (batch, 1, units)
for layer in (DotAttention(), AdditiveAttention(units=units)):
    context, weights = layer(query, keys)
    print(f"{type(layer).__name__:17} weights {tuple(weights.shape)}:",
          ops.convert_to_numpy(weights).ravel(),
          "  context is that vector:", np.allclose(context, last_only))"""),
(MD, r"""The fix is one argument. With `return_sequences=True` the GRU returns its state after every
character, `(batch, src_len, units)`, and the weights become a distribution over the real
positions of each sentence (the padding gets 0, thanks to the mask):"""),
(CODE, r"""# NBVAL_CHECK_OUTPUT
every_position = keras.layers.GRU(units, return_sequences=True)(embedded, mask=mask)
print("GRU(units, return_sequences=True) returns", tuple(every_position.shape))
context, weights = DotAttention()(query, every_position, mask=mask)
weights = ops.convert_to_numpy(weights)             # (batch, src_len)
real = ops.convert_to_numpy(mask)
print("weights", weights.shape, " real positions per sentence:", real.sum(axis=1))
print("sum over real positions:", weights.sum(axis=1).round(6),
      " largest weight on padding:", weights[~real].max())
print("weights differ between positions:",
      all(np.ptp(w[m]) > 0 for w, m in zip(weights, real)))"""),
(MD, r"""An untrained model has no reason to prefer a position, so these weights are nearly uniform; what
matters is that they *can* differ. The first sentence's weights over its characters:"""),
(CODE, r"""print(weights[0][real[0]])"""),
(MD, r"""### The package's encoder

`seq2seq_attention.models.Encoder` embeds the source ids and runs a **bidirectional** GRU (or
LSTM) over them, with `return_sequences=True` and `return_state=True`:

```{literalinclude} ../code/seq2seq_attention/models.py
:pyobject: Encoder.call
:language: python
:dedent:
```

- The mask is computed from the ids (`True` where the id is not 0) and given to the RNN
  explicitly. A masked step does not update the state, so a sentence's states do not depend on
  how much padding follows it, and the backward direction starts at the sentence's real last
  character rather than at the padding.
- A bidirectional RNN reads the source left to right and right to left, so $h_s$ knows both what
  came before position $s$ and what comes after. The two directions are **summed**
  (`merge_mode="sum"`), so $h_s$ has `units` features, the same as the decoder state: the dot
  score $q_t^\top h_s$ needs equal sizes. (Concatenation, the other common choice, gives
  `2 * units`; exercise 1 asks for the shapes.)
- The final states of both directions are summed too; they start the decoder. A GRU has one
  state, an LSTM two (`[h, c]`), hence a list.

The embedding layer is created with `mask_zero=True`; since the mask is passed explicitly, that
only matters to layers after the embedding that look for a Keras mask."""),
(CODE, r"""# NBVAL_CHECK_OUTPUT
EMBEDDING_DIM, UNITS = 32, 64
keras.utils.set_random_seed(0)
encoder = Encoder(SOURCE_VOCAB, embedding_dim=EMBEDDING_DIM, units=UNITS)
states, final_state, source_mask = encoder(source_ids)
for label, shape, note in [
        ("states", tuple(states.shape), "(batch, src_len, units)"),
        ("final_state", [tuple(f.shape) for f in final_state],
         "[h], each (batch, units)"),
        ("source_mask", tuple(source_mask.shape), "(batch, src_len), True = real")]:
    print(f"{label:12} {str(shape):13} {note}")
print("real characters per sentence:", ops.convert_to_numpy(source_mask).sum(axis=1))"""),
(MD, r"""## The Luong decoder: attention after the RNN

Luong et al. run the decoder RNN first and attend with its **new** output. With $o_t$ the RNN's
output at step $t$, $y_{t-1}$ the previous target token and $H$ the encoder states:

$$
\begin{aligned}
o_t &= \mathrm{RNN}\big(\mathrm{emb}(y_{t-1}),\ o_{t-1}\big), \qquad o_0 = \text{encoder final state},\\
c_t, \alpha_t &= \mathrm{attention}(o_t, H),\\
\tilde{o}_t &= \tanh\big(W_c\, [c_t; o_t]\big),\\
\mathrm{logits}_t &= W_\text{out}\, \tilde{o}_t + b_\text{out}.
\end{aligned}
$$

Teacher forcing gives the decoder every $y_{t-1}$ at once. The RNN does not depend on the
attention, so it runs over the whole target in one call, and then attention for **all** steps is
one batched computation: the query has shape `(batch, tgt_len, units)` and the weights
`(batch, tgt_len, src_len)`. The package's `LuongDecoder`:

```{literalinclude} ../code/seq2seq_attention/models.py
:pyobject: LuongDecoder.call
:language: python
:dedent:
```

```{literalinclude} ../code/seq2seq_attention/models.py
:pyobject: LuongDecoder._logits
:language: python
:dedent:
```

$W_c$ is the `combine` layer (a `Dense` without bias, with `tanh`) and $W_\text{out}$ the
`logits` layer. Luong et al. also feed $\tilde{o}_{t-1}$ into the next step's input ("input
feeding"); the package leaves that out, which is what keeps the RNN independent of the attention
and the decoder parallel over $t$ in training."""),
(CODE, r"""# NBVAL_CHECK_OUTPUT
keras.utils.set_random_seed(0)
luong = LuongDecoder(TARGET_VOCAB, embedding_dim=EMBEDDING_DIM, units=UNITS,
                     attention="additive")
logits, weights, state = luong(target_in, states, source_mask, final_state)
print("target_in ", tuple(target_in.shape), "       (batch, tgt_len)")
print("logits    ", tuple(logits.shape), "   (batch, tgt_len, target vocab)")
print("weights   ", tuple(weights.shape), "   (batch, tgt_len, src_len)")
print("state     ", [tuple(s.shape) for s in state], "   the RNN's last state")"""),
(MD, r"""## The Bahdanau decoder: attention before the RNN step

Bahdanau et al. attend with the **previous** decoder state $s_{t-1}$, and feed the context into the
RNN together with the previous token:

$$
\begin{aligned}
c_t, \alpha_t &= \mathrm{attention}(s_{t-1}, H), \qquad s_0 = \text{encoder final state},\\
s_t &= \mathrm{RNNCell}\big([\mathrm{emb}(y_{t-1});\ c_t],\ s_{t-1}\big),\\
\mathrm{logits}_t &= W_\text{out} \tanh\big(W_c\, [s_t; c_t]\big) + b_\text{out}.
\end{aligned}
$$

Now the RNN's input at step $t$ depends on $s_{t-1}$ through $c_t$, so the steps cannot run at
once even with teacher forcing: attention happens inside the recurrence. (The paper's output layer
is a maxout over $s_{t-1}$, $y_{t-1}$ and $c_t$; the package uses the same output layer as the
Luong decoder, so that the two differ only in where attention sits.) In Keras, a computation
inside the recurrence is a **cell**: a layer that maps `(input_t, states_{t-1})` to
`(output_t, states_t)`, which `keras.layers.RNN` loops over the time axis. The package's cell does
one step:

```{literalinclude} ../code/seq2seq_attention/models.py
:pyobject: BahdanauDecoderCell.attend_and_step
:language: python
:dedent:
```

### How the cell sees the encoder states

`keras.layers.RNN` calls its cell with the current input and state only, but the cell also needs
$H$ and the source mask at every step. Keras 2 had an argument for that,
`RNN(...)(inputs, constants=[H])`, which passed extra tensors to every call of the cell; Keras 3
removed it. Putting $H$ into the input (repeated at every step) would cost `tgt_len` copies of it,
and putting it into the state would make the RNN carry and return it. So the decoder hands it
over with `set_memory` just before it runs the RNN, inside the same `call`:

```{literalinclude} ../code/seq2seq_attention/models.py
:pyobject: BahdanauDecoder.call
:language: python
:dedent:
```

Because `set_memory` and the RNN run in the same `call`, this also works when Keras compiles the
training step into a graph, and the gradients flow from the attention back into the encoder.
`set_memory` also computes the part of the additive score that depends on the keys only
($W_1 h_s$, `project_keys`), once per batch instead of once per step."""),
(CODE, r"""# NBVAL_CHECK_OUTPUT
keras.utils.set_random_seed(0)
bahdanau = BahdanauDecoder(TARGET_VOCAB, embedding_dim=EMBEDDING_DIM, units=UNITS,
                           attention="additive")
logits, weights, state = bahdanau(target_in, states, source_mask, final_state)
print("logits ", tuple(logits.shape), "   (batch, tgt_len, target vocab)")
print("weights", weights, "          not collected in teacher forcing")
print("cell output size", bahdanau.decoder_cell.output_size,
      "= 2 * units: [s_t; c_t]")"""),
(MD, r"""A Keras RNN's per-step output has a fixed size, and `src_len` changes from batch to batch, so
the weights cannot be an output of the cell. Training does not need them; for plots and tests,
`Seq2SeqAttention.forward` collects them by stepping through the target, as below.

## The whole model

`Seq2SeqAttention` is the `keras.Model` that joins an `Encoder` and either decoder. Called on
`(source_ids, target_in_ids)` it returns the logits for `target_out_ids`, which is what `fit`
needs:

```{literalinclude} ../code/seq2seq_attention/models.py
:pyobject: Seq2SeqAttention.call
:language: python
:dedent:
```

All weights are created in `__init__` (every size is known from the arguments), so a model can
count its parameters before it has seen any data. We build both variants with the same sizes:"""),
(CODE, r"""# NBVAL_CHECK_OUTPUT
def make_model(decoder, attention="additive"):
    keras.utils.set_random_seed(0)
    return Seq2SeqAttention(SOURCE_VOCAB, TARGET_VOCAB, embedding_dim=EMBEDDING_DIM,
                            units=UNITS, decoder=decoder, attention=attention)

def n_weights(layer):
    return sum(int(np.prod(w.shape)) for w in layer.weights)

models = {name: make_model(name) for name in ("luong", "bahdanau")}
for name, model in models.items():
    print(f"{name:9} {model.count_params():7,} parameters: encoder "
          f"{n_weights(model.encoder):,}, decoder {n_weights(model.decoder):,}")"""),
(MD, r"""Where the difference comes from: a Keras GRU with input size $d$ and $U$ units has three gates,
each with an input matrix, a recurrent matrix and two bias vectors, so
$3(dU + U^2 + 2U)$ parameters. The Luong decoder's GRU reads the embedding ($d = E$); the
Bahdanau decoder's reads $[\mathrm{emb}(y_{t-1}); c_t]$ ($d = E + U$), which adds $3U^2$
parameters. Everything else (embeddings, attention, $W_c$, $W_\text{out}$) is the same size in
both:"""),
(CODE, r"""# NBVAL_CHECK_OUTPUT
def gru_parameters(input_dim, units):
    return 3 * (input_dim * units + units * units + 2 * units)

extra = (gru_parameters(EMBEDDING_DIM + UNITS, UNITS)     # Bahdanau: [emb; context]
         - gru_parameters(EMBEDDING_DIM, UNITS))           # Luong: emb
print("3 U^2 =", 3 * UNITS**2, "  difference of the GRUs =", extra,
      "  difference of the models =",
      models["bahdanau"].count_params() - models["luong"].count_params())"""),
(MD, r"""### Step by step equals teacher forcing

In training, the decoder reads the whole correct target at once. When it translates, it has no
target: it must produce one token, feed it back, and go on. For that the model offers `encode`
(run the encoder once, and precompute what the attention can) and `decode_step` (one decoder step
from the previous tokens). The decoding chapter builds greedy search on them. Given the *same*
previous tokens, the two paths must compute the same numbers; if they did not, the model would be
trained on one computation and used with another:"""),
(CODE, r"""# NBVAL_CHECK_OUTPUT
def step_by_step(model, source_ids, target_in):
    memory = model.encode(source_ids)      # states, mask, projected keys, state
    state = memory.pop("state")
    all_logits, all_weights = [], []
    for t in range(target_in.shape[1]):
        logits, state, weights = model.decode_step(target_in[:, t], state, memory)
        all_logits.append(logits)          # (batch, target vocab)
        all_weights.append(weights)        # (batch, src_len)
    return np.stack(all_logits, axis=1), np.stack(all_weights, axis=1)

for name, model in models.items():
    logits, weights = model.forward(source_ids, target_in)   # teacher forcing
    step_logits, step_weights = step_by_step(model, source_ids, target_in)
    print(f"{name:9} same logits: {np.allclose(step_logits, logits, atol=1e-5)}"
          f"   same weights: {np.allclose(step_weights, weights, atol=1e-6)}")"""),
(MD, r"""### Padding changes nothing

A sentence must get the same output whether it is translated alone or in a batch padded to a
longer sentence. This is what the masks are for, and it is easy to break: an RNN without the mask
would read the padding, and the backward direction would start on it. Take the shortest sentence
of the batch, cut off its padding, and compare:"""),
(CODE, r"""# NBVAL_CHECK_OUTPUT
lengths = ops.convert_to_numpy(ops.sum(ops.cast(source_ids != 0, "int32"), axis=1))
i = int(np.argmin(lengths))
alone = source_ids[i : i + 1, : lengths[i]]          # (1, its own length)
print(f"sentence {i}: {lengths[i]} ids alone, {source_ids.shape[1]} in the batch")
for name, model in models.items():
    in_batch = model((source_ids, target_in))[i]
    by_itself = model((alone, target_in[i : i + 1]))[0]
    print(f"{name:9} same logits alone and in the batch:",
          np.allclose(by_itself, in_batch, atol=1e-5))"""),
(MD, r"""### Padding gets no attention

Finally, at every decoder step the weights must be a distribution over the **real** source
positions: exactly 0 on padding (not merely small), summing to 1. Even an untrained model must
satisfy this, since it comes from the masked softmax of {doc}`04_math`, not from learning:"""),
(CODE, r"""# NBVAL_CHECK_OUTPUT
padding = ~ops.convert_to_numpy(source_ids != 0)[:, None, :]   # (batch, 1, src_len)
for name, model in models.items():
    _, weights = model.forward(source_ids, target_in)
    weights = ops.convert_to_numpy(weights)         # (batch, tgt_len, src_len)
    on_padding = weights[np.broadcast_to(padding, weights.shape)]
    print(f"{name:9} weights {weights.shape}: on padding all exactly 0:",
          bool(np.all(on_padding == 0)),
          " sums to 1:", np.allclose(weights.sum(axis=-1), 1))"""),
(MD, r"""## Luong or Bahdanau?

| | Luong (after the RNN) | Bahdanau (before the RNN step) |
|---|---|---|
| query | the new output $o_t$ | the previous state $s_{t-1}$ |
| RNN input | $\mathrm{emb}(y_{t-1})$ | $[\mathrm{emb}(y_{t-1}); c_t]$ |
| training over $t$ | RNN in one call, then attention for all steps in one batched product | one step at a time: attention inside the loop |
| Keras building block | `GRU` layer + attention layer | custom cell in `keras.layers.RNN` |
| weights in teacher forcing | returned by the same pass | collected by stepping (`forward`) |
| extra parameters | | $3U^2$ in the GRU |

The Luong decoder's attention is one large matrix product per batch instead of `tgt_len` small
ones, and its RNN is a plain Keras `GRU`, which Keras can run with a fused kernel on a GPU (cuDNN);
a custom cell inside `keras.layers.RNN` always runs the generic loop. The Bahdanau decoder, in
exchange, lets the context shape the RNN's state: what it writes next depends on where it looked.

On a CPU at small sizes the difference in speed is small. One training step of each of our two
models, on a batch of 64 dates (the first call traces the step into a graph and is not timed):"""),
(CODE, r"""train_batch = next(iter(data.make_dataset(date_split.train[:64], source_vectorizer,
                                          target_vectorizer, batch_size=64, seed=0)))
for name in ("luong", "bahdanau"):
    model = make_model(name)
    model.compile(optimizer="adam", loss=masked_loss())
    model.train_on_batch(*train_batch)                 # tracing: not timed
    start = time.perf_counter()
    for _ in range(10):
        model.train_on_batch(*train_batch)
    milliseconds = (time.perf_counter() - start) / 10 * 1000
    print(f"{name:9} {milliseconds:5.0f} ms per training step")"""),
(MD, r"""These timings vary from machine to machine and run to run, so this cell's output is not checked.
For a steadier figure, `benchmarks/training_throughput.py` times `fit` over several epochs at the
sizes of the TensorFlow translation tutorial (units 256, vocabularies of 5,000, batches of 64).
On a CPU with 2 cores it measured, in target tokens per second:

| decoder | additive attention | dot attention |
|---|---|---|
| Luong | 2,523 | 3,268 |
| Bahdanau | 2,739 | 2,610 |

(Each figure is the median of three timed epochs.) With the additive score the two decoders are
within 10% of each other. The dot score, which has no weights, speeds up the Luong decoder by about
30%, as one would expect when all its attention is a single batched product; the Bahdanau decoder,
which pays for its attention inside the loop, gains nothing (2,610 against 2,739, within the
run-to-run noise). Speed is not
the only criterion: {doc}`05_3_training` trains both on the dates task and compares their accuracy
and their attention maps.

## Exercises

Each exercise has a function for you to complete and a check that runs it on several cases,
printing ✔ or ✘ with what went wrong. Solutions are hidden in the drop-downs; try first.

:::{exercise} The encoder's shapes
:label: ex-encoder-output-shapes

Complete `encoder_output_shapes(batch, src_len, units, bidirectional, merge_mode)` for a GRU
encoder built with `return_sequences=True` and `return_state=True`, wrapped in
`keras.layers.Bidirectional(..., merge_mode=merge_mode)` when `bidirectional` is true. Return
`(states_shape, final_shape)`, two tuples: the shape of the states and of the final state, where a
bidirectional encoder merges its two final states the same way as its outputs. `merge_mode` is one
of `"sum"`, `"ave"`, `"mul"`, `"concat"`, and is ignored when `bidirectional` is false. The check
compares with what the Keras layers return.
:::"""),
(CODE, r"""# NBVAL_CHECK_OUTPUT
def encoder_output_shapes(batch, src_len, units, bidirectional, merge_mode):
    raise NotImplementedError("your code here")

check_encoder_output_shapes(encoder_output_shapes)"""),
(MD, r"""::::{solution} ex-encoder-output-shapes
:class: dropdown

Only concatenation changes the feature size; the states keep the `src_len` axis because of
`return_sequences=True`:

```python
def encoder_output_shapes(batch, src_len, units, bidirectional, merge_mode):
    size = 2 * units if bidirectional and merge_mode == "concat" else units
    return (batch, src_len, size), (batch, size)
```

With `"concat"` the decoder state and the keys have different sizes unless the decoder has
`2 * units`; the dot score would then need a projection. Summing avoids that.
::::

:::{exercise} Luong's output layer
:label: ex-luong-output

Complete `luong_output(context, rnn_output, W_c, W_out, b_out)` in numpy:
$\mathrm{logits}_t = W_\text{out} \tanh(W_c [c_t; o_t]) + b_\text{out}$ for all steps at once.
`context` and `rnn_output` have shape `(T, U)`, `W_c` is `(2U, U)`, `W_out` is `(U, V)`, `b_out`
is `(V,)`, and the result `(T, V)`. The weights are stored as in Keras (inputs, outputs), so
$W_c x$ is `x @ W_c`. The check gives the same weights to the package's `LuongDecoder` and compares.
:::"""),
(CODE, r"""# NBVAL_CHECK_OUTPUT
def luong_output(context, rnn_output, W_c, W_out, b_out):
    raise NotImplementedError("your code here")

check_luong_output(luong_output)"""),
(MD, r"""::::{solution} ex-luong-output
:class: dropdown

The order in the concatenation matters: it must match the rows of `W_c`.

```python
def luong_output(context, rnn_output, W_c, W_out, b_out):
    both = np.concatenate([context, rnn_output], axis=-1)   # (T, 2U): [c_t; o_t]
    attentional = np.tanh(both @ W_c)                        # (T, U)
    return attentional @ W_out + b_out                       # (T, V)
```
::::

:::{exercise} One Bahdanau step
:label: ex-bahdanau-step

Complete `bahdanau_step(embedded, previous_state, keys, mask, attention, cell)`, one step of the
Bahdanau decoder for one sentence, with a plain tanh RNN cell in place of the GRU:

$$
c_t, \alpha_t = \mathrm{attention}(s_{t-1}, H), \qquad
s_t = \tanh\big([\mathrm{emb}(y_{t-1}); c_t]\, W_x + s_{t-1} W_s + b_s\big).
$$

`embedded` is $\mathrm{emb}(y_{t-1})$, shape `(E,)`; `previous_state` is $s_{t-1}$, `(U,)`; `keys`
is $H$, `(S, U)`; `mask` is `(S,)`, `True` for real positions. `attention` is a dict with the
additive score's weights `W1, W2, b, v`, and `cell` a dict with `W_x` `(E + U, U)`, `W_s`
`(U, U)` and `b_s` `(U,)`. Return `(state, weights)`, shapes `(U,)` and `(S,)`. You may use
`reference.attention` from the package (`from seq2seq_attention import reference`), which takes a
query of shape `(T, d)`.
:::"""),
(CODE, r"""# NBVAL_CHECK_OUTPUT
from seq2seq_attention import reference

def bahdanau_step(embedded, previous_state, keys, mask, attention, cell):
    raise NotImplementedError("your code here")

check_bahdanau_step(bahdanau_step)"""),
(MD, r"""::::{solution} ex-bahdanau-step
:class: dropdown

The query is the **previous** state; the context goes into the RNN's input:

```python
from seq2seq_attention import reference

def bahdanau_step(embedded, previous_state, keys, mask, attention, cell):
    context, weights = reference.attention(
        previous_state[None], keys, mask=mask, score="additive", **attention)
    rnn_input = np.concatenate([embedded, context[0]])               # (E + U,)
    state = np.tanh(rnn_input @ cell["W_x"]
                    + previous_state @ cell["W_s"] + cell["b_s"])     # (U,)
    return state, weights[0]
```
::::"""),
(MD, r"""## Summary

- An attention encoder returns its state at **every** source position
  (`return_sequences=True`). With only the last state, attention has one position, its weight is
  always 1, and the context is the same vector at every step: no attention at all.
- The package's encoder is a bidirectional GRU (or LSTM) whose directions are summed, so keys and
  decoder states both have `units` features; the mask is computed from the ids and passed on.
- The Luong decoder attends **after** the RNN with the new output $o_t$; in training the RNN and
  the attention each run over all steps at once.
- The Bahdanau decoder attends **before** the RNN step with $s_{t-1}$ and feeds the context into
  the RNN: a custom cell in `keras.layers.RNN`, which gets the encoder states through
  `set_memory` because Keras 3 has no `constants=`.
- `Seq2SeqAttention` joins them; its step-by-step path (`encode`, `decode_step`) computes the
  same logits as teacher forcing, padding changes nothing, and padding gets weight exactly 0.
- The Bahdanau decoder has $3U^2$ more parameters; on a CPU the two train at similar speeds, and
  dot attention speeds up only the Luong decoder.

Next, {doc}`05_3_training` trains both decoders on the dates task and compares what they learn."""),
]


if __name__ == "__main__":
    write_notebook(cells, "05_2_model")
