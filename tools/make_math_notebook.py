"""Write chapters/04_math.ipynb (without outputs) from the cells below.

The notebook is the chapter's source of truth once written; this script exists
so that its structure can be reviewed as plain text. Run it, then execute the
notebook to store outputs::

    .venv/bin/python tools/make_math_notebook.py
    .venv/bin/python tools/execute_notebooks.py chapters/04_math.ipynb
"""

from notebook_writer import CODE, MD, write_notebook
from setup_cell import SETUP_CELL

cells = [
(MD, r"""# The math of attention

Attention lets a decoder look back at every position of its input and decide, at each output step,
where to look. This chapter derives the three formulas that do it, computes each one by hand on a
tiny example, and checks that the course's Keras layers compute exactly the same numbers.

```{admonition} Learning objectives
:class: tip
After this chapter you can
- write the additive score $e_{t,s} = v^\top \tanh(W_1 h_s + W_2 q_t + b)$ and say what each term does;
- turn scores into weights with a softmax that cannot overflow, and explain why subtracting the maximum changes nothing;
- compute a context vector and say which index each sum runs over;
- mask padding so that it gets a weight of exactly zero;
- relate the additive, dot, general and scaled dot-product scores.
```"""),
(CODE, SETUP_CELL),
(CODE, """import numpy as np
import matplotlib.pyplot as plt

from seq2seq_attention import (
    AdditiveAttention, DotAttention, GeneralAttention, ScaledDotProductAttention)
from seq2seq_attention import reference
from seq2seq_attention.plots import plot_attention
from seq2seq_attention.exercises import (
    check_additive_score, check_general_scores, check_masked_softmax,
    check_stable_softmax)

np.set_printoptions(precision=4, suppress=True)"""),
(MD, r"""## Notation

We translate a source sentence of $S$ words into a target sentence, one word per decoder step.
The same letters are used in every chapter (and in the code's comments).

| symbol | shape | meaning |
|---|---|---|
| $s = 1, \dots, S$ | | source position (encoder side) |
| $t = 1, \dots, T$ | | decoder step (target side) |
| $h_s$ | $d_h$ | encoder state at source position $s$ (the *keys*, and here also the *values*) |
| $q_t$ | $d_q$ | decoder state used to look up the source at step $t$ (the *query*) |
| $e_{t,s}$ | scalar | score: how well source position $s$ matches what step $t$ looks for |
| $\alpha_{t,s}$ | scalar | attention weight, $\alpha_{t,s} \ge 0$ and $\sum_{s=1}^{S} \alpha_{t,s} = 1$ |
| $c_t$ | $d_h$ | context vector for step $t$ |

Every formula below is the same three steps: **score** every source position, **normalise** the
scores over the source positions, **mix** the encoder states with those weights.

Our running example has $S = 3$ source words, *the black cat*, and the decoder is producing
*el gato negro*. The vectors are 2-dimensional so that you can follow every number by hand."""),
(CODE, """# NBVAL_CHECK_OUTPUT
source_tokens = ["the", "black", "cat"]
target_tokens = ["el", "gato", "negro"]

h = np.array([[1.0, 0.0],    # h_1: "the"
              [0.0, 1.0],    # h_2: "black"
              [1.0, 1.0]])   # h_3: "cat"           h: (S, d_h) = (3, 2)
q = np.array([[-1.0, 1.0],   # q_1: looking for what to write as "el"
              [0.5, 0.5],    # q_2: ... as "gato"
              [-2.0, -0.5]]) # q_3: ... as "negro"  q: (T, d_q) = (3, 2)
print("h:", h.shape, " q:", q.shape)"""),
(MD, r"""## Step 1: the score

{cite:t}`bahdanau2015` score each source position with a small neural network
with one hidden layer of $u$ units:

$$
e_{t,s} = v^\top \tanh\left(W_1 h_s + W_2 q_t + b\right),
\qquad W_1 \in \R^{u \times d_h},\; W_2 \in \R^{u \times d_q},\; b, v \in \R^{u}.
$$

Read it from the inside out:

- $W_1 h_s$ projects what source position $s$ *offers* into a $u$-dimensional space;
- $W_2 q_t$ projects what decoder step $t$ *looks for* into the same space;
- adding them (and the bias $b$) and applying $\tanh$ gives a hidden layer that can represent
  "these two match" non-linearly;
- $v^\top$ reduces that hidden layer to one number, the score.

$W_1 h_s$ does not depend on $t$, so a decoder computes it once per sentence, not once per step.
That is why the package's layer has a separate `project_keys` method.

Here are the weights of our example, with $u = 2$:"""),
(CODE, """# NBVAL_CHECK_OUTPUT
W1 = np.array([[0.5, -1.0],
               [-0.5, 1.0]])   # (u, d_h) as in the formula
W2 = np.eye(2)                 # (u, d_q)
b = np.array([0.5, 0.0])       # (u,)
v = np.array([2.0, 2.0])       # (u,)

t = 0                                 # the first decoder step, "el"
offers = h @ W1.T                     # row s is W1 h_s        (S, u)
looks_for = W2 @ q[t] + b             # W2 q_t + b             (u,)
hidden = np.tanh(offers + looks_for)  # row s is tanh(...)     (S, u)
e = hidden @ v                        # e_{t,s} for s = 1..S   (S,)
for s, token in enumerate(source_tokens):
    print(f"s={s + 1} {token:>5}: W1 h_s = {offers[s]}, "
          f"tanh(.) = {hidden[s]}, e = {e[s]:.4f}")"""),
(MD, r"""Check the first line by hand: $W_1 h_1 = (0.5, -0.5)$, $W_2 q_1 + b = (-1, 1) + (0.5, 0) = (-0.5, 1)$,
their sum is $(0, 0.5)$, $\tanh$ gives $(0, 0.4621)$, and $v^\top (0, 0.4621) = 2 \cdot 0.4621 = 0.9242$.

```{note}
In code, vectors are rows and Keras stores a weight matrix as *(inputs, outputs)*. So the math's
$W_1 h_s$ is written `h_s @ W1` in the package, with the package's `W1` equal to the math's $W_1^\top$.
We pass `W1.T` to the package below for that reason.
```

The package's numpy reference does the same for every decoder step at once, by broadcasting
(shapes in the comments):

```{literalinclude} ../code/seq2seq_attention/reference.py
:pyobject: additive_scores
:language: python
```"""),
(CODE, """# NBVAL_CHECK_OUTPUT
E = reference.additive_scores(q, h, W1=W1.T, W2=W2.T, b=b, v=v)  # (T, S)
print(E)
print("first row equals the hand computation:", np.allclose(E[0], e))"""),
(MD, r"""## Step 2: the weights (softmax over source positions)

Scores can be any real numbers. To mix encoder states we want non-negative weights that add up to one
**over the source positions**, for each decoder step:

$$
\alpha_{t,s} = \frac{\exp(e_{t,s})}{\sum_{s'=1}^{S} \exp(e_{t,s'})}.
$$

The sum in the denominator runs over $s'$, the source positions, with $t$ fixed. Every
$\alpha_{t,s}$ is positive, and $\sum_{s=1}^{S} \alpha_{t,s} = 1$ because the numerators sum to the denominator."""),
(CODE, """# NBVAL_CHECK_OUTPUT
alpha = np.exp(E) / np.exp(E).sum(axis=-1, keepdims=True)  # each row, over s
print(alpha)
print("row sums:", alpha.sum(axis=-1))"""),
(MD, r"""### Why subtract the maximum

The formula above is fine on paper and fragile in a computer. `exp` overflows in float32 once its
argument passes about 88.7, and in float16, which mixed-precision training uses, already past about 11.1.
Scores of that size are common in a trained model.

The cure costs nothing. For any constant $m$,

$$
\frac{\exp(e_{t,s} - m)}{\sum_{s'} \exp(e_{t,s'} - m)}
= \frac{e^{-m}\exp(e_{t,s})}{e^{-m}\sum_{s'} \exp(e_{t,s'})}
= \frac{\exp(e_{t,s})}{\sum_{s'} \exp(e_{t,s'})},
$$

so we may pick $m = \max_{s'} e_{t,s'}$. Then the largest exponent is $\exp(0) = 1$ and no term can
overflow; at least one term of the sum is 1, so the denominator cannot underflow to zero either."""),
(CODE, """# NBVAL_CHECK_OUTPUT
big = np.array([1000.0, 1001.0, 1002.0])
with np.errstate(over="ignore", invalid="ignore"):  # show inf and nan, no warning
    naive = np.exp(big) / np.exp(big).sum()
    print("float16: exp(12) =", np.exp(np.float16(12)))
print("naive :", naive)
print("stable:", reference.softmax(big))
print("same weights as for [0, 1, 2]:",
      np.allclose(reference.softmax(big), reference.softmax(big - 1000)))"""),
(MD, r"""### Masks: padding gets exactly zero

In a batch, shorter sentences are padded to the longest one. The padding positions must get no
attention at all. A mask $m_{s} \in \{0, 1\}$ (1 for a real word) enters the softmax as

$$
\alpha_{t,s} = \frac{m_s \exp(e_{t,s} - m)}{\sum_{s'} m_{s'} \exp(e_{t,s'} - m)},
\qquad m = \max_{s' : m_{s'} = 1} e_{t,s'},
$$

so a padded position's weight is exactly 0 whatever its score, and the real positions still sum to 1.
If every position of a row is masked, the package returns all-zero weights (and a zero context)
instead of the $0/0 = \text{NaN}$ that the formula would give."""),
(CODE, """# NBVAL_CHECK_OUTPUT
scores = np.array([[2.0, 1.0, 5.0, 7.0],
                   [0.5, 0.0, 3.0, 3.0]])
mask = np.array([[True, True, True, False],      # sentence 1: 3 words + 1 padding
                 [True, True, False, False]])    # sentence 2: 2 words + 2 padding
print(reference.softmax(scores, mask))
print("fully masked row:",
      reference.softmax(np.array([1.0, 2.0]), np.array([False, False])))"""),
(MD, r"""The package's reference softmax, and the Keras version used by the layers, which also does the
arithmetic in float32 when the scores are float16 or bfloat16:

```{literalinclude} ../code/seq2seq_attention/reference.py
:pyobject: softmax
:language: python
```

```{literalinclude} ../code/seq2seq_attention/attention.py
:pyobject: masked_softmax
:language: python
```"""),
(MD, r"""## Step 3: the context vector

The context vector for step $t$ is the weighted average of the encoder states, summed over the
**source** positions:

$$
c_t = \sum_{s=1}^{S} \alpha_{t,s}\, h_s .
$$

Because the weights are non-negative and sum to one, $c_t$ is a convex combination of the $h_s$: it lies
"between" the encoder states, closest to those with the largest weights. For all steps at once,
$C = A H$ with $A$ the $T \times S$ matrix of weights and $H$ the $S \times d_h$ matrix of encoder states."""),
(CODE, """# NBVAL_CHECK_OUTPUT
c = alpha @ h                 # (T, S) @ (S, d_h) -> (T, d_h)
print(c)
print("c_1 by the sum:", sum(alpha[0, s] * h[s] for s in range(3)))"""),
(MD, r"""```{admonition} Keep the indices straight
:class: warning
The course's first outline used $x_i$ for encoder states and $y_j$ for decoder states, with the score
$e_{ij} = v^\top \tanh(W_1 x_i + W_2 y_j + b)$. It then normalised over the wrong index and summed the
context up to the *target* length $T_y$. Both sums belong to the **source** positions. In that notation
the corrected formulas are

$$
\alpha_{ij} = \frac{\exp(e_{ij})}{\sum_{k=1}^{T_x} \exp(e_{kj})},
\qquad
c_j = \sum_{i=1}^{T_x} \alpha_{ij}\, x_i ,
$$

with $T_x$ the source length. A quick test for any attention formula: for a fixed decoder step, the
weights must sum to one over the source, and the context must have the encoder state's size.
```

Normalising over the wrong axis gives numbers that look plausible but answer a different question
("which decoder step wants this source word most?"):"""),
(CODE, """# NBVAL_CHECK_OUTPUT
wrong = np.exp(E) / np.exp(E).sum(axis=0, keepdims=True)  # over t: wrong
print("sums over s (should be 1):", wrong.sum(axis=-1))
print("correct weights, sums over s:", alpha.sum(axis=-1))"""),
(MD, r"""## The picture

Each row of the weight matrix is one decoder step's distribution over the source. In this example
*el* looks mostly at *the*, *gato* at *cat* and *negro* at *black*: the weights learned an alignment
that reorders the adjective, which is exactly what attention is for. (Here we chose the weights by hand;
in the training chapter the model learns them.)"""),
(CODE, """fig, axes = plt.subplots(1, 2, figsize=(9, 3.2), layout="constrained",
                         gridspec_kw={"width_ratios": [1, 1.3]})
axes[0].bar(source_tokens, alpha[0], color="tab:blue")
axes[0].set_ylim(0, 1)
axes[0].set_ylabel(r"$\\alpha_{1,s}$")
axes[0].set_title('step 1 ("el"): weights over the source')
plot_attention(alpha, source_tokens, target_tokens, ax=axes[1], title="all steps")
plt.show()"""),
(MD, r"""## The same numbers from the Keras layer

The package's `AdditiveAttention` layer is what the models in later chapters use. Its score is the
formula above, written for batches (`project_keys` is $W_1 h_s$, computed once per sentence):

```{literalinclude} ../code/seq2seq_attention/attention.py
:pyobject: AdditiveAttention.score_projected
:language: python
:dedent:
```

and the softmax and context are shared by every attention layer:

```{literalinclude} ../code/seq2seq_attention/attention.py
:pyobject: BaseAttention.call
:language: python
:dedent:
```

Give the layer our hand-picked weights (transposed, as the note above explains) and it must produce
our numbers. The layer works on batches, so we add a batch axis of size 1."""),
(CODE, """# NBVAL_CHECK_OUTPUT
layer = AdditiveAttention(units=2)
layer(q[None].astype("float32"), h[None].astype("float32"))  # creates the weights
layer.set_weights([W1.T, W2.T, b, v])  # W1: (d_h, u), W2: (d_q, u), b, v: (u,)
context, weights = layer(q[None].astype("float32"), h[None].astype("float32"))
print("context:", tuple(context.shape), " weights:", tuple(weights.shape))
print("weights match:", np.allclose(weights[0], alpha, atol=1e-6))
print("context matches:", np.allclose(context[0], c, atol=1e-6))"""),
(MD, r"""## Other scores

The softmax and the context never change; only the score does. {cite:t}`luong2015`
proposed simpler scores, and the Transformer {cite:p}`vaswani2017` scaled the simplest one:

| name | score $e_{t,s}$ | weights | package layer |
|---|---|---|---|
| additive (Bahdanau) | $v^\top \tanh(W_1 h_s + W_2 q_t + b)$ | $W_1, W_2, b, v$ | `AdditiveAttention` |
| dot (Luong) | $q_t^\top h_s$ | none; needs $d_q = d_h$ | `DotAttention` |
| general (Luong) | $q_t^\top W h_s$ | $W \in \R^{d_q \times d_h}$ | `GeneralAttention` |
| scaled dot-product | $q_t^\top h_s / \sqrt{d}$ | none | `ScaledDotProductAttention` |

The general score with $W = I$ is the dot score: $q_t^\top I h_s = q_t^\top h_s$ (exercise 4 checks it).

### Why divide by $\sqrt{d}$

If the entries of $q$ and $h$ are independent with mean 0 and variance 1, then
$q^\top h = \sum_{i=1}^{d} q_i h_i$ is a sum of $d$ independent terms of variance
$\operatorname{Var}(q_i h_i) = \operatorname{E}[q_i^2]\operatorname{E}[h_i^2] = 1$, so
$\operatorname{Var}(q^\top h) = d$. With $d = 512$ the scores have a standard deviation of
$\sqrt{512} \approx 23$, the softmax puts almost all its weight on one position, and its gradient
all but vanishes.
Dividing by $\sqrt{d}$ brings the variance back to 1. A simulation agrees:"""),
(CODE, """rng = np.random.default_rng(0)
print("   d  Var(q.h)  Var(q.h/sqrt d)  mean largest weight: dot  scaled dot")
for d in (4, 64, 512):
    qs = rng.normal(size=(2000, 1, d))           # 2000 queries
    hs = rng.normal(size=(2000, 10, d))          # 10 source positions each
    dots = reference.dot_scores(qs, hs)[:, 0]    # (2000, 10)
    scaled = reference.scaled_dot_scores(qs, hs)[:, 0]
    top_dot = reference.softmax(dots).max(-1).mean()
    top_scaled = reference.softmax(scaled).max(-1).mean()
    print(f"{d:4d} {dots.var():9.1f} {scaled.var():16.2f}"
          f" {top_dot:25.2f} {top_scaled:11.2f}")"""),
(MD, r"""Every layer of the package agrees with the numpy reference. Here is the check for all four on a
random batch with padding; the test suite does the same for many more shapes and dtypes."""),
(CODE, """# NBVAL_CHECK_OUTPUT
rng = np.random.default_rng(1)
query = rng.normal(size=(2, 3, 4)).astype("float32")    # (batch, T, d)
keys = rng.normal(size=(2, 5, 4)).astype("float32")     # (batch, S, d)
pad = np.array([[True] * 5, [True] * 3 + [False] * 2])  # sentence 2: 2 padding
layers = {"additive": AdditiveAttention(units=8), "dot": DotAttention(),
          "general": GeneralAttention(), "scaled_dot": ScaledDotProductAttention()}
for score, layer in layers.items():
    ctx, w = layer(query, keys, mask=pad)  # the first call creates the weights
    params = {}
    if score == "additive":
        params = dict(zip(["W1", "W2", "b", "v"], layer.get_weights()))
    if score == "general":
        params = {"W": layer.get_weights()[0]}
    ref_ctx, ref_w = reference.attention(query, keys, mask=pad, score=score, **params)
    same = np.allclose(w, ref_w, atol=1e-5) and np.allclose(ctx, ref_ctx, atol=1e-5)
    print(f"{type(layer).__name__:26s} same as reference: {same};"
          f" weight on padding: {np.max(w[1, :, 3:])}")"""),
(MD, r"""## Exercises

Each exercise has a function for you to complete and a check that compares it with the package's
reference on several cases, printing ✔ or ✘ with what went wrong. Solutions are hidden in the
drop-downs; try first.

:::{exercise} A softmax that cannot overflow
:label: ex-stable-softmax

Complete `stable_softmax(scores)`: the softmax over the **last** axis of an array of any shape,
computed so that scores of ±1000 give the right weights (no `nan`, no warning).
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def stable_softmax(scores):
    scores = np.asarray(scores, dtype=float)
    raise NotImplementedError("your code here")

check_stable_softmax(stable_softmax)"""),
(MD, r"""::::{solution} ex-stable-softmax
:class: dropdown

Subtract each row's maximum (with `keepdims=True`, so it broadcasts back over the row), then
normalise:

```python
def stable_softmax(scores):
    scores = np.asarray(scores, dtype=float)
    shifted = scores - scores.max(axis=-1, keepdims=True)   # largest is now 0
    exp = np.exp(shifted)                                    # every value in (0, 1]
    return exp / exp.sum(axis=-1, keepdims=True)
```
::::

:::{exercise} Masking padding
:label: ex-masked-softmax

Complete `masked_softmax(scores, mask)`, where `mask` is a boolean array of the same shape (`True` for
real positions). Masked positions must get exactly 0, even when their score is the largest, and each
row's real positions must sum to 1. You may assume every row has at least one real position.
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def masked_softmax(scores, mask):
    scores, mask = np.asarray(scores, dtype=float), np.asarray(mask, dtype=bool)
    raise NotImplementedError("your code here")

check_masked_softmax(masked_softmax)"""),
(MD, r"""::::{solution} ex-masked-softmax
:class: dropdown

Replace masked scores by $-\infty$ before taking the maximum, so they cannot shift it, and zero their
exponentials:

```python
def masked_softmax(scores, mask):
    scores, mask = np.asarray(scores, dtype=float), np.asarray(mask, dtype=bool)
    masked = np.where(mask, scores, -np.inf)
    exp = np.where(mask, np.exp(masked - masked.max(axis=-1, keepdims=True)), 0.0)
    return exp / exp.sum(axis=-1, keepdims=True)
```
::::

:::{exercise} The additive score
:label: ex-additive-score

Complete `additive_score(query, keys, W1, W2, b, v)` for **one** decoder step: `query` has shape
`(d_q,)`, `keys` has shape `(S, d_h)`, and the result has shape `(S,)`. The weights are stored as in
Keras: `W1` is `(d_h, u)` and `W2` is `(d_q, u)`, so $W_1 h_s$ is `keys @ W1`. No loops needed.
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def additive_score(query, keys, W1, W2, b, v):
    raise NotImplementedError("your code here")

check_additive_score(additive_score)"""),
(MD, r"""::::{solution} ex-additive-score
:class: dropdown

`keys @ W1` is `(S, u)`; `query @ W2 + b` is `(u,)` and broadcasts over the $S$ rows:

```python
def additive_score(query, keys, W1, W2, b, v):
    hidden = np.tanh(keys @ W1 + query @ W2 + b)   # (S, u)
    return hidden @ v                              # (S,)
```
::::

:::{exercise} Dot attention is general attention with $W = I$
:label: ex-general-scores

Complete `general_scores(query, keys, W)` for Luong's general score $e_{t,s} = q_t^\top W h_s$, with
`query` of shape `(T, d_q)`, `keys` `(S, d_h)`, `W` `(d_q, d_h)` and a result of shape `(T, S)`. The check
also calls it with `W = np.eye(d)` and compares with the dot score. Then prove on paper that the two
must agree.
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def general_scores(query, keys, W):
    raise NotImplementedError("your code here")

check_general_scores(general_scores)"""),
(MD, r"""::::{solution} ex-general-scores
:class: dropdown

```python
def general_scores(query, keys, W):
    return query @ W @ keys.T    # (T, d_q) @ (d_q, d_h) @ (d_h, S) -> (T, S)
```

With $W = I$: $q_t^\top I h_s = q_t^\top h_s$, the dot score, for every $t$ and $s$. So a
`GeneralAttention` layer can always learn to behave like `DotAttention`; it pays $d_q d_h$ extra
parameters for the freedom to compare vectors of different sizes, or to weigh some dimensions more.
::::"""),
(MD, r"""## Summary

- Attention is three steps: a **score** for every source position, a **softmax over the source
  positions**, and a **weighted sum of the encoder states**. Only the score differs between variants.
- The additive score $v^\top \tanh(W_1 h_s + W_2 q_t + b)$ is a one-hidden-layer network; $W_1 h_s$ can
  be computed once per sentence.
- Subtracting the maximum before `exp` changes nothing mathematically and prevents overflow, which
  matters most in float16.
- Masks give padding exactly zero weight; a fully masked row gives zeros, not NaN.
- Both sums, in the softmax and in the context, run over the **source** positions $s = 1, \dots, S$.
- Dot attention is general attention with $W = I$; scaling by $\sqrt{d}$ keeps dot scores' variance at 1.

Next, the practice chapters put these layers inside an encoder–decoder and train them."""),
]

if __name__ == "__main__":
    write_notebook(cells, "04_math")
