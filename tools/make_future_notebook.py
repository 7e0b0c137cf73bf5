"""Write chapters/08_future.ipynb (without outputs); see make_math_notebook.py.

    .venv/bin/python tools/make_future_notebook.py
    SEQ2SEQ_ATTENTION_DATA=../shared/data .venv/bin/python tools/execute_notebooks.py chapters/08_future.ipynb

The full-size comparison quoted in the prose is read here, at generation time (the
notebook itself must run in Colab without the repository), from the JSON that
``benchmarks/transformer_vs_rnn.py`` writes: benchmarks/results/transformer_vs_rnn.json,
else /tmp/transformer_vs_rnn.json. Without either, the chapter gets a visible TODO note.
"""

import json
import sys
from pathlib import Path

from notebook_writer import CODE, MD, write_notebook
from setup_cell import SETUP_CELL

ROOT = Path(__file__).resolve().parent.parent
RESULT_FILES = [ROOT / "benchmarks" / "results" / "transformer_vs_rnn.json", Path("/tmp/transformer_vs_rnn.json")]
# Optional: the same Transformer trained for longer (benchmarks/transformer_vs_rnn.py --models transformer
# --epochs 20 --out benchmarks/results/transformer_vs_rnn_20_epochs.json).
LONGER_FILE = ROOT / "benchmarks" / "results" / "transformer_vs_rnn_20_epochs.json"
NAMES = {"rnn": "RNN + attention (Luong decoder)", "transformer": "Transformer"}


def benchmark_section():
    """The table with the measured full-size comparison, or a TODO note."""
    path = next((p for p in RESULT_FILES if p.exists()), None)
    if path is None:
        print("WARNING: no transformer_vs_rnn.json found; the chapter gets a TODO note", file=sys.stderr)
        return r"""```{note}
TODO (lead): the full-size comparison is missing. Run `benchmarks/transformer_vs_rnn.py` (under the CPU
lock), then run `tools/make_future_notebook.py` again.
```"""
    report = json.loads(path.read_text())
    settings, env, rows = report["settings"], report["environment"], report["results"]
    machine = "a GPU" if "GPU" in env.get("devices", []) else f"a {env['cpu_count']}-core CPU"
    table = [("| model | parameters | exact match | training: target tokens/s | training time | "
              "decoding: dates/s |"), "|---|---|---|---|---|---|"]
    for row in rows:
        table.append(f"| {NAMES[row['model']]} | {row['parameters']:,} | {row['exact_match']:.1%} "
                     f"| {row['train_target_tokens_per_second']:,.0f} | {row['training_seconds']:.0f} s "
                     f"| {row['decode_sentences_per_second']:,.0f} |")
    by = {row["model"]: row for row in rows}
    rnn, tf = by.get("rnn"), by.get("transformer")
    longer = json.loads(LONGER_FILE.read_text())["results"][0] if LONGER_FILE.exists() else None
    if longer:
        table.append(f"| Transformer, {longer['epochs']} epochs | {longer['parameters']:,} "
                     f"| {longer['exact_match']:.1%} | {longer['train_target_tokens_per_second']:,.0f} "
                     f"| {longer['training_seconds']:.0f} s | {longer['decode_sentences_per_second']:,.0f} |")
    comparison = ""
    if rnn and tf:
        ratio = tf["train_target_tokens_per_second"] / rnn["train_target_tokens_per_second"]
        decode = rnn["decode_sentences_per_second"] / tf["decode_sentences_per_second"]
        comparison = (
            f"\n\nIn training the Transformer processed {ratio:.2f} times as many target tokens per second as "
            f"the RNN. In decoding, the RNN's compiled loop carries a state of fixed size from step to step, "
            f"while our simple Transformer loop runs the whole decoder again over the prefix at every step (and "
            f"returns to Python between steps): the RNN decoded {decode:.1f} times as many dates per second. "
            f"A key/value cache, which keeps each layer's keys and values of the earlier positions, and a "
            f"compiled loop remove most of that difference.")
        wrong = [(x, y) for x, y in tf["examples"] if len(y) == 10 and y[:4] != x[-4:] and x[-4:].isdigit()]
        comparison += (
            f"\n\nQuality is another matter. With the same {settings['epochs']} epochs the RNN gets "
            f"{rnn['exact_match']:.1%} of the test dates exactly right and the Transformer only "
            f"{tf['exact_match']:.1%}; its training loss is still falling (token accuracy "
            f"{tf['final_train_token_accuracy']:.2%} against the RNN's {rnn['final_train_token_accuracy']:.2%}). "
            f"Its typical error is a swap of digits inside a field")
        comparison += (f", such as `{wrong[0][1]}` for `{wrong[0][0]}`" if wrong else "") + (
            ": the RNN reads the characters in order by construction, while the Transformer has to learn "
            f"order from the positional encodings, and on {report['training_pairs']:,} examples that takes longer.")
        if longer:
            comparison += (
                f" Trained for {longer['epochs']} epochs instead ({longer['training_seconds']:.0f} s), the same "
                f"Transformer reaches {longer['exact_match']:.1%} (last row of the table).")
    return f"""`benchmarks/transformer_vs_rnn.py` runs the same comparison at full size: all
{report['training_pairs']:,} training pairs, {settings['epochs']} epochs, the RNN at the `quick` profile's
sizes (embedding {settings['embedding_dim']}, {settings['units']} units) and a Transformer of about the same
number of parameters ($d_\\text{{model}} = {settings['d_model']}$, {settings['heads']} heads,
$d_\\text{{ff}} = {settings['d_ff']}$, {settings['layers']} encoder and {settings['layers']} decoder layers,
dropout {settings['dropout']}), both with Adam at learning rate {settings['learning_rate']:g}. Exact match is
measured on {rows[0]['test_sentences']:,} test dates, the training throughput from the median epoch time
(epochs 2 to {settings['epochs']}) and the decoding speed from the median of {settings['repeats']} runs over
the test dates, on {machine}:

{chr(10).join(table)}{comparison}"""


def speed_summary():
    """One sentence of the summary, from the measured comparison."""
    path = next((p for p in RESULT_FILES if p.exists()), None)
    if path is None:
        return ("Our simple decoding loop recomputes the prefix at every step; a KV cache is what makes "
                "Transformer decoding fast.")
    report = json.loads(path.read_text())
    by = {row["model"]: row for row in report["results"]}
    rnn, tf = by["rnn"], by["transformer"]
    ratio = tf["train_target_tokens_per_second"] / rnn["train_target_tokens_per_second"]
    speed = ("at about the RNN's speed" if 0.8 < ratio < 1.25 else
             f"{ratio:.1f} times {'faster' if ratio > 1 else 'slower'}") + " per target token"
    text = (f"At full size, on a CPU, the Transformer trained {speed}, but after the same "
            f"{report['settings']['epochs']} epochs it got {tf['exact_match']:.1%} of the test dates right against the "
            f"RNN's {rnn['exact_match']:.1%}: it must learn the order of its input from the positional encodings.")
    if LONGER_FILE.exists():
        longer = json.loads(LONGER_FILE.read_text())["results"][0]
        text += f" With {longer['epochs']} epochs it reached {longer['exact_match']:.1%}."
    decode = "slower than" if tf["decode_sentences_per_second"] < rnn["decode_sentences_per_second"] else "as fast as"
    return text + (f" Our simple decoding loop, which recomputes the prefix, is {decode} the RNN's; a KV cache "
                   "is what makes Transformer decoding fast.")


cells = [
(MD, r"""# Future directions: from attention to Transformers

The models of this course read the source with an RNN and let the decoder *attend* to its states. In
2017 Vaswani et al. asked what happens if attention does all the work {cite}`vaswani2017`: no recurrence,
only attention and small feed-forward layers. The result, the **Transformer**, replaced RNNs in
translation within a year and is the architecture behind today's language models. This chapter builds a
small one from the attention layer you already know, and compares it with our RNN + attention model on the
dates task.

```{admonition} Learning objectives
:class: tip
After this chapter you can
- explain why Transformers replaced RNNs: parallel training and short paths between positions;
- build multi-head attention from scaled dot-product attention (split heads, attend, merge, project) and
  check it against `keras.layers.MultiHeadAttention`;
- use a causal mask for self-attention in a decoder, and padding masks passed explicitly;
- add sinusoidal positional encodings, and say why attention needs them;
- assemble, train, save and greedily decode a small Transformer encoder–decoder, and compare it with the
  RNN + attention model on quality and speed.
```"""),
(CODE, SETUP_CELL),
(CODE, """import tempfile
import time

import keras
import matplotlib.pyplot as plt
import numpy as np
from keras import ops

from seq2seq_attention import data, dates, training, transformer
from seq2seq_attention.exercises import (
    check_causal_attention, check_sinusoidal_encoding, check_split_heads)
from seq2seq_attention.metrics import exact_match, group_references
from seq2seq_attention.models import Seq2SeqAttention
from seq2seq_attention.plots import plot_attention
from seq2seq_attention.translator import Translator
from seq2seq_attention.transformer import MultiHeadAttention, Transformer

profile = training.choose_profile()   # "full" on a GPU, "quick" on a CPU
print(profile.name)"""),
(MD, r"""## Why Transformers replaced RNNs

An RNN encoder computes $h_s = f(h_{s-1}, x_s)$: state $s$ needs state $s - 1$, so the $n$ positions of a
sentence are processed one after another, however many cores the machine has. Attention over the encoder
states removed the *bottleneck* of a single summary vector, but not the *recurrence*. Two costs remain:

- **Sequential steps.** Training an RNN layer takes $O(n)$ steps that cannot run in parallel. A
  self-attention layer computes every position from every other position in one matrix product: $O(1)$
  sequential steps, which is what GPUs and TPUs are built for.
- **Path length.** For the word at position 1 to influence the word at position $n$, its signal must pass
  through $n - 1$ RNN steps, and gradients must travel back through all of them. In self-attention every
  position is one step from every other one, so long-range dependencies are easier to learn.

The price is the attention matrix: $n \times n$ scores per layer, $O(n^2 d)$ operations instead of the RNN's
$O(n d^2)$. For sentences ($n$ of a few tens, $d$ of a few hundred) that is cheaper; for very long inputs
it is the Transformer's main cost, and an active research topic. Vaswani et al.'s comparison of layer types
{cite}`vaswani2017`:

| layer | operations per layer | sequential operations | longest path between positions |
|---|---|---|---|
| self-attention | $O(n^2 \cdot d)$ | $O(1)$ | $O(1)$ |
| recurrent | $O(n \cdot d^2)$ | $O(n)$ | $O(n)$ |
| convolution (kernel $k$) | $O(k \cdot n \cdot d^2)$ | $O(1)$ | $O(\log_k n)$ |

## Scaled dot-product attention, again

The Transformer's attention is the scaled dot-product score of the attention chapter, applied to whole
matrices of queries $Q$ (one row per query), keys $K$ and values $V$:

$$
\operatorname{Attention}(Q, K, V) = \operatorname{softmax}\!\left(\frac{Q K^\top}{\sqrt{d_k}}\right) V .
$$

The package's layer already does exactly this, with the masked softmax that gives padding a weight of 0:

```{literalinclude} ../code/seq2seq_attention/attention.py
:pyobject: ScaledDotProductAttention
:language: python
```

## Multi-head attention

One attention distribution per query is one way of looking at the sequence. **Multi-head** attention runs
$h$ attentions side by side, each on its own learned projection of queries, keys and values into a smaller
space of $d_k = d_\text{model} / h$ dimensions, and joins their results:

$$
\operatorname{head}_i = \operatorname{Attention}(Q W_i^Q, K W_i^K, V W_i^V), \qquad
\operatorname{MultiHead}(Q, K, V) = [\operatorname{head}_1; \dots; \operatorname{head}_h]\, W^O .
$$

In code the $h$ projections are one dense layer with $h \cdot d_k$ outputs; **splitting** the heads is a
reshape and a transpose that moves the head axis next to the batch axis, and **merging** undoes it:

```{literalinclude} ../code/seq2seq_attention/transformer.py
:pyobject: split_heads
:language: python
```

```{literalinclude} ../code/seq2seq_attention/transformer.py
:pyobject: merge_heads
:language: python
```

The layer then folds the heads into the batch, so one call of `ScaledDotProductAttention` attends in every
head of every sentence at once:

```{literalinclude} ../code/seq2seq_attention/transformer.py
:pyobject: MultiHeadAttention
:language: python
```

Keras has its own `keras.layers.MultiHeadAttention`. Its kernels keep the heads as a separate axis,
$(d_\text{in}, h, d_k)$ instead of our $(d_\text{in}, h \cdot d_k)$, but the computation is the same: copy its
weights into our layer and the two agree."""),
(CODE, """# NBVAL_CHECK_OUTPUT
rng = np.random.default_rng(0)
query = rng.normal(size=(2, 4, 8)).astype("float32")    # (batch, tgt_len, 8)
value = rng.normal(size=(2, 6, 8)).astype("float32")    # (batch, src_len, 8)
mask = np.array([[True] * 6, [True] * 3 + [False] * 3])  # (batch, src_len): the second has 3 padded

keras.utils.set_random_seed(0)
reference = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)
expected, expected_weights = reference(query, value, attention_mask=mask[:, None, :],
                                       return_attention_scores=True)
ours = MultiHeadAttention(num_heads=2, key_dim=4)
ours(query, value)                                      # creates the weights
for mine, theirs in [(ours.query_dense, reference._query_dense), (ours.key_dense, reference._key_dense),
                     (ours.value_dense, reference._value_dense), (ours.output_dense, reference._output_dense)]:
    kernel, bias = theirs.get_weights()                 # (d_in, heads, key_dim) or (heads, key_dim, d_out)
    mine.set_weights([kernel.reshape(mine.kernel.shape), bias.reshape(-1)])
output, weights = ours(query, value, attention_mask=mask)
print("output", tuple(output.shape), "weights", tuple(weights.shape), "  (batch, heads, tgt_len, src_len)")
print("same output as Keras:", np.allclose(output, expected, atol=1e-5))
print("same weights as Keras:", np.allclose(weights, expected_weights, atol=1e-6))
print("weight on padding:", float(np.abs(np.asarray(weights)[1, :, :, 3:]).max()))"""),
(MD, r"""## Self-attention and the causal mask

In **self-attention** the queries, keys and values all come from the same sequence: every position looks at
every position of its own sentence. The encoder does this over the source. The decoder does it over the
target, with one restriction: in training it sees the whole target at once (teacher forcing), and position
$t$ must not look at positions after $t$, the tokens it is learning to predict. A **causal mask** allows
key $s$ for query $t$ only when $s \le t$:

```{literalinclude} ../code/seq2seq_attention/transformer.py
:pyobject: causal_mask
:language: python
```

The test of a causal mask is behavioural: change the tokens after position $t$, and the outputs at
positions $0..t$ must not move."""),
(CODE, """# NBVAL_CHECK_OUTPUT
print(ops.convert_to_numpy(transformer.causal_mask(5)).astype(int))

keras.utils.set_random_seed(0)
layer = MultiHeadAttention(num_heads=2, key_dim=4)
x = np.random.default_rng(1).normal(size=(1, 6, 8)).astype("float32")   # (batch, len, 8)
changed = x.copy()
changed[:, 4:] += 10.0                                   # change positions 4 and 5
before, weights = layer(x, x, use_causal_mask=True)
after, _ = layer(changed, changed, use_causal_mask=True)
print("positions 0-3 unchanged:", np.allclose(before[:, :4], after[:, :4], atol=1e-5))
print("positions 4-5 changed:  ", not np.allclose(before[:, 4:], after[:, 4:], atol=1e-3))"""),
(MD, r"""Padding needs a mask too, and here it is always passed **explicitly**: the model computes
`padding_mask(ids)` (`True` for real tokens) from the ids and gives it to every attention layer, instead of
relying on a Keras mask travelling along with the tensors. The tests check that a sentence gives the same
outputs alone and inside a padded batch.

## Positional encodings

Attention is a weighted *sum*; it does not know where anything is. Permute the input positions of a
self-attention layer and its outputs are permuted the same way, and nothing else changes:"""),
(CODE, """# NBVAL_CHECK_OUTPUT
order = np.array([3, 0, 5, 1, 4, 2])
out, _ = layer(x, x)
out_permuted, _ = layer(x[:, order], x[:, order])
print("attention(permuted input) == permuted attention(input):",
      np.allclose(out_permuted, np.asarray(out)[:, order], atol=1e-5))"""),
(MD, r"""For "march 3" and "3 march" to mean different things, each position must carry its place. The
Transformer adds to each embedding a fixed vector of sines and cosines of the position $p$, at frequencies
that fall geometrically along the features:

$$
\mathrm{PE}_{p, 2i} = \sin\!\left(\frac{p}{10000^{2i / d}}\right), \qquad
\mathrm{PE}_{p, 2i + 1} = \cos\!\left(\frac{p}{10000^{2i / d}}\right).
$$

Low features change fast with $p$, high ones slowly, like the digits of a counter; and for each frequency
$(\sin, \cos)$ at $p + k$ is a rotation of $(\sin, \cos)$ at $p$ by an angle that depends on $k$ only, which
makes relative positions easy to read. Learned position embeddings work about as well; sinusoids need no
training and are defined for any length.

```{literalinclude} ../code/seq2seq_attention/transformer.py
:pyobject: sinusoidal_encoding
:language: python
```

```{literalinclude} ../code/seq2seq_attention/transformer.py
:pyobject: PositionalEmbedding
:language: python
```"""),
(CODE, """encoding = ops.convert_to_numpy(transformer.sinusoidal_encoding(60, 64))   # (positions, features)
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.5), layout="constrained")
image = left.imshow(encoding.T, aspect="auto", cmap="RdBu", vmin=-1, vmax=1)
left.set(xlabel="position p", ylabel="feature", title="sinusoidal encoding (60 positions, d = 64)")
fig.colorbar(image, ax=left)
similarity = encoding @ encoding[20] / (encoding ** 2).sum(1).mean()
right.plot(similarity)
right.set(xlabel="position p", title="dot product with position 20 (normalised)")
plt.show()"""),
(MD, r"""The dot product of two encodings depends only on their distance, and is largest at distance 0: a
query built from position 20 can find its neighbours by attention.

## The Transformer encoder–decoder

An **encoder layer** is self-attention followed by a position-wise feed-forward network (two dense layers,
applied to each position separately); each of the two is wrapped in a residual connection and layer
normalisation. A **decoder layer** has three parts: causal self-attention over the target, attention over
the encoder's output (the "cross-attention": this is the seq2seq attention of the earlier chapters, with
the decoder's positions as queries and the encoder's as keys and values), and the feed-forward network.

```{literalinclude} ../code/seq2seq_attention/transformer.py
:pyobject: EncoderLayer
:language: python
```

```{literalinclude} ../code/seq2seq_attention/transformer.py
:pyobject: DecoderLayer
:language: python
```

The model stacks `num_layers` of each. It takes the same inputs as `Seq2SeqAttention`,
`(source_ids, target_in_ids)`, and returns the same logits, so the loss, the metrics, `training.train` and
the data pipelines of the training chapter work unchanged. It is a registered Keras serializable model with
a `get_config`, so `model.save("x.keras")` and `keras.saving.load_model` give it back.

```{literalinclude} ../code/seq2seq_attention/transformer.py
:pyobject: Transformer
:language: python
```

### Greedy decoding, simply

At inference the decoder produces one token at a time, as the RNN does. Our loop is the simplest correct
one: at step $t$ it runs the whole decoder again over the prefix $[\text{START}]\, y_1 \dots y_{t-1}$ and keeps
the last position's prediction. Causal masking guarantees that the earlier positions come out exactly as
before, so this is wasted work, not wrong work: a sentence of $T$ tokens costs $1 + 2 + \dots + T$ positions
of decoder computation instead of $T$. Production decoders keep each layer's keys and values of the earlier
positions (a *KV cache*) and compute only the new one. Like the package's RNN decoders, ours bounds each
output by its own source length and stops at `[END]`.

```{literalinclude} ../code/seq2seq_attention/transformer.py
:pyobject: greedy_decode
:language: python
```

## Transformer against RNN on the dates task

Now both models on the same task: the dates of the training chapter, the same generated examples, the same
split (no test input was seen in training), the same character vocabularies, batches, optimiser, loss and
number of epochs. Here, live, a small version that runs in a couple of minutes on a CPU; below it, the
full-size measurement."""),
(CODE, """# NBVAL_CHECK_OUTPUT
pairs = dates.generate_dates(10_000, seed=0)
split = data.split_by_source(pairs, seed=0)
quick = profile.name == "quick"
train_pairs = split.train[:4000] if quick else split.train   # a small run on a CPU
epochs = 6 if quick else profile.epochs
src_vec = data.make_vectorizer([s for s, _ in split.train], level="character")
tgt_vec = data.make_vectorizer([t for _, t in split.train], level="character")
train_ds = data.make_dataset(train_pairs, src_vec, tgt_vec, batch_size=profile.batch_size, seed=0, buckets=4)
test_sources, test_references = group_references(split.test[:500])
print(len(train_pairs), "training pairs,", epochs, "epochs,", len(test_sources), "test dates")"""),
(CODE, """def rnn():
    return Seq2SeqAttention(src_vec.vocabulary_size(), tgt_vec.vocabulary_size(),
                            embedding_dim=32 if quick else profile.embedding_dim,
                            units=64 if quick else profile.units, decoder="luong")

def small_transformer():
    return Transformer(src_vec.vocabulary_size(), tgt_vec.vocabulary_size(),
                       d_model=64 if quick else 128, num_heads=4, d_ff=128 if quick else 512,
                       num_layers=2, dropout=0.0 if quick else 0.1)

runs = {}
for name, build in [("RNN + attention", rnn), ("Transformer", small_transformer)]:
    keras.utils.set_random_seed(0)
    start = time.perf_counter()
    model, history = training.train(build, train_ds, epochs=epochs, run_dir=tempfile.mkdtemp(),
                                    verbose=0, tensorboard=False)
    seconds = time.perf_counter() - start
    runs[name] = (model, history, seconds)
    print(f"{name}: {model.count_params():,} parameters, trained in {seconds:.0f} s")"""),
(CODE, """translate = {
    "RNN + attention": lambda texts: [t.text for t in Translator(runs["RNN + attention"][0], src_vec,
                                                                  tgt_vec).translate(texts)],
    "Transformer": lambda texts: transformer.translate(runs["Transformer"][0], texts, src_vec, tgt_vec),
}
print(f"{'model':16s} {'exact match':>11s} {'training':>9s} {'decoding':>9s}")
for name, (model, history, seconds) in runs.items():
    translate[name](test_sources[:8])                    # warm-up: traces the decoding functions
    start = time.perf_counter()
    hypotheses = translate[name](test_sources)
    decoding = time.perf_counter() - start
    print(f"{name:16s} {exact_match(hypotheses, test_references):11.1%} {seconds:8.0f}s {decoding:8.1f}s")

fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
for name, (_, history, _) in runs.items():
    ax.plot(range(1, epochs + 1), history.history["loss"], marker="o", label=name)
ax.set(xlabel="epoch", ylabel="masked training loss", yscale="log", title="the same data, the same epochs")
ax.legend()
plt.show()"""),
(MD, r"""Small runs like this one are noisy, and which model is ahead after a few epochs depends on the sizes
and the learning rate. What does not change is where the time goes. In training, the Transformer
processes all target positions of a batch in parallel in every layer; the RNN's layers step through the
positions. In decoding, both produce one token per step, and our Transformer recomputes its prefix.

Here is where the Transformer's last decoder layer looks when it writes a date, averaged over its heads.
After a short training it may still get a digit wrong (the plot's rows are its actual output),
but like the RNN's attention in the training chapter it has learnt *where* to look: the year's digits
attend to the year at the end of the input, and the month to the month's name:"""),
(CODE, """model = runs["Transformer"][0]
text = "tue 3 march 2015"
ids = data.encode([text], src_vec).to_tensor().numpy()          # (1, src_len)
decoded = transformer.greedy_decode(model, ids)
n = int(decoded.lengths[0])
vocabulary = tgt_vec.get_vocabulary()
plot_attention(decoded.weights[0, :n], ["[START]", *text, "[END]"],
               [vocabulary[i] for i in decoded.tokens[0, :n]], annotate=False,
               title=f"Transformer cross-attention: {text!r}")
plt.show()"""),
(MD, "### At full size\n\n" + benchmark_section() + r"""

On a short task, a small data set and a CPU, the Transformer has no edge to show. Its advantages are
*scalability*: its training parallelises across positions, so on a GPU, with long sequences, more data and
larger models, it can train far faster per example, and its constant path length lets it use context that
an RNN struggles to carry. That, not a better score on short inputs, is why it replaced the RNN.

## Where to go from here

- **Pretrained models.** Transformers are usually not trained from scratch: an encoder (as in BERT) or a
  decoder (as in GPT) is pretrained on large amounts of text and then fine-tuned, as in the fine-tuning
  chapter, on the task at hand.
- **Faster decoding.** A KV cache, batching sentences of similar lengths, and beam search work for
  Transformers exactly as the decoding chapter describes for RNNs.
- **Longer inputs.** The $n^2$ attention matrix is the cost that limits the input length; many variants
  (sparse, local or linearised attention, and memory-efficient exact kernels) reduce it.
- **Training details** that matter at scale: the learning-rate warm-up of the original paper, layer
  normalisation *before* each sub-layer ("pre-norm"), label smoothing and shared embeddings.

## Exercises

:::{exercise} Split the heads
:label: ex-split-heads

Complete `split_heads(x, num_heads)` in numpy: `x` has shape `(batch, length, d_model)` with `d_model`
divisible by `num_heads`; return shape `(batch, num_heads, length, d_model // num_heads)`, where head $h$
holds features $h \cdot d_k$ to $(h + 1) \cdot d_k - 1$ of every position.
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def split_heads(x, num_heads):
    raise NotImplementedError("your code here")

check_split_heads(split_heads)"""),
(MD, r"""::::{solution} ex-split-heads
:class: dropdown

```python
def split_heads(x, num_heads):
    batch, length, d_model = x.shape
    x = x.reshape(batch, length, num_heads, d_model // num_heads)   # cut each position's features
    return x.transpose(0, 2, 1, 3)                                  # (batch, heads, length, depth)
```

Reshaping straight to `(batch, num_heads, length, depth)` gives the right shape and the wrong numbers:
it cuts the flattened sequence, not each position's features.
::::

:::{exercise} Sinusoidal positional encoding
:label: ex-sinusoidal-encoding

Complete `sinusoidal_encoding(length, depth)` in numpy: return the `(length, depth)` array with
$\mathrm{PE}_{p, 2i} = \sin(p / 10000^{2i/d})$ and $\mathrm{PE}_{p, 2i+1} = \cos(p / 10000^{2i/d})$
(`depth` is even).
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def sinusoidal_encoding(length, depth):
    raise NotImplementedError("your code here")

check_sinusoidal_encoding(sinusoidal_encoding)"""),
(MD, r"""::::{solution} ex-sinusoidal-encoding
:class: dropdown

```python
def sinusoidal_encoding(length, depth):
    positions = np.arange(length)[:, None]                      # (length, 1)
    frequencies = 1 / 10000 ** (np.arange(0, depth, 2) / depth)  # (depth / 2,): 2i / d
    angles = positions * frequencies                             # (length, depth / 2)
    encoding = np.zeros((length, depth))
    encoding[:, 0::2] = np.sin(angles)
    encoding[:, 1::2] = np.cos(angles)
    return encoding
```
::::

:::{exercise} Causal self-attention
:label: ex-causal-attention

Complete `causal_attention(q, k, v)` in numpy: `q` and `k` have shape `(T, d)`, `v` `(T, d_v)`. Return
`(output, weights)`: the scaled dot-product attention of every position $t$ over the positions $s \le t$
only, with `weights` of shape `(T, T)` (zero above the diagonal, rows summing to 1) and `output` of shape
`(T, d_v)`.
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def causal_attention(q, k, v):
    raise NotImplementedError("your code here")

check_causal_attention(causal_attention)"""),
(MD, r"""::::{solution} ex-causal-attention
:class: dropdown

```python
def causal_attention(q, k, v):
    scores = q @ k.T / np.sqrt(k.shape[-1])                 # (T, T)
    allowed = np.tril(np.ones(scores.shape, dtype=bool))    # s <= t
    scores = np.where(allowed, scores, -np.inf)             # mask BEFORE the softmax
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights = weights / weights.sum(axis=-1, keepdims=True)
    return weights @ v, weights
```

Zeroing the future weights *after* the softmax is a common mistake: the remaining weights no longer sum
to 1.
::::

## Summary

- Transformers drop recurrence: self-attention connects every position to every other in one step, so a
  layer trains in parallel over positions and the path between any two positions has length 1, at the cost
  of an $n \times n$ attention matrix {cite}`vaswani2017`.
- Multi-head attention is scaled dot-product attention run on $h$ learned projections at once: split the
  heads, attend, merge, project. Ours, built from the package's `ScaledDotProductAttention`, matches
  `keras.layers.MultiHeadAttention` exactly.
- A causal mask keeps a decoder position from seeing later positions; padding masks, passed explicitly,
  keep padding out of every attention.
- Attention ignores order; sinusoidal positional encodings put it back.
- On the dates task the small Transformer and the RNN + attention model are trained, saved and decoded
  with the same tools. """ + speed_summary() + """"""),
]

if __name__ == "__main__":
    write_notebook(cells, "08_future")
