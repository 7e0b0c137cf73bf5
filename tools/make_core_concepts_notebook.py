"""Write chapters/02_core_concepts.ipynb (without outputs); see make_math_notebook.py.

    .venv/bin/python tools/make_core_concepts_notebook.py
    .venv/bin/python tools/execute_notebooks.py chapters/02_core_concepts.ipynb

No training: every example is small enough to follow by hand, and the chapter
runs in seconds. The greedy-versus-beam example is the table that
tests/test_toy_models.py checks.
"""

from notebook_writer import CODE, MD, write_notebook
from setup_cell import SETUP_CELL

cells = [
(MD, r"""# Core concepts: attention, decoders, greedy and beam search

Three ideas carry the rest of the course. **Attention** is a lookup: a decoder asks a question (the
*query*) and gets back a blend of what the encoder stored (the *values*), weighted by how well each
stored item's *key* matches. A **decoder** writes the output one token at a time, each time
conditioned on what it has written so far and on what attention found. And **search**, greedy or beam,
decides which tokens to write. This chapter shows each on examples small enough to check with pencil
and paper, then runs the course package on the same numbers. {doc}`03_algorithm` then traces one
decoder step of a real model, and {doc}`04_math` derives the formulas.

```{admonition} Learning objectives
:class: tip
After this chapter you can
- explain attention as a soft dictionary lookup with queries, keys and values, and compute one by hand;
- say why the soft lookup, unlike the hard one, can be trained by gradient descent, and what a
  temperature does to it;
- call the package's attention layers with a query, keys and values;
- list what a decoder conditions on at each step, and tell teacher forcing from generation;
- run greedy decoding and beam search by hand on a table of next-token probabilities, and explain
  why greedy decoding can miss the most likely sentence.
```"""),
(CODE, SETUP_CELL),
(CODE, """import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from seq2seq_attention import (
    AdditiveAttention, DotAttention, ScaledDotProductAttention, reference)
from seq2seq_attention.data import END_ID, PAD_ID, START_ID
from seq2seq_attention.decoding import beam_search, greedy_decode
from seq2seq_attention.exercises import (
    check_best_sequence, check_sequence_log_prob, check_soft_lookup)
from seq2seq_attention.toy_models import BigramModel

np.set_printoptions(precision=4, suppress=True)"""),
(MD, r"""## Attention as a soft lookup

### A dictionary lookup

A Python dictionary maps **keys** to **values**. A lookup takes a **query** and returns the value whose
key equals it:"""),
(CODE, """# NBVAL_CHECK_OUTPUT
prices = {"apple": 10, "pear": 20, "plum": 30}
print(prices["apple"])"""),
(MD, r"""Ask for `"apples"` and you get a `KeyError`: the match is all or nothing. Two changes turn this into
attention.

1. Keys and queries become **vectors**, and "how well does the query match key $s$?" becomes a number,
   a **score** $e_s$. The simplest score is the dot product $e_s = q^\top k_s$: large when the two vectors
   point the same way.
2. Instead of returning the value of the best key, return a **weighted average of all values**, with
   weights that are large for good matches:

$$
\alpha_s = \frac{\exp(e_s)}{\sum_{s'=1}^{S} \exp(e_{s'})}, \qquad \text{result} = \sum_{s=1}^{S} \alpha_s v_s .
$$

The weights are the softmax of the scores: positive, summing to 1. Taking only the best key is the
**hard** lookup; the weighted average is the **soft** lookup.

Here are three keys $k_1, k_2, k_3$ with values 10, 20 and 30, and a query $q$:"""),
(CODE, """# NBVAL_CHECK_OUTPUT
keys = np.array([[1.0, 0.0],     # k_1
                 [0.0, 1.0],     # k_2
                 [-0.5, 0.5]])   # k_3           keys: (S, d) = (3, 2)
values = np.array([10.0, 20.0, 30.0])            # values: (S,)
query = np.array([2.0, 0.0])                     # query: (d,)

scores = keys @ query                            # e_s = q . k_s        (S,)
hard = np.eye(3)[np.argmax(scores)]              # all weight on the best key
soft = np.exp(scores) / np.exp(scores).sum()     # softmax               (S,)
print("scores      ", scores)
print("hard weights", hard, "-> result", hard @ values)
print("soft weights", soft, "-> result", round(soft @ values, 4))"""),
(MD, r"""Check it by hand. The scores are $q^\top k_1 = 2 \cdot 1 + 0 \cdot 0 = 2$, $q^\top k_2 = 0$ and
$q^\top k_3 = 2 \cdot (-0.5) = -1$. Then $e^{2} = 7.389$, $e^{0} = 1$, $e^{-1} = 0.368$, with sum
$8.757$, so the weights are $7.389 / 8.757 = 0.844$, $0.114$ and $0.042$, and the result is
$0.844 \cdot 10 + 0.114 \cdot 20 + 0.042 \cdot 30 = 11.98$: mostly the value of $k_1$, the best match,
with a little of the others.

### Why soft

The hard lookup's result jumps from one value to another as the query moves, and is flat in between:
its derivative with respect to the query is zero almost everywhere (and undefined at the jumps). A
network learns by following derivatives, so it could never learn *where* to look with a hard lookup.
The soft result changes smoothly with the query, and has a useful derivative everywhere.
TensorFlow agrees: the gradient of the soft result exists, the hard one has none (`argmax` is not
differentiable):"""),
(CODE, """# NBVAL_CHECK_OUTPUT
q = tf.Variable(query)
with tf.GradientTape(persistent=True) as tape:
    e = tf.linalg.matvec(keys, q)                               # scores (S,)
    soft_result = tf.reduce_sum(tf.nn.softmax(e) * values)
    hard_result = tf.gather(values, tf.argmax(e))
print("d soft / d query:", tape.gradient(soft_result, q).numpy())
print("d hard / d query:", tape.gradient(hard_result, q))"""),
(MD, r"""### Temperature: from soft to hard

Dividing the scores by a **temperature** $T$ before the softmax, $\alpha_s \propto \exp(e_s / T)$, moves
between the two: as $T \to 0$ all the weight goes to the best key (the hard lookup), and as $T \to \infty$
the weights become uniform (the plain average of the values, 20 here). $T = 1$ is the soft lookup above.
The softmax must subtract the largest score before `exp` here, or $e_s / T$ overflows for small $T$;
`reference.softmax` does ({doc}`04_math` explains why that changes nothing)."""),
(CODE, """fig, axes = plt.subplots(1, 4, figsize=(12, 2.8), layout="constrained")
for ax, T in zip(axes, (0.05, 1.0, 5.0)):
    weights = reference.softmax(scores / T)
    ax.bar(["$k_1$", "$k_2$", "$k_3$"], weights, color="tab:blue")
    ax.set(ylim=(0, 1), title=f"T = {T}: result {weights @ values:.2f}")
axes[0].set_ylabel("weight")
temperatures = np.logspace(-2, 2, 200)
results = [reference.softmax(scores / T) @ values for T in temperatures]
axes[3].semilogx(temperatures, results)
axes[3].axhline(values.mean(), ls=":", color="0.5")
axes[3].set(xlabel="temperature T", ylabel="result",
            title="10 (hard) to 20 (mean)")
plt.show()"""),
(MD, r"""### The same lookup with the package's layers

The course package's attention layers do exactly this, for batches. They are called as
`layer(query, keys, values)` and return the result, called the **context**, and the weights. `DotAttention`
uses the dot-product score; values may be any vectors, so our scalar values become vectors of size 1,
and a batch axis of size 1 goes in front of everything:"""),
(CODE, """# NBVAL_CHECK_OUTPUT
context, weights = DotAttention()(query[None], keys[None], values[:, None][None])
print("context", tuple(context.shape), "=", context.numpy().ravel())
print("weights", tuple(weights.shape), "=", weights.numpy().ravel())
print("same as by hand:", np.allclose(weights[0], soft, atol=1e-6),
      np.allclose(context[0, 0], soft @ values, atol=1e-4))"""),
(MD, r"""`ScaledDotProductAttention` is the Transformer's version {cite:p}`vaswani2017`: the same lookup with a
temperature of $\sqrt{d}$, where $d$ is the size of the keys (here $\sqrt 2$):"""),
(CODE, """# NBVAL_CHECK_OUTPUT
_, scaled = ScaledDotProductAttention()(query[None], keys[None], values[:, None][None])
print(scaled.numpy().ravel(), " = softmax(scores / sqrt(2)):",
      np.allclose(scaled[0], reference.softmax(scores / np.sqrt(2)), atol=1e-6))"""),
(MD, r"""A dot product only works if queries and keys live in the same space, with the same size. The additive
score of {cite:t}`bahdanau2015` instead *learns* how to compare them, with a small neural network,

$$
e_s = v^\top \tanh(W_1 k_s + W_2 q + b),
$$

so queries and keys may have different sizes and the comparison is trained with the rest of the
model. `AdditiveAttention` takes the same call; its weights start random, so its weights over our keys
are arbitrary until it is trained:"""),
(CODE, """keras.utils.set_random_seed(0)
additive = AdditiveAttention(units=4)
context, weights = additive(np.array([[2.0, 0.0, 1.0]]),   # a query of size 3
                            keys[None], values[:, None][None])
print("weights", weights.numpy().ravel().round(4),
      " sum", round(float(weights.numpy().sum()), 4))
print("learned weights:", [(w.name, tuple(w.shape)) for w in additive.weights])"""),
(MD, r"""### Attention in a translation model

In an encoder–decoder, the **keys and values** are the encoder's states, one vector $h_s$ per source word
$s = 1, \dots, S$, and the **query** is the decoder's state at the step $t$ that is about to write a word,
$q_t$. The weights $\alpha_{t,s}$ say where step $t$ looks in the source, and the context
$c_t = \sum_s \alpha_{t,s} h_s$ is what it reads there. The course writes them with the letters of
{doc}`04_math`:

| | dictionary | translation | symbol |
|---|---|---|---|
| query | what we look for | decoder state at step $t$ | $q_t$ |
| keys | what is compared with the query | encoder states | $h_s$ |
| values | what is returned | encoder states (the same vectors) | $h_s$ |
| score | match of the query with key $s$ | $v^\top \tanh(W_1 h_s + W_2 q_t + b)$ | $e_{t,s}$ |
| weights | softmax of the scores over $s$ | where step $t$ looks | $\alpha_{t,s}$ |
| result | weighted sum of the values | context vector | $c_t$ |

(The course's first outline wrote the score $e_{ij} = v^\top \tanh(W_1 x_i + W_2 y_j + b)$, with $x_i$ the
encoder states and $y_j$ the decoder states: $x_i$ is our $h_s$, $y_j$ our $q_t$.)

## The decoder

A translation model writes the output $y = (y_1, \dots, y_T)$ one token at a time. It does not score
whole sentences directly; it gives, at each step, a distribution over the next token, and the
probability of a sentence is the product:

$$
P(y \mid x) = \prod_{t=1}^{T} p(y_t \mid y_{<t}, x).
$$

At step $t$ the decoder conditions on three things:

- the **previous token** $y_{t-1}$ (at $t = 1$, the `[START]` marker), through its embedding;
- its **state** $s_{t-1}$, a vector that summarises everything it has written so far (for $t = 1$, the
  encoder's summary of the source);
- the **context** $c_t$, what attention found in the source.

From these it computes a new state and a score (logit) for every word of the vocabulary; their softmax is
$p(y_t \mid y_{<t}, x)$. The output stops with the `[END]` token. Where exactly attention enters the
step, before or after the state update, is the difference between the two decoders of
{doc}`03_algorithm`.

### Teacher forcing and generation

The question is what to feed back as "the previous token".

- **In training** we know the reference translation, so the decoder is given the **true** previous token,
  whatever it would have predicted: this is **teacher forcing**. Every step can then be scored at
  once against the reference (the inputs are the reference shifted right by one: `[START] a kitten`
  for the targets `a kitten [END]`; {doc}`05_1_data` builds these pairs).
- **When generating** there is no reference: the decoder is given **its own** previous choice, so a
  mistake early in the sentence changes every later step. A model trained only with teacher forcing
  never saw its own mistakes in training, a mismatch known as *exposure bias*.

To see both, here is a toy "model" whose next-token probabilities depend only on the previous token,
written as a table: row $i$ is $p(\,\cdot \mid \text{previous token} = i)$. Token ids follow the package:
0 padding, 1 `[UNK]`, 2 `[START]`, 3 `[END]`; then four words."""),
(CODE, """# NBVAL_CHECK_OUTPUT
words = ["<pad>", "[UNK]", "[START]", "[END]", "the", "a", "cat", "kitten"]
ID = {word: i for i, word in enumerate(words)}
probs = np.zeros((len(words), len(words)))
probs[ID["[START]"], [ID["the"], ID["a"], ID["[END]"]]] = [0.5, 0.4, 0.1]
probs[ID["the"], [ID["cat"], ID["kitten"], ID["[END]"]]] = [0.45, 0.35, 0.2]
probs[ID["a"], [ID["kitten"], ID["cat"]]] = [0.9, 0.1]
probs[ID["cat"], ID["[END]"]] = probs[ID["kitten"], ID["[END]"]] = 1.0

for previous in ("[START]", "the", "a", "cat", "kitten"):
    row = probs[ID[previous]]
    print(f"after {previous:8}: " + ", ".join(
        f"{words[w]} {row[w]:.2f}" for w in np.argsort(-row) if row[w] > 0))"""),
(MD, r"""`BigramModel` wraps such a table in the interface that the package's decoders use (`encode` and
`decode_step`, as `Seq2SeqAttention` has), so the same code that decodes a real model decodes the toy.
It ignores the source sentence.

```{literalinclude} ../code/seq2seq_attention/toy_models.py
:pyobject: BigramModel.decode_step
:language: python
:dedent:
```

Teacher forcing on the reference `a kitten [END]` feeds `[START] a kitten`; generation feeds back the
model's own best guess. The two runs see different inputs from step 2 on:"""),
(CODE, """# NBVAL_CHECK_OUTPUT
model = BigramModel(probs)
source = np.array([[START_ID, 9, END_ID]])     # any source: the toy ignores it
memory = model.encode(source)
state = memory.pop("state")

reference_tokens = [ID["a"], ID["kitten"], ID["[END]"]]
previous_forced, previous_own = START_ID, START_ID
print("step | teacher forcing: input -> p(reference) | generation: input -> own choice (p)")
for t, target in enumerate(reference_tokens, start=1):
    forced, _, _ = model.decode_step(np.array([previous_forced]), state, memory)
    own, _, _ = model.decode_step(np.array([previous_own]), state, memory)
    p_forced = np.exp(forced.numpy()[0])
    p_own = np.exp(own.numpy()[0])
    choice = int(np.argmax(p_own))
    forced_text = f"{words[previous_forced]:>9} -> p({words[target]}) = {p_forced[target]:.2f}"
    print(f"{t:4} | {forced_text:37} | {words[previous_own]:>9} -> {words[choice]} ({p_own[choice]:.2f})")
    previous_forced, previous_own = target, choice"""),
(MD, r"""The model gives the reference `a kitten` the probability $0.4 \times 0.9 \times 1 = 0.36$, yet
generating token by token it writes `the cat`, with probability $0.5 \times 0.45 \times 1 = 0.225$.
Nothing is wrong with the model; the problem is how we chose the tokens. That is what search is about.

## Greedy decoding and beam search

We want the most likely output, $\hat y = \arg\max_y P(y \mid x)$. There are far too many outputs to score
them all (a vocabulary of 10,000 words and 20-word sentences give $10^{80}$), so decoders build the output
from left to right and keep only a few partial outputs.

Our table is small enough to draw every possible output as a tree. Each edge is one token with its
probability $p(y_t \mid y_{t-1})$; under each node is the probability of the whole prefix, the product
along the path:"""),
(CODE, """def expand(prefix=(), p=1.0, depth=0):
    \"\"\"Every path of the table from [START]: a list of (prefix, probability).\"\"\"
    previous = prefix[-1] if prefix else START_ID
    nodes = []
    for w in np.flatnonzero(probs[previous]):
        path, q = prefix + (int(w),), p * probs[previous, w]
        nodes.append((path, q))
        if w != END_ID:
            nodes += expand(path, q, depth + 1)
    return nodes

tree = expand()
finished = sorted([(path, p) for path, p in tree if path[-1] == END_ID], key=lambda x: -x[1])
print(len(finished), "possible outputs, probabilities sum to",
      round(sum(p for _, p in finished), 6))
for path, p in finished:
    print(f"  {' '.join(words[w] for w in path):22} {p:.3f}")"""),
(MD, r"""Six outputs, and the best is `a kitten [END]` with 0.36. Now the two searches, step by step.

### Greedy decoding

Greedy decoding takes the most likely token at every step and never reconsiders:

- step 1, after `[START]`: `the` 0.5 beats `a` 0.4 and `[END]` 0.1, so it writes `the`;
- step 2, after `the`: `cat` 0.45 beats `kitten` 0.35 and `[END]` 0.2, so it writes `cat`;
- step 3, after `cat`: `[END]` 1.0.

It returns `the cat [END]` with $0.5 \times 0.45 = 0.225$. Its first choice looked best (0.5 against
0.4), but everything after `the` is uncertain, while after `a` the model is sure (0.9). Greedy decoding
cannot know that without looking one step further.

### Beam search

Beam search keeps the $K$ most likely prefixes (the **beam**; $K$ is the beam size) instead of one.
At each step it extends every kept prefix by every token, scores each candidate by the probability of the
whole prefix, and keeps the $K$ best; a kept candidate that ends with `[END]` is finished. With $K = 2$:

| step | candidates (prefix probability) | kept |
|---|---|---|
| 1 | `the` 0.5, `a` 0.4, `[END]` 0.1 | `the` 0.5, `a` 0.4 |
| 2 | `a kitten` $0.4 \cdot 0.9 = 0.36$, `the cat` $0.5 \cdot 0.45 = 0.225$, `the kitten` 0.175, `the [END]` 0.1, `a cat` 0.04 | `a kitten` 0.36, `the cat` 0.225 |
| 3 | `a kitten [END]` 0.36, `the cat [END]` 0.225 | both finished: best `a kitten [END]` |

Keeping `a` at step 1, although it was second, is what lets the search find the better sentence. The
same in a few lines of numpy, with products of probabilities as in the table (real decoders add
log-probabilities instead, which is the same ranking and does not underflow):"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def show(path):
    return " ".join(words[w] for w in path)

def beam_by_hand(probs, beam_size, max_steps=3):
    beam, finished = [((), 1.0)], []
    for t in range(1, max_steps + 1):
        candidates = [(path + (w,), p * probs[path[-1] if path else START_ID, w])
                      for path, p in beam for w in range(len(probs))]
        candidates = sorted([c for c in candidates if c[1] > 0], key=lambda c: -c[1])
        kept = candidates[:beam_size]
        print(f"step {t}: " + ", ".join(f"{show(c)} {p:.3f}" for c, p in candidates))
        print(f"        kept: " + ", ".join(f"{show(c)} {p:.3f}" for c, p in kept))
        finished += [c for c in kept if c[0][-1] == END_ID]
        beam = [c for c in kept if c[0][-1] != END_ID]
        if not beam:
            break
    return max(finished, key=lambda c: c[1])

best, p = beam_by_hand(probs, beam_size=2)
print("beam search (K = 2):", show(best), round(p, 4))"""),
(MD, r"""Here is the whole tree with both searches drawn on it. Greedy decoding follows one path; beam search
keeps two prefixes at every step (blue) and drops the rest (grey)."""),
(CODE, """def draw_search_tree(ax, highlight, colour, title):
    \"\"\"Draw the tree of the table; `highlight` maps a prefix to a line style.\"\"\"
    leaves = [path for path, _ in tree if path[-1] == END_ID]
    y = {path: -i for i, path in enumerate(leaves)}           # leaves top to bottom
    for path, _ in sorted(tree, key=lambda n: -len(n[0])):     # parents: mean of children
        children = [c for c, _ in tree if len(c) == len(path) + 1 and c[:-1] == path]
        if children:
            y[path] = np.mean([y[c] for c in children])
    y[()] = np.mean([y[(w,)] for w in np.flatnonzero(probs[START_ID])])
    prob = dict(tree) | {(): 1.0}
    for path, p in tree:
        parent = path[:-1]
        style = highlight.get(path)
        ax.plot([len(parent), len(path)], [y[parent], y[path]],
                color=colour if style else "0.75", lw=3 if style else 1,
                ls="--" if style == "dropped" else "-", zorder=1)
        edge = probs[parent[-1] if parent else START_ID, path[-1]]
        ax.text(len(path) - 0.5, (y[parent] + y[path]) / 2 + 0.12, f"{edge:.2f}",
                ha="center", fontsize=8, color="0.35")
    for path in y:
        label = "[START]" if not path else words[path[-1]]
        ax.text(len(path), y[path], label, ha="center", va="center", fontsize=9, zorder=2,
                bbox=dict(boxstyle="round,pad=0.25", fc="white",
                          ec=colour if highlight.get(path) == "kept" else "0.6"))
        if path:
            ax.text(len(path), y[path] - 0.38, f"{prob[path]:.3f}", ha="center",
                    fontsize=7.5, color="tab:red" if path == best else "0.3")
    ax.set(xlim=(-0.5, 3.5), ylim=(-len(leaves) + 0.3, 0.7), xticks=range(4),
           yticks=[], xlabel="step t", title=title)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)

greedy_path = {(ID["the"],): "kept", (ID["the"], ID["cat"]): "kept",
               (ID["the"], ID["cat"], END_ID): "kept"}
beam_paths = {(ID["the"],): "kept", (ID["a"],): "kept",
              (ID["a"], ID["kitten"]): "kept", (ID["the"], ID["cat"]): "kept",
              (ID["a"], ID["kitten"], END_ID): "kept", (ID["the"], ID["cat"], END_ID): "kept"}
fig, axes = plt.subplots(1, 2, figsize=(12, 4.2), layout="constrained")
draw_search_tree(axes[0], greedy_path, "tab:orange",
                 "greedy: the cat [END], probability 0.225")
draw_search_tree(axes[1], beam_paths, "tab:blue",
                 "beam search, K = 2: a kitten [END], probability 0.36")
plt.show()"""),
(MD, r"""### The same with the package

The package's `greedy_decode` and `beam_search` are the ones {doc}`05_4_decoding` uses on trained
translation models. Given the toy they must find the same two sentences. They work in log-probabilities,
so `exp` of their scores gives back our products:"""),
(CODE, """# NBVAL_CHECK_OUTPUT
greedy = greedy_decode(model, source)
n = greedy.lengths[0]
print(f"greedy_decode:        {show(greedy.tokens[0, :n])}"
      f"   P = {np.exp(greedy.scores[0]):.3f}")
for k in (1, 2, 3):
    beam = beam_search(model, source, beam_size=k, alpha=0.0)
    hypotheses = [f"{show(beam.tokens[0, i, :beam.lengths[0, i]])} "
                  f"({np.exp(beam.scores[0, i]):.3f})" for i in range(k)]
    print(f"beam_search, K = {k}:  " + ";  ".join(hypotheses))"""),
(MD, r"""With $K = 1$ beam search keeps one prefix, the best, at every step: it *is* greedy decoding. With
$K = 2$ it finds `a kitten`, and returns an n-best list, best first. Beam search is still not guaranteed to
find the most likely output, only better at it; a beam of $K$ can miss a sentence whose prefix ranks
below the $K$-th at some step. The package's beam search also normalises the scores by length (the
argument `alpha`, 0 here) and stops as soon as no prefix can still win; {doc}`05_4_decoding` explains
both and runs it on real translations.

## Exercises

Each exercise has a function for you to complete and a check that runs it on several cases,
printing ✔ or ✘ with what went wrong. Solutions are hidden in the drop-downs; try first.

:::{exercise} A soft lookup
:label: ex-soft-lookup

Complete `soft_lookup(query, keys, values, temperature)`: the dot-product scores of `query` `(d,)`
against `keys` `(S, d)`, their softmax after dividing by `temperature`, and the weighted sum of `values`
`(S, d_v)`. Return `(result, weights)`, of shapes `(d_v,)` and `(S,)`. A temperature of 0.001 must work
(and give the value of the best-matching key).
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def soft_lookup(query, keys, values, temperature):
    raise NotImplementedError("your code here")

check_soft_lookup(soft_lookup)"""),
(MD, r"""::::{solution} ex-soft-lookup
:class: dropdown

Subtract the largest scaled score before `exp`, or `exp(score / 0.001)` overflows:

```python
def soft_lookup(query, keys, values, temperature):
    scaled = keys @ query / temperature            # (S,)
    exp = np.exp(scaled - scaled.max())            # largest is exp(0) = 1
    weights = exp / exp.sum()                      # (S,)
    return weights @ values, weights               # (d_v,), (S,)
```
::::

:::{exercise} The probability of a sentence
:label: ex-sequence-log-prob

A toy model's next-token log-probabilities are a table: `log_probs[i, j]` is
$\log p(\text{next} = j \mid \text{previous} = i)$. Complete `sequence_log_prob(log_probs, tokens, start_id)`,
the log-probability $\log P(y) = \sum_t \log p(y_t \mid y_{t-1})$ of the list `tokens`, whose first token
follows `start_id`. Return a float.
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def sequence_log_prob(log_probs, tokens, start_id):
    raise NotImplementedError("your code here")

check_sequence_log_prob(sequence_log_prob)"""),
(MD, r"""::::{solution} ex-sequence-log-prob
:class: dropdown

Pair every token with the one before it, `[start_id] + tokens[:-1]`, and add the table's entries:

```python
def sequence_log_prob(log_probs, tokens, start_id):
    previous = [start_id] + list(tokens[:-1])
    return float(log_probs[previous, tokens].sum())
```

On this chapter's table, `sequence_log_prob(np.log(probs), [5, 7, 3], 2)` is $\log 0.36$.
::::

:::{exercise} Exhaustive search
:label: ex-best-sequence

Complete `best_sequence(log_probs, start_id, end_id, max_length)`: among **all** sequences of at most
`max_length` tokens that end with `end_id` (and contain neither `end_id` before the end nor
`start_id`), return the most likely one, `end_id` included, as an int array. This is the answer that
greedy decoding and beam search approximate; one of the check's tables fools greedy decoding. How many
sequences does it score for a vocabulary of $V$ tokens?
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def best_sequence(log_probs, start_id, end_id, max_length):
    raise NotImplementedError("your code here")

check_best_sequence(best_sequence)"""),
(MD, r"""::::{solution} ex-best-sequence
:class: dropdown

List every candidate, score it, keep the best:

```python
import itertools

def best_sequence(log_probs, start_id, end_id, max_length):
    words = [w for w in range(len(log_probs)) if w not in (start_id, end_id)]
    candidates = [list(p) + [end_id] for n in range(max_length)
                  for p in itertools.product(words, repeat=n)]
    def score(y):
        previous = [start_id] + y[:-1]
        return log_probs[previous, y].sum()
    return np.array(max(candidates, key=score))
```

With $W = V - 2$ words there are $\sum_{n=0}^{L-1} W^n$ candidates for `max_length` $L$, which grows
exponentially with $L$: fine for a toy, impossible for a real vocabulary. Beam search scores at most
$K \cdot V$ candidates per step, so $K V L$ in all.
::::"""),
(MD, r"""## Summary

- Attention is a **soft dictionary lookup**: score the query against every key, turn the scores into
  weights with a softmax, return the weighted sum of the values. A hard lookup (the best key only) has
  no useful gradient; the soft one can be trained.
- A temperature moves the soft lookup between the hard lookup ($T \to 0$) and the plain mean
  ($T \to \infty$); the scaled dot-product divides by $\sqrt{d}$.
- In translation the query is the decoder state $q_t$, the keys and values are the encoder states
  $h_s$, and the result is the context $c_t$.
- A decoder writes one token at a time, conditioned on the previous token, its state and the context;
  $P(y \mid x) = \prod_t p(y_t \mid y_{<t}, x)$. Training feeds it the true previous token (teacher
  forcing), generation its own.
- Greedy decoding takes the best token at each step and can miss the most likely sentence; beam search
  keeps the $K$ best prefixes, with $K = 1$ being greedy decoding. On our table greedy decoding finds
  `the cat` (0.225) and a beam of 2 finds `a kitten` (0.36), by hand and with the package.

Next, {doc}`03_algorithm` follows one decoder step of a trained model through every tensor."""),
]

if __name__ == "__main__":
    write_notebook(cells, "02_core_concepts")
