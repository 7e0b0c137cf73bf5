"""Write chapters/03_algorithm.ipynb (without outputs); see make_math_notebook.py.

    .venv/bin/python tools/make_algorithm_notebook.py
    .venv/bin/python tools/execute_notebooks.py chapters/03_algorithm.ipynb

The chapter trains a small Bahdanau model on the dates task (three epochs, well
under a minute on a CPU), then recomputes one decoder step in numpy from the
model's weights. Numbers from the trained model vary slightly between machines,
so only cells that print shapes or True/False are marked NBVAL_CHECK_OUTPUT.
"""

from notebook_writer import CODE, MD, write_notebook
from setup_cell import SETUP_CELL

cells = [
(MD, r"""# The algorithm step by step

{doc}`02_core_concepts` described attention as a soft lookup and the decoder as something that writes one
token at a time. This chapter opens one decoder step of a real, trained model and follows it through
every tensor: **scores → weights → context → hidden-state update → next word**. At each stage we print
the shapes, and we recompute the stage in numpy from the layer's own weights, so you can see that the
package's `decode_step` is nothing but the algorithm. {doc}`04_math` then derives each formula with
care.

```{admonition} Learning objectives
:class: tip
After this chapter you can
- list the five stages of one attention decoder step, in the order the Bahdanau decoder runs them;
- give the shape of every tensor of a step, for one sentence and for a batch;
- recompute a trained model's step in numpy: additive scores, softmax, context, the GRU update with its
  gates, the output layer and the choice of the next token;
- explain how the Luong decoder reorders the same stages (attention *after* the state update), and
  which state is the query in each;
- run a whole greedy translation in numpy and get the package's output and attention weights.
```"""),
(CODE, SETUP_CELL),
(CODE, """import tempfile
import time

import keras
import matplotlib.pyplot as plt
import numpy as np

from seq2seq_attention import data, dates, masked_softmax, reference, training
from seq2seq_attention.data import END_ID, PAD_ID, START_ID
from seq2seq_attention.decoding import greedy_decode, length_limits
from seq2seq_attention.exercises import (
    check_decoder_step_shapes, check_luong_step, check_next_token)
from seq2seq_attention.models import Seq2SeqAttention
from seq2seq_attention.plots import plot_attention
from seq2seq_attention.translator import Translator

np.set_printoptions(precision=4, suppress=True)"""),
(MD, r"""## A small trained model

We use the dates task of {doc}`05_1_data`: a date written by a human goes in, one character per token,
and its ISO 8601 form comes out. A small model (32-dimensional embeddings, 64 units) with the Bahdanau
decoder learns it in three epochs. Small sizes keep the printed vectors short; the algorithm is the same
at any size."""),
(CODE, """pairs = dates.generate_dates(10_000, seed=0)
split = data.split_by_source(pairs, seed=0)
src_vec = data.make_vectorizer([s for s, _ in split.train], level="character")
tgt_vec = data.make_vectorizer([t for _, t in split.train], level="character")
train_ds = data.make_dataset(split.train, src_vec, tgt_vec, batch_size=64, seed=0, buckets=4)
val_ds = data.make_dataset(split.validation, src_vec, tgt_vec, batch_size=64, shuffle=False)

keras.utils.set_random_seed(0)
start = time.perf_counter()
model, history = training.train(
    lambda: Seq2SeqAttention(src_vec.vocabulary_size(), tgt_vec.vocabulary_size(),
                             embedding_dim=32, units=64, decoder="bahdanau"),
    train_ds, val_ds, epochs=3, learning_rate=3e-3, run_dir=tempfile.mkdtemp(),
    verbose=2, tensorboard=False)
translator = Translator(model, src_vec, tgt_vec)
print(f"trained in {time.perf_counter() - start:.0f} s")"""),
(MD, r"""## The algorithm

The Bahdanau decoder {cite:p}`bahdanau2015` runs one step $t$ in five stages. It starts from the
previous token $y_{t-1}$, its previous state $s_{t-1}$, and the encoder states $h_1, \dots, h_S$, one per
source character; the query is the previous state, $q_t = s_{t-1}$:

$$
\begin{aligned}
&1.\ \text{scores} & e_{t,s} &= v^\top \tanh(W_1 h_s + W_2\, s_{t-1} + b) && s = 1, \dots, S\\
&2.\ \text{weights} & \alpha_{t,s} &= \frac{\exp(e_{t,s})}{\sum_{s'} \exp(e_{t,s'})}\\
&3.\ \text{context} & c_t &= \sum_{s} \alpha_{t,s}\, h_s\\
&4.\ \text{state update} & s_t &= \mathrm{GRU}\big([\mathrm{emb}(y_{t-1});\ c_t],\ s_{t-1}\big)\\
&5.\ \text{next word} & \mathrm{logits}_t &= W_\text{out} \tanh\big(W_c [s_t; c_t]\big) + b_\text{out},
\qquad \hat y_t = \arg\max \mathrm{logits}_t
\end{aligned}
$$

The package's cell runs stages 1–4 (the attention layer does 1–3):

```{literalinclude} ../code/seq2seq_attention/models.py
:pyobject: BahdanauDecoderCell.attend_and_step
:language: python
:dedent:
```

and the decoder's `step` adds stage 5:

```{literalinclude} ../code/seq2seq_attention/models.py
:pyobject: BahdanauDecoder.step
:language: python
:dedent:
```

## Step 0: encode the source

We translate one date. `encode` runs the encoder once per sentence and returns its states $h_s$, the
source mask, the projected keys $W_1 h_s$ (they do not depend on $t$, so they are computed once), and the
decoder's initial state $s_0$ (the encoder's final state). The batch has one sentence; we take row 0 to
work with plain vectors and matrices."""),
(CODE, """# NBVAL_CHECK_OUTPUT
text = "tue 3 march 2015"
source_ids, (source_tokens,) = translator.encode_sources([text])
memory = model.encode(source_ids)

H = memory["states"].numpy()[0]           # h_s for every s      (S, U)
mask = memory["mask"].numpy()[0]          # True = real          (S,)
s_prev = memory["state"][0].numpy()[0]    # s_0                  (U,)
print("source tokens:", source_tokens)
print("source_ids     ", tuple(source_ids.shape), "  (batch, src_len)")
print("states         ", tuple(memory["states"].shape), "  (batch, src_len, units) -> H", H.shape)
print("mask           ", tuple(memory["mask"].shape), "     (batch, src_len)")
print("projected_keys ", tuple(memory["projected_keys"].shape), "  (batch, src_len, units): W1 h_s")
print("state          ", [tuple(s.shape) for s in memory["state"]], "   [s_0], (batch, units)")"""),
(MD, r"""The weights of every stage, read from the trained layers. Keras stores a matrix as
*(inputs, outputs)*, so the math's $W_1 h_s$ is `h_s @ W1` in code ({doc}`04_math` has the details)."""),
(CODE, """# NBVAL_CHECK_OUTPUT
decoder = model.decoder                       # BahdanauDecoder
attention = decoder.decoder_cell.attention    # AdditiveAttention
gru = decoder.decoder_cell.rnn_cell           # keras GRUCell
W1, W2, b, v = (w.numpy() for w in (attention.W1, attention.W2, attention.b, attention.v))
embedding = decoder.embedding.embeddings.numpy()
kernel, recurrent_kernel, bias = (w.numpy() for w in gru.weights)
W_c = decoder.combine.kernel.numpy()
W_out, b_out = (w.numpy() for w in decoder.output_layer.weights)
for name, w in [("W1", W1), ("W2", W2), ("b", b), ("v", v), ("embedding", embedding),
                ("GRU kernel", kernel), ("GRU recurrent_kernel", recurrent_kernel),
                ("GRU bias", bias), ("W_c", W_c), ("W_out", W_out), ("b_out", b_out)]:
    print(f"{name:21} {str(w.shape):10}")
print("projected keys are H @ W1:",
      np.allclose(memory["projected_keys"].numpy()[0], H @ W1, atol=1e-5))"""),
(MD, r"""Sizes: $S = 18$ source positions (16 characters, `[START]` and `[END]`), $U = 64$ units, $E = 32$
embedding dimensions, and a target vocabulary of 15 tokens (4 reserved, the digits and `-`).

We follow the first step, $t = 1$: the previous token is `[START]` and the previous state is $s_0$.

## Stage 1: scores

Each source position gets one number, how well it matches what the decoder looks for now. In numpy, for
all $S$ positions at once: `H @ W1` is $(S, U)$, `s_prev @ W2 + b` is $(U,)$ and broadcasts over the rows,
and `@ v` reduces each row to one number. The package computes the same from the projected keys:"""),
(CODE, """y_prev = START_ID
e = np.tanh(H @ W1 + s_prev @ W2 + b) @ v      # (S, U) -> (S,)
print("e:", e.shape, "(src_len,)")

query = memory["state"][0][:, None, :]          # s_0 as (batch, tgt_len=1, units)
package_e = attention.score_projected(query, memory["projected_keys"]).numpy()
print("package scores:", package_e.shape, "(batch, tgt_len, src_len)")
print("same scores:", np.allclose(e, package_e[0, 0], atol=1e-5))
print("scores:", e.round(2))"""),
(MD, r"""## Stage 2: weights

The softmax turns the scores into weights over the source positions: positive, summing to 1, and exactly
0 on padding (there is none in a batch of one sentence). The package's `masked_softmax` is the same
function:"""),
(CODE, """alpha = reference.softmax(e, mask)            # (S,)
package_alpha = keras.ops.convert_to_numpy(masked_softmax(package_e, mask[None, None]))
print("alpha:", alpha.shape, " sum:", round(float(alpha.sum()), 6))
print("same weights:", np.allclose(alpha, package_alpha[0, 0], atol=1e-6))
top = np.argsort(-alpha)[:4]
print("largest weights:", ", ".join(f"{source_tokens[s]!r} (s={s}) {alpha[s]:.3f}" for s in top))"""),
(MD, r"""The first output character of `2015-03-03` is the first digit of the year, and the weights already
look at the year at the end of the source: the model has learned where to look.

## Stage 3: context

The context is the weighted average of the encoder states, one vector of size $U$:"""),
(CODE, """c = alpha @ H                                   # (S,) @ (S, U) -> (U,)
print("c:", c.shape, "(units,)")
package_c, package_w = attention(memory["state"][0], memory["states"], mask=memory["mask"],
                                 projected_keys=memory["projected_keys"])
print("package context:", tuple(package_c.shape), "(batch, units);  weights:",
      tuple(package_w.shape), "(batch, src_len)")
print("same context:", np.allclose(c, package_c.numpy()[0], atol=1e-5))"""),
(MD, r"""## Stage 4: the hidden-state update

The GRU reads the previous token's embedding and the context side by side, $x = [\mathrm{emb}(y_{t-1}); c_t]$,
of size $E + U$, and updates its state. A Keras GRU cell (with its default `reset_after=True`) keeps its
three gates' matrices side by side in `kernel` $(E + U, 3U)$ and `recurrent_kernel` $(U, 3U)$, in the order
update $z$, reset $r$, candidate; `bias` has one row for the input side and one for the recurrent side:

$$
\begin{aligned}
z &= \sigma(x W_z + b_z + s_{t-1} R_z + b'_z), \qquad r = \sigma(x W_r + b_r + s_{t-1} R_r + b'_r),\\
\tilde s &= \tanh\big(x W_h + b_h + r \odot (s_{t-1} R_h + b'_h)\big),\\
s_t &= z \odot s_{t-1} + (1 - z) \odot \tilde s .
\end{aligned}
$$

The update gate $z$ decides, unit by unit, how much of the old state to keep; the reset gate $r$ how much
of it the candidate $\tilde s$ may use."""),
(CODE, """def sigmoid(a):
    return 1 / (1 + np.exp(-a))

def gru_step(x, h, kernel, recurrent_kernel, bias):
    \"\"\"One step of a Keras GRUCell (reset_after=True): x (d,), h (U,) -> (U,).\"\"\"
    x_z, x_r, x_h = np.split(x @ kernel + bias[0], 3)            # each (U,)
    h_z, h_r, h_h = np.split(h @ recurrent_kernel + bias[1], 3)  # each (U,)
    z = sigmoid(x_z + h_z)                                        # update gate
    r = sigmoid(x_r + h_r)                                        # reset gate
    candidate = np.tanh(x_h + r * h_h)
    return z * h + (1 - z) * candidate

x = np.concatenate([embedding[y_prev], c])      # (E + U,)
s_new = gru_step(x, s_prev, kernel, recurrent_kernel, bias)
print("x:", x.shape, "(embedding_dim + units,);  s_1:", s_new.shape, "(units,)")
package_s, _ = gru(x[None].astype("float32"), s_prev[None])
print("same state as the Keras GRUCell:", np.allclose(s_new, package_s.numpy()[0], atol=1e-5))"""),
(MD, r"""## Stage 5: the next word

The output layer mixes the new state and the context, $\tanh(W_c [s_t; c_t])$, and projects to one logit
per target token. Greedy decoding takes the most likely token, never padding or `[START]`:"""),
(CODE, """vocabulary = translator.target_vocabulary      # id -> character
combined = np.tanh(np.concatenate([s_new, c]) @ W_c)   # (2U,) @ (2U, U) -> (U,)
logits = combined @ W_out + b_out                       # (U,) @ (U, V) -> (V,)
print("combined:", combined.shape, " logits:", logits.shape, "(target vocab,)")
allowed = logits.copy()
allowed[[PAD_ID, START_ID]] = -np.inf
y_next = int(np.argmax(allowed))
p = reference.softmax(logits)
best = np.argsort(-p)[:3]
print("most likely:", ", ".join(f"{vocabulary[j]!r} {p[j]:.3f}" for j in best))
print("next token:", y_next, repr(vocabulary[y_next]))"""),
(MD, r"""## The package's step is the algorithm

All five stages at once: the package's `decode_step` from `[START]` and $s_0$ returns the logits, the new
state and the weights, and they are ours:"""),
(CODE, """# NBVAL_CHECK_OUTPUT
package_logits, package_state, package_weights = model.decode_step(
    np.array([START_ID]), memory["state"], memory)
print("logits ", tuple(package_logits.shape), " state", [tuple(s.shape) for s in package_state],
      " weights", tuple(package_weights.shape))
print("same logits: ", np.allclose(logits, package_logits.numpy()[0], atol=1e-4))
print("same state:  ", np.allclose(s_new, package_state[0].numpy()[0], atol=1e-5))
print("same weights:", np.allclose(alpha, package_weights.numpy()[0], atol=1e-6))"""),
(MD, r"""## A whole translation in numpy

Put the five stages in a function and loop: feed each chosen token back, stop at `[END]` or at the
length bound (the same bound as `greedy_decode`, from the source length). This is greedy decoding,
written with nothing but numpy and the trained weights."""),
(CODE, """def numpy_step(y_prev, s_prev, H, mask):
    e = np.tanh(H @ W1 + s_prev @ W2 + b) @ v                  # 1. scores      (S,)
    alpha = reference.softmax(e, mask)                          # 2. weights     (S,)
    c = alpha @ H                                               # 3. context     (U,)
    x = np.concatenate([embedding[y_prev], c])                  # 4. state update
    s = gru_step(x, s_prev, kernel, recurrent_kernel, bias)     #                (U,)
    logits = np.tanh(np.concatenate([s, c]) @ W_c) @ W_out + b_out   # 5.     (V,)
    return logits, s, alpha

def numpy_greedy(H, mask, s0, limit):
    tokens, all_weights, y, s = [], [], START_ID, s0
    for t in range(limit):
        logits, s, alpha = numpy_step(y, s, H, mask)
        logits[[PAD_ID, START_ID]] = -np.inf
        if t + 1 == limit:                    # the last allowed step: [END] only
            logits[np.arange(len(logits)) != END_ID] = -np.inf
        y = int(np.argmax(logits))
        tokens.append(y)
        all_weights.append(alpha)
        if y == END_ID:
            break
    return tokens, np.array(all_weights)

limit = int(length_limits(source_ids)[0])
tokens, weights = numpy_greedy(H, mask, s_prev, limit)
print(repr(text), "->", "".join(vocabulary[j] for j in tokens[:-1]), f"({len(tokens)} tokens)")"""),
(CODE, """# NBVAL_CHECK_OUTPUT
package = greedy_decode(model, source_ids)
n = package.lengths[0]
print("weights:", weights.shape, "(tgt_len, src_len)")
print("same tokens as greedy_decode: ", tokens == package.tokens[0, :n].tolist())
print("same weights as greedy_decode:", np.allclose(weights, package.weights[0, :n], atol=1e-5))"""),
(MD, r"""The weights of every step, from the numpy decoder. Each row is one output character; bright cells are
where that step looked. The year's digits look at the year, the month's at `march`, and the day's last digit at `3`:"""),
(CODE, """fig, ax = plt.subplots(figsize=(9, 4.5), layout="constrained")
plot_attention(weights, source_tokens, [vocabulary[j] for j in tokens], ax=ax,
               title=f"{text!r}: attention of each decoder step (numpy)")
plt.show()"""),
(MD, r"""A few more dates through the numpy decoder, against the package's translator:"""),
(CODE, """# NBVAL_CHECK_OUTPUT
examples = ["03/04/05", "the 21st of june, 1987", "SATURDAY 9 JANUARY 2010", "1 dec 99"]
ids, _ = translator.encode_sources(examples)
memory = model.encode(ids)
same = []
for i, limit in enumerate(length_limits(ids)):
    real = memory["mask"].numpy()[i]
    found, _ = numpy_greedy(memory["states"].numpy()[i], real,
                            memory["state"][0].numpy()[i], int(limit))
    same.append("".join(vocabulary[j] for j in found[:-1])
                == translator.translate([examples[i]])[0].text)
print("numpy decoder equals the translator on all four:", all(same))"""),
(MD, r"""Three of the four dates are shorter than `SATURDAY 9 JANUARY 2010` and padded in this batch: the mask keeps
their padding out of the softmax, so the numpy decoder, given the mask, still agrees with the translator,
which decodes each date alone.

## The other ordering: Luong

{cite:t}`luong2015` put attention **after** the state update. The GRU reads only the previous token's
embedding; its new output $o_t$ is then the query:

$$
\begin{aligned}
&1.\ \text{state update} & o_t &= \mathrm{GRU}\big(\mathrm{emb}(y_{t-1}),\ o_{t-1}\big)\\
&2.\ \text{scores} & e_{t,s} &= v^\top \tanh(W_1 h_s + W_2\, o_t + b)\\
&3.\ \text{weights} & \alpha_{t,s} &= \operatorname{softmax}_s(e_{t,s})\\
&4.\ \text{context} & c_t &= \textstyle\sum_s \alpha_{t,s}\, h_s\\
&5.\ \text{next word} & \mathrm{logits}_t &= W_\text{out} \tanh\big(W_c [c_t; o_t]\big) + b_\text{out}
\end{aligned}
$$

The package's Luong step:

```{literalinclude} ../code/seq2seq_attention/models.py
:pyobject: LuongDecoder.step
:language: python
:dedent:
```

| | Bahdanau (this chapter's trace) | Luong |
|---|---|---|
| order | scores → weights → context → state update → next word | state update → scores → weights → context → next word |
| query $q_t$ | previous state $s_{t-1}$ | new output $o_t$ |
| GRU input | $[\mathrm{emb}(y_{t-1}); c_t]$, size $E + U$ | $\mathrm{emb}(y_{t-1})$, size $E$ |
| output layer reads | $[s_t; c_t]$ | $[c_t; o_t]$ |
| in training (teacher forcing) | step by step: the context enters the recurrence | GRU over all steps at once, then attention for all steps in one product |

The stages are the same functions in a different order; only what feeds what changes. Exercise 2 asks
you to write the Luong step in numpy, and its check compares your function with the package's
`LuongDecoder.step`. {doc}`05_2_model` builds both decoders and compares their parameters and speed.

## Exercises

Each exercise has a function for you to complete and a check that runs it on several cases,
printing ✔ or ✘ with what went wrong. Solutions are hidden in the drop-downs; try first.

:::{exercise} The shapes of one step
:label: ex-decoder-step-shapes

Complete `decoder_step_shapes(batch, src_len, embedding_dim, units, vocab, decoder)` for one step of the
package's `"luong"` or `"bahdanau"` decoder, for a batch. Return a dict of shapes (tuples) with the keys
`"rnn_input"` (what the GRU reads), `"state"` (the new state), `"weights"`, `"context"`,
`"combine_input"` (what $W_c$ multiplies) and `"logits"`.
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def decoder_step_shapes(batch, src_len, embedding_dim, units, vocab, decoder):
    raise NotImplementedError("your code here")

check_decoder_step_shapes(decoder_step_shapes)"""),
(MD, r"""::::{solution} ex-decoder-step-shapes
:class: dropdown

Only the GRU's input differs: the Bahdanau decoder feeds the context into it.

```python
def decoder_step_shapes(batch, src_len, embedding_dim, units, vocab, decoder):
    rnn_input = embedding_dim + (units if decoder == "bahdanau" else 0)
    return {"rnn_input": (batch, rnn_input), "state": (batch, units),
            "weights": (batch, src_len), "context": (batch, units),
            "combine_input": (batch, 2 * units), "logits": (batch, vocab)}
```
::::

:::{exercise} The Luong step in numpy
:label: ex-luong-step

Complete `luong_step(previous_id, state, keys, mask, weights)`: one step of the package's Luong decoder
(GRU, additive attention) for one sentence, returning `(logits, new_state, attention)` of shapes
`(V,)`, `(U,)` and `(S,)`. `previous_id` is an int, `state` is $o_{t-1}$ `(U,)`, `keys` the encoder states
`(S, U)`, `mask` `(S,)` booleans. `weights` is a dict: `"embedding"` `(V, E)`; `"gru"` a dict with
`"kernel"`, `"recurrent_kernel"` and `"bias"` as in stage 4; `"attention"` a dict with `"W1"`, `"W2"`,
`"b"`, `"v"`; `"W_c"` `(2U, U)`, `"W_out"` `(U, V)` and `"b_out"` `(V,)`. Mind the order of the
concatenation in the output layer.
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def luong_step(previous_id, state, keys, mask, weights):
    raise NotImplementedError("your code here")

check_luong_step(luong_step)"""),
(MD, r"""::::{solution} ex-luong-step
:class: dropdown

The same stages as `numpy_step`, with the state update first and the new state as the query:

```python
def luong_step(previous_id, state, keys, mask, weights):
    gru, att = weights["gru"], weights["attention"]
    sigmoid = lambda a: 1 / (1 + np.exp(-a))
    # 1. state update, from the embedding alone
    x_z, x_r, x_h = np.split(weights["embedding"][previous_id] @ gru["kernel"] + gru["bias"][0], 3)
    h_z, h_r, h_h = np.split(state @ gru["recurrent_kernel"] + gru["bias"][1], 3)
    z, r = sigmoid(x_z + h_z), sigmoid(x_r + h_r)
    new_state = z * state + (1 - z) * np.tanh(x_h + r * h_h)
    # 2.-4. attention with the new state as the query
    e = np.tanh(keys @ att["W1"] + new_state @ att["W2"] + att["b"]) @ att["v"]
    e = np.where(mask, e, -np.inf)
    attention = np.exp(e - e.max()) / np.exp(e - e.max()).sum()
    context = attention @ keys
    # 5. next word: [context; new_state]
    logits = np.tanh(np.concatenate([context, new_state]) @ weights["W_c"]) @ weights["W_out"] \
        + weights["b_out"]
    return logits, new_state, attention
```
::::

:::{exercise} Choosing the next token
:label: ex-next-token

Complete `next_token(logits, step, limit)`, the rule that greedy decoding applies to one step's logits
`(V,)`: never choose padding (id 0) or `[START]` (id 2); at the last allowed step (`step + 1 == limit`,
with `step` counted from 0) choose `[END]` (id 3); otherwise the token with the largest logit. Return an
int. The check compares with the package's `greedy_decode`.
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def next_token(logits, step, limit):
    raise NotImplementedError("your code here")

check_next_token(next_token)"""),
(MD, r"""::::{solution} ex-next-token
:class: dropdown

```python
def next_token(logits, step, limit):
    if step + 1 >= limit:
        return 3                                  # [END]: every output ends
    allowed = np.array(logits, dtype=float)
    allowed[[0, 2]] = -np.inf                     # never padding or [START]
    return int(np.argmax(allowed))
```
::::"""),
(MD, r"""## Summary

- One attention decoder step has five stages. The Bahdanau decoder runs them as **scores → weights →
  context → state update → next word**, with the previous state $s_{t-1}$ as the query; the Luong decoder
  updates its state first and queries with the new output $o_t$.
- Shapes for one sentence: scores and weights $(S,)$, context and state $(U,)$, GRU input $(E + U,)$ for
  Bahdanau and $(E,)$ for Luong, logits $(V,)$; a batch adds a leading `batch` axis.
- $W_1 h_s$ does not depend on the step, so the package computes it once per sentence (`projected_keys`).
- A Keras GRU cell is three gates in one matrix: update $z$, reset $r$ and a candidate, with
  $s_t = z \odot s_{t-1} + (1 - z) \odot \tilde s$.
- Recomputed in numpy from the trained weights, every stage equals the package's, and a numpy greedy
  loop reproduces `greedy_decode`'s tokens and attention weights.

Next, {doc}`04_math` derives the score, the softmax and the context, and the scores' variants."""),
]

if __name__ == "__main__":
    write_notebook(cells, "03_algorithm")
