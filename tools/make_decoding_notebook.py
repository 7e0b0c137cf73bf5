"""Write chapters/05_4_decoding.ipynb (without outputs); see make_math_notebook.py.

    .venv/bin/python tools/make_decoding_notebook.py
    SEQ2SEQ_ATTENTION_DATA=../shared/data .venv/bin/python tools/execute_notebooks.py chapters/05_4_decoding.ipynb

The English-Spanish speed and BLEU figures quoted in the prose are read here, at
generation time (the notebook itself must run in Colab without the repository),
from the JSON that ``benchmarks/decoding_speed.py`` writes:
benchmarks/results/decoding_speed.json, else /tmp/decoding_speed.json. Without either, the
chapter gets a visible TODO note in their place.
"""

import json
import sys
from pathlib import Path

from notebook_writer import CODE, MD, write_notebook
from setup_cell import SETUP_CELL

ROOT = Path(__file__).resolve().parent.parent
SPEED_FILES = [ROOT / "benchmarks" / "results" / "decoding_speed.json", Path("/tmp/decoding_speed.json")]


def speed_section():
    """The prose (and table) with the measured spa-eng figures, or a TODO note."""
    path = next((p for p in SPEED_FILES if p.exists()), None)
    if path is None:
        print("WARNING: no decoding_speed.json found; the chapter gets a TODO note", file=sys.stderr)
        return r"""```{note}
TODO (lead): the English–Spanish figures are missing. Run `benchmarks/decoding_speed.py`, put its JSON in
`benchmarks/results/decoding_speed.json` (or `/tmp/decoding_speed.json`) and run
`tools/make_decoding_notebook.py` again.
```"""
    report = json.loads(path.read_text())
    rows = report["results"]
    by_method = {row["method"]: row for row in rows}
    greedy = by_method["greedy"]
    settings, model, env = report["settings"], report["model"], report["environment"]
    machine = "a GPU" if "GPU" in env.get("devices", []) else f"a {env['cpu_count']}-core CPU"
    table = ["| decoding | sentences/s | BLEU | chrF | mean output words |", "|---|---|---|---|---|"]
    for row in rows:
        name = "greedy" if row["beam_size"] is None else f"beam, $K = {row['beam_size']}$"
        table.append(f"| {name} | {row['sentences_per_second']:,.0f} | {row['bleu']:.1f} | {row['chrf']:.1f} "
                     f"| {row['mean_output_words']:.1f} |")
    beams = [row for row in rows if row["beam_size"] is not None]
    widest = max(beams, key=lambda row: row["beam_size"]) if beams else greedy
    best = max(rows, key=lambda row: row["bleu"])
    if best["beam_size"] is None or best["bleu"] - greedy["bleu"] < 0.05:
        bleu = f"no beam beats greedy decoding's BLEU of {greedy['bleu']:.1f} here"
    else:
        bleu = (f"the best BLEU comes from beam size {best['beam_size']}, {best['bleu']:.1f} against "
                f"greedy decoding's {greedy['bleu']:.1f}")
    if widest["mean_output_words"] < greedy["mean_output_words"] - 0.05:
        length = ("the widest beam writes shorter translations than greedy decoding even with the length "
                  "penalty: it finds more of the short, likely outputs")
    else:
        length = "with the length penalty, wider beams do not drift towards shorter translations"
    return f"""On real sentences the search has more to do. `benchmarks/decoding_speed.py` decodes
{settings['sentences']:,} English–Spanish test sentences (Tatoeba, CC-BY 2.0 (France):
[www.manythings.org/anki](https://www.manythings.org/anki) and [tatoeba.org](https://tatoeba.org))
in batches of {settings['batch']} with a trained
{model['decoder']} model ({model['units']} units) on {machine}, with $\\alpha = {settings['alpha']}$:

{chr(10).join(table)}

Batched greedy decoding takes {greedy['ratio_to_teacher_forced_pass']:.1f} times as long as one
teacher-forced pass over the same sentences (the same network run in parallel over all steps, a lower
bound for decoding). Beam search with $K = {widest['beam_size']}$ decodes
{widest['sentences_per_second']:,.0f} sentences per second against greedy decoding's
{greedy['sentences_per_second']:,.0f}; {bleu}; and {length}."""


cells = [
(MD, r"""# Decoding

A trained translation model gives, for a source sentence $x$ and the words $y_{<t}$ written so far, a
distribution $p(y_t \mid y_{<t}, x)$ over the next word. Training never asked it to write a sentence:
with teacher forcing it always read the *true* previous words. **Decoding** turns those next-word
distributions into an output, one token at a time, feeding each chosen token back in. This chapter
builds the three ways of choosing — greedy decoding, beam search and sampling — looks inside each on a
model trained on the dates task, and exports the result as a SavedModel that needs no Python code from
the course.

```{admonition} Learning objectives
:class: tip
After this chapter you can
- decode greedily in a batch, and explain why every sentence needs its own length bound;
- run beam search by hand: alive and finished hypotheses, the $2K$ candidates, the exact stopping rule;
- explain why log-probabilities favour short outputs and what GNMT's length penalty does about it;
- read a beam search tree, and check that a beam of size 1 is greedy decoding;
- sample with a temperature, top-$k$ and top-$p$, reproducibly;
- export a translator with greedy and beam search signatures and check it against the original.
```"""),
(CODE, SETUP_CELL),
(CODE, """import collections
import tempfile
import time

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from seq2seq_attention import data, dates, training
from seq2seq_attention.data import END_ID, PAD_ID, START_ID
from seq2seq_attention.decoding import (
    beam_search, greedy_decode, length_limits, length_penalty, sample_decode)
from seq2seq_attention.exercises import (
    check_beam_step, check_greedy_decode, check_length_penalty, check_top_p_filter)
from seq2seq_attention.export import export_translator
from seq2seq_attention.metrics import exact_match, group_references
from seq2seq_attention.models import Seq2SeqAttention
from seq2seq_attention.translator import Translator

profile = training.choose_profile()   # "full" on a GPU, "quick" on a CPU
print(profile)"""),
(MD, r"""## A model to decode

We need a trained model, and the dates task of the training chapter gives one in about a minute on a
CPU: human-written dates in, ISO 8601 out, one character per token. Its outputs are short and easy to
read, which is what we want when we look inside a search."""),
(CODE, """# NBVAL_CHECK_OUTPUT
pairs = dates.generate_dates(10_000, seed=0)
split = data.split_by_source(pairs, seed=0)
src_vec = data.make_vectorizer([s for s, _ in split.train], level="character")
tgt_vec = data.make_vectorizer([t for _, t in split.train], level="character")
train_ds = data.make_dataset(split.train, src_vec, tgt_vec,
                             batch_size=profile.batch_size, seed=0, buckets=4)
val_ds = data.make_dataset(split.validation, src_vec, tgt_vec,
                           batch_size=profile.batch_size, shuffle=False)
test_sources, test_references = group_references(split.test)
print(len(split.train), "training pairs;", len(test_sources), "test dates")"""),
(MD, r"""Five epochs are enough for this task (the training chapter shows the curves); the `full` profile
trains a larger model on the same data."""),
(CODE, """keras.utils.set_random_seed(0)
start = time.perf_counter()
model, history = training.train(
    lambda: Seq2SeqAttention(src_vec.vocabulary_size(), tgt_vec.vocabulary_size(),
                             embedding_dim=profile.embedding_dim,
                             units=profile.units, decoder="luong"),
    train_ds, val_ds, epochs=min(profile.epochs, 5), run_dir=tempfile.mkdtemp(),
    verbose=2)
translator = Translator(model, src_vec, tgt_vec)
vocabulary = translator.target_vocabulary   # id -> character
print(f"trained in {time.perf_counter() - start:.0f} s")"""),
(MD, r"""## Greedy decoding

The simplest decoder takes the most likely token at every step and feeds it back:

$$
\hat y_t = \arg\max_{w} \; \log p(w \mid \hat y_{<t}, x), \qquad t = 1, 2, \dots
$$

starting from $\hat y_0 = $ `[START]` and stopping when $\hat y_t = $ `[END]`. The model's `encode`
runs the encoder once per sentence; `decode_step` then takes the previous tokens of a batch, the
decoder state and the encoder's memory, and returns the next logits, the new state and the attention
weights (the model chapter built both).

"Stop at `[END]`" is not enough. A model that has not learned to end, or an input unlike anything it has
seen, can write forever. A global cap (say 100 tokens) would stop it, but in a batch every sentence
would then pay for the longest one. So every sentence gets **its own bound**, from its source length:
at most $2 \times$ the source tokens $+ 5$ output tokens, `[END]` included. At a sentence's last
allowed step only `[END]` is allowed, so every output ends with it.

```{literalinclude} ../code/seq2seq_attention/decoding.py
:pyobject: length_limits
:language: python
```"""),
(CODE, """# NBVAL_CHECK_OUTPUT
examples = ["tue 3 march 2015", "03/04/05", "the 21st of june, 1987"]
ids, source_tokens = translator.encode_sources(examples)
print("source ids:", ids.shape, "(batch, src_len), padded with", PAD_ID)
for text, limit in zip(examples, length_limits(ids)):
    print(f"{text!r:26}: {len(text):2d} characters -> at most {limit} output tokens")"""),
(MD, r"""The package decodes a whole batch in one `tf.while_loop` inside a `tf.function`, so that it runs as a
compiled graph (and inside an exported SavedModel, below). Each step forbids padding and `[START]`,
forces `[END]` at a sentence's last allowed step, picks the best token of every sentence, and writes
padding once a sentence has finished; the loop ends when every sentence has finished:

```{literalinclude} ../code/seq2seq_attention/decoding.py
:pyobject: _step_loop
:language: python
```

```{literalinclude} ../code/seq2seq_attention/decoding.py
:pyobject: _allowed
:language: python
```

`greedy_decode` prepares the inputs and calls the compiled loop, traced once per model (any batch size
and source length):

```{literalinclude} ../code/seq2seq_attention/decoding.py
:pyobject: greedy_decode
:language: python
```

It returns the tokens, the log-probability of each chosen token and the attention weights of each
step. The score of an output is the sum of its tokens' log-probabilities, $\log P(\hat y \mid x)$:"""),
(CODE, """model = translator.seq2seq
out = greedy_decode(model, ids)
for i, text in enumerate(examples):
    n = out.lengths[i]
    tokens = [vocabulary[j] for j in out.tokens[i, :n]]
    print(f"{text!r} -> {''.join(tokens[:-1])} then {tokens[-1]} ({n} tokens), "
          f"log P = {out.scores[i]:.4f}")
    print("   log-prob of each token:", np.round(out.log_probs[i, :n], 3))
print("tokens", out.tokens.shape, "- after [END] each row holds padding:",
      bool(np.all(out.tokens[np.arange(out.tokens.shape[1]) >= out.lengths[:, None]]
                  == PAD_ID)))"""),
(MD, r"""Each token's log-probability is close to 0: the model is sure of almost every character. When it is
not, greedy decoding has a weakness: it commits to the best token *now*, even if that leads to a worse
sentence overall. Say the best first token has probability 0.5 but the best continuation after it only
0.3, while the second-best first token (0.4) is followed by a continuation of probability 0.99. Greedy
decoding picks the first, with $0.5 \times 0.3 = 0.15$, over the second, with
$0.4 \times 0.99 \approx 0.40$. It never looks back.

## Beam search

Beam search keeps the $K$ best **partial** outputs (hypotheses) instead of one; $K$ is the beam size.
At every step:

1. every alive hypothesis $y_{<t}$, with score $s(y_{<t}) = \log P(y_{<t} \mid x)$, is extended by every
   token $w$: the candidate $y_{<t}w$ scores $s(y_{<t}) + \log p(w \mid y_{<t}, x)$. That is $K \times V$
   candidates for a vocabulary of $V$ tokens;
2. the $2K$ best candidates are kept. Enough of them to find $K$ that do not end, since at most $K$ of
   the $K$ best can end;
3. a candidate that ends with `[END]` and is among the $K$ best **finished**: it joins the sentence's
   list of finished hypotheses (which keeps the $K$ best). The $K$ best candidates that did not end stay
   **alive** for the next step.

Only candidates among the $K$ best may finish, as in plain beam search: with $K = 1$ the one candidate
kept is the best token, whether it is `[END]` or not, which is exactly greedy decoding.

### Length normalisation

Every token adds a log-probability $\le 0$, so a longer output can only score lower: ranked by
$\log P$, beam search prefers short outputs, and the wider the beam the more short ones it finds. GNMT
{cite:p}`wu2016` divides the score by a **length penalty**:

$$
\operatorname{score}(Y) = \frac{\log P(Y \mid x)}{\operatorname{lp}(Y)}, \qquad
\operatorname{lp}(Y) = \left(\frac{5 + |Y|}{6}\right)^{\alpha}.
$$

With $\alpha = 0$ the penalty is 1 and the score is the log-probability; a larger $\alpha$ divides long
outputs' (negative) scores by more, which favours them. The package's default, $\alpha = 0.6$, is a
common choice. The 5 and 6 make $\operatorname{lp} = 1$ for a single token and make the
penalty grow slowly for short outputs.

```{literalinclude} ../code/seq2seq_attention/decoding.py
:pyobject: length_penalty
:language: python
```

### When to stop

A sentence is done when no alive hypothesis can still beat the worst of its $K$ finished ones. That
can be decided exactly. Scores only fall as tokens are added, and the penalty is at most
$\operatorname{lp}(L)$ for the sentence's length bound $L$; so an alive hypothesis with score $s \le 0$
can at best end with a normalised score of $s / \operatorname{lp}(L)$. Once that is below the $K$-th
finished score for the best alive hypothesis, nothing can change the result, and the search stops
without losing anything.

The package runs all of this for a batch of sentences at once, as `(batch, K)` tensors, in one
`tf.while_loop`:

````{admonition} The package's beam search loop
:class: dropdown
```{literalinclude} ../code/seq2seq_attention/decoding.py
:pyobject: _beam_loop
:language: python
```
````

The `Translator` returns the **n-best list** of each sentence in `alternatives`: the text, its
log-probability and its normalised score, best first. Here with $K = 4$ on a few inputs, some of
them noisy or two-digit years:"""),
(CODE, """inputs = ["03/04/05", "7/4/76", "on 12 febuary 1901", "THE 5TH OF NOVEMBER 1955"]
for result in translator.translate(inputs, method="beam", beam_size=4, alpha=0.6):
    print(repr(result.source))
    for text, log_prob, normalized in result.alternatives:
        print(f"    {text:12} log P = {log_prob:8.4f}, normalised {normalized:8.4f}")"""),
(MD, r"""The best hypothesis is far ahead of the second: the alternatives change a character the model is
less sure of, often the century (a two-digit year says nothing about it), the month or the day, and
are many times less likely. Look for an alternative one character longer than the others: its
log-probability can be lower than that of a shorter one and still rank above it, because the length
penalty divides the longer output's score by more.

### A beam search tree

To see the search itself, here it is again in a few lines of numpy, for one sentence, keeping every
step's candidates. It calls the model's `encode` once and `decode_step` once per step, with one row per
alive hypothesis, and reorders the decoder states so that each row follows its hypothesis."""),
(CODE, """def beam_tree(model, source_ids, beam_size=3, alpha=0.6):
    \"\"\"Beam search for one sentence (1, src_len); returns (steps, finished).

    steps[t] lists the 2K best candidates of step t (dicts), each with its
    parent, token, score and status: "alive", "finished" or "pruned".\"\"\"
    K = beam_size
    memory = model.encode(source_ids)
    state = memory.pop("state")                 # one row: the root
    limit = int(length_limits(source_ids)[0])
    best_penalty = float(length_penalty(limit, alpha))
    alive = [{"id": 0, "tokens": [], "score": 0.0}]
    finished, steps = [], []
    for t in range(limit):
        rows = {k: tf.repeat(v, len(alive), axis=0) for k, v in memory.items()}
        previous = np.array([h["tokens"][-1] if h["tokens"] else START_ID
                             for h in alive])
        logits, state, _ = model.decode_step(previous, state, rows)
        log_probs = tf.nn.log_softmax(logits).numpy()      # (alive, V)
        log_probs[:, [PAD_ID, START_ID]] = -np.inf         # never produced
        if t + 1 == limit:                                 # last step: [END] only
            log_probs[:, np.arange(log_probs.shape[1]) != END_ID] = -np.inf
        scores = np.array([h["score"] for h in alive])[:, None] + log_probs
        candidates = []
        for rank, flat in enumerate(np.argsort(-scores, axis=None)[: 2 * K]):
            row, token = divmod(int(flat), scores.shape[1])
            candidates.append({
                "id": 100 * (t + 1) + rank, "parent": alive[row]["id"], "row": row,
                "token": token, "score": float(scores[row, token]),
                "tokens": alive[row]["tokens"] + [token], "status": "pruned"})
        for c in candidates[:K]:                # ended among the K best: finished
            if c["token"] == END_ID:
                c["status"] = "finished"
                c["normalized"] = c["score"] / float(length_penalty(t + 1, alpha))
                finished.append(c)
        finished = sorted(finished, key=lambda c: -c["normalized"])[:K]
        alive = [c for c in candidates if c["token"] != END_ID][:K]
        for c in alive:                         # the K best that go on
            c["status"] = "alive"
        steps.append(candidates)
        state = [tf.gather(s, [c["row"] for c in alive]) for s in state]
        if not alive or (len(finished) == K and finished[-1]["normalized"]
                         >= max(c["score"] for c in alive) / best_penalty):
            break                               # nothing alive can win any more
    return steps, finished"""),
(MD, r"""Its best hypothesis must be the package's, for the same beam size and $\alpha$:"""),
(CODE, """text = "3/4/05"
source_ids, _ = translator.encode_sources([text])
steps, finished = beam_tree(model, source_ids, beam_size=3, alpha=0.6)
package = beam_search(model, source_ids, beam_size=3, alpha=0.6)
for k, hypothesis in enumerate(finished):
    print("".join(vocabulary[j] for j in hypothesis["tokens"][:-1]),
          f"normalised {hypothesis['normalized']:.4f}",
          f"(package: {package.normalized_scores[0, k]:.4f})")
best = package.tokens[0, 0, : package.lengths[0, 0]].tolist()
print(f"{len(steps)} steps; same best hypothesis as beam_search:",
      finished[0]["tokens"] == best)"""),
(CODE, """COLOURS = {"alive": "tab:blue", "finished": "tab:green", "pruned": "0.65"}


def draw_beam_tree(steps, finished, ax):
    \"\"\"Column t holds step t's 2K candidates, each joined to its parent.\"\"\"
    by_id = {c["id"]: c for candidates in steps for c in candidates}
    winner, node = set(), finished[0]
    while node is not None:                     # the best path, back to the root
        winner.add(node["id"])
        node = by_id.get(node["parent"])
    y = {0: 0.0}
    ax.text(-0.1, 0, "[START]", ha="right", va="center", fontsize=9)
    for t, candidates in enumerate(steps, start=1):
        ordered = sorted(candidates, key=lambda c: (-y[c["parent"]], -c["score"]))
        for i, c in enumerate(ordered):
            y[c["id"]] = (len(ordered) - 1) / 2 - i
            best = c["id"] in winner
            ax.plot([t - 1, t], [y[c["parent"]], y[c["id"]]], zorder=1,
                    color="tab:red" if best else COLOURS[c["status"]],
                    lw=2.5 if best else 1)
            token = "END" if c["token"] == END_ID else vocabulary[c["token"]]
            ax.text(t, y[c["id"]], token, ha="center", va="center", fontsize=9,
                    zorder=2, bbox=dict(boxstyle="round,pad=0.3", fc="white",
                                        ec=COLOURS[c["status"]]))
            if c["status"] != "pruned":
                ax.text(t, y[c["id"]] - 0.33, f"{c['score']:.2f}", ha="center",
                        va="top", fontsize=6.5, color="0.3")
    top = max(abs(v) for v in y.values())
    ax.set(xlim=(-1.3, len(steps) + 0.5), ylim=(-top - 0.7, top + 0.5),
           xticks=range(1, len(steps) + 1), yticks=[], xlabel="decoder step t")
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    handles = [plt.Line2D([], [], color=c, lw=2) for c in COLOURS.values()]
    ax.legend(handles + [plt.Line2D([], [], color="tab:red", lw=2.5)],
              [*COLOURS, "best"], loc="upper left", fontsize=8, frameon=False)


fig, ax = plt.subplots(figsize=(13, 4.5), layout="constrained")
draw_beam_tree(steps, finished, ax)
ax.set_title(f"beam search, K = 3, alpha = 0.6, for {text!r}")
plt.show()"""),
(MD, r"""Read the tree from left to right. Column $t$ shows the $2K = 6$ best candidates of step $t$, each joined
to the hypothesis it extends, with its token in the box and, for those kept, its score
$\log P(y_{\le t} \mid x)$ below. Blue ones stay alive, green ones ended among the $K$ best and
finished, grey ones were pruned; the red path is the best finished hypothesis. At step 1 there is one
parent (the root), so all six candidates hang from it; from then on three parents share the six places.
Where the model is sure, the alive hypotheses are the best path and two far less likely variants of
it, which differ in one uncertain character. A grey `END` is a hypothesis that could have ended but
was not among the $K$ best candidates of its step, so it is dropped. The search ends when no alive
hypothesis can catch up with the finished ones, here well before the length bound of 17 tokens.

## Beam size 1 is greedy decoding

With $K = 1$ and $\alpha = 0$ the one kept candidate at every step is the best token, and a hypothesis
finishes exactly when that token is `[END]`. The two must agree on every sentence:"""),
(CODE, """test_ids, _ = translator.encode_sources(test_sources[:500])
greedy = greedy_decode(model, test_ids)
beam_1 = beam_search(model, test_ids, beam_size=1, alpha=0.0)
print("beam size 1 equals greedy on 500 test dates:",
      all(np.array_equal(greedy.tokens[i, : greedy.lengths[i]],
                         beam_1.tokens[i, 0, : beam_1.lengths[i, 0]])
          for i in range(len(test_ids))))"""),
(MD, r"""## Beam size and length normalisation on the dates

Now the effect of the beam size $K$ and of $\alpha$ on the test dates: exact match (the output is the
right date), the mean output length in characters, and the decoding time."""),
(CODE, """sources, references = test_sources[:250], test_references[:250]
rows = []
for k in (1, 2, 4, 8):
    for alpha in (0.0, 0.6, 1.0):
        start = time.perf_counter()
        found = translator.translate(sources, method="beam", beam_size=k,
                                     alpha=alpha, batch_size=250)
        seconds = time.perf_counter() - start
        texts = [t.text for t in found]
        rows.append((k, alpha, exact_match(texts, references),
                     np.mean([len(t) for t in texts]), seconds))
greedy_texts = [t.text for t in translator.translate(sources, batch_size=250)]
print(f"greedy:             exact match {exact_match(greedy_texts, references):.1%}")
for k, alpha, em, length, seconds in rows:
    print(f"K = {k}, alpha = {alpha:.1f}:  exact match {em:.1%}, "
          f"mean length {length:.2f}, {seconds:.1f} s"
          + (" (includes tracing)" if alpha == 0 else ""))"""),
(CODE, """fig, axes = plt.subplots(1, 2, figsize=(10, 3.2), layout="constrained")
for alpha, marker in ((0.0, "o"), (0.6, "s"), (1.0, "^")):
    k, em, seconds = zip(*[(k, em, sec) for k, a, em, _, sec in rows if a == alpha])
    axes[0].plot(k, em, marker + "-", label=f"alpha = {alpha}", alpha=0.7)
    axes[1].plot(k, seconds, marker + "-", label=f"alpha = {alpha}", alpha=0.7)
axes[0].set(ylim=(0.9, 1.0), ylabel="exact match", title="test dates: exact match")
axes[1].set(ylim=(0, None), ylabel="seconds", title=f"time for {len(sources)} dates")
for ax in axes:
    ax.set(xticks=[1, 2, 4, 8], xlabel="beam size K")
    ax.legend()
plt.show()"""),
(MD, r"""For dates, greedy decoding is already near-perfect, and a beam changes at most a date or two: the
model is so sure of each character that the best path rarely loses its lead, and every output has the
same length (10 characters), so $\alpha$ changes nothing. The cost grows with $K$. And a wider beam
finds outputs that the *model* prefers, which is not always the right date: beam search is a better
search, not a better model.

""" + speed_section()),
(MD, r"""## Sampling

Search looks for the single most likely output, which is what translation wants. Sometimes we want
variety instead: several different outputs for data augmentation, or text that is not always the
same. **Sampling** draws each token from the model's distribution, sharpened or flattened by a
**temperature** $T$:

$$
p_T(w) = \frac{\exp(z_w / T)}{\sum_{w'} \exp(z_{w'} / T)}
$$

for logits $z$. $T = 1$ is the model's own distribution; $T < 1$ sharpens it (as $T \to 0$ all the
mass goes to the best token: greedy decoding); $T > 1$ flattens it (more variety, more mistakes). Two
cuts remove the long tail of unlikely tokens before drawing: **top-$k$** keeps the $k$ most likely
tokens {cite:p}`fan2018`, **top-$p$** (nucleus sampling) keeps the smallest set of most likely tokens
whose probabilities add up to $p$ {cite:p}`holtzman2020`, so that it keeps few tokens where the model
is sure and many where it is not.

```{literalinclude} ../code/seq2seq_attention/decoding.py
:pyobject: _filter_logits
:language: python
```

Here is what the temperature does to the distribution at the step where the model is least sure of its
greedy output for `03/04/05`:"""),
(CODE, """source_ids, _ = translator.encode_sources(["03/04/05"])
out = greedy_decode(model, source_ids)
n = out.lengths[0]
target_in = np.concatenate([[START_ID], out.tokens[0, : n - 1]])[None]
logits, _ = model.forward(source_ids, target_in)            # teacher forcing
t = int(np.argmin(out.log_probs[0, :n]))                    # the least sure step
z = logits[0, t].numpy()
written = "".join(vocabulary[j] for j in out.tokens[0, :t])
print(f"step {t + 1}, after {written!r}:")
for T in (0.5, 1.0, 2.0):
    p = tf.nn.softmax(z / T).numpy()
    top = np.argsort(-p)[:4]
    print(f"  T = {T}: " + ", ".join(f"{vocabulary[j]!r} {p[j]:.3f}" for j in top))"""),
(MD, r"""Sampling is batched like greedy decoding, and seeded: each draw is a stateless random number made from
the seed and the step, so the same seed gives the same samples, and the rows of a batch get
independent draws. Ten samples of one input at each temperature, with how often each output
came up:"""),
(CODE, """text = "on 12 febuary 1901"
for T in (0.5, 1.0, 1.5, 2.5):
    found = translator.translate([text] * 10, method="sample", temperature=T, seed=0)
    counts = collections.Counter(r.text for r in found)
    print(f"T = {T}: " + ", ".join(f"{t} x{c}" for t, c in counts.most_common()))"""),
(CODE, """def samples(**options):
    return [r.text for r in translator.translate(test_sources[:200], method="sample",
                                                 **options)]

greedy_texts = [r.text for r in translator.translate(test_sources[:200])]
print("same seed, same samples:",
      samples(temperature=1.5, seed=7) == samples(temperature=1.5, seed=7))
print("another seed, other samples:",
      samples(temperature=1.5, seed=7) != samples(temperature=1.5, seed=8))
print("temperature 1e-3 equals greedy:", samples(temperature=1e-3) == greedy_texts)
print("top_k=1 equals greedy:", samples(top_k=1, temperature=2.0) == greedy_texts)
for options in ({"temperature": 1.0}, {"temperature": 1.5},
                {"temperature": 1.5, "top_k": 3},
                {"temperature": 1.5, "top_p": 0.9}):
    em = exact_match(samples(**options), test_references[:200])
    print(f"exact match with {options}: {em:.1%}")"""),
(MD, r"""At the same temperature, top-$p = 0.9$ removes the unlikely characters that make flattened samples
wrong and brings exact match back near that of $T = 1$; top-$k = 3$ helps less, because it still keeps
three characters where the model is sure of one. That is the point of nucleus sampling: the number of
tokens it keeps follows the model's certainty.

## Exporting the decoders

A translator is useful outside Python notebooks too. `export_translator` writes a TensorFlow
**SavedModel** with two signatures, strings in and strings out: `greedy(texts)` and
`beam(texts, alpha)` with the beam size fixed at export time. The vocabularies travel as lookup
tables and the decoding loops are the same compiled `tf.while_loop`s, so the export needs only
TensorFlow (or TF Serving) to run, not this package:

```{literalinclude} ../code/seq2seq_attention/export.py
:pyobject: export_translator
:language: python
```"""),
(CODE, """tf.get_logger().setLevel("ERROR")   # no "Assets written to ..." log line
folder = tempfile.mkdtemp()
export_translator(translator, f"{folder}/dates", beam_size=4)
reloaded = tf.saved_model.load(f"{folder}/dates")

texts = examples + test_sources[:100]
exported = [s.decode() for s in reloaded.greedy(tf.constant(texts)).numpy()]
print(exported[:3])
print("greedy signature equals the Translator:",
      exported == [r.text for r in translator.translate(texts)])
exported = [s.decode() for s in
            reloaded.beam(tf.constant(texts), tf.constant(0.6)).numpy()]
print("beam signature equals the Translator:",
      exported == [r.text for r in translator.translate(texts, method="beam",
                                                         beam_size=4, alpha=0.6)])"""),
(MD, r"""## Explore it yourself

The **attention explorer** puts this chapter in one place. Type a date (or, with an English–Spanish
translator, a sentence) and press Enter or *Translate*; choose greedy decoding or beam search and the
beam size. You see the translation, its attention heatmap and, with beam search, the beam's
hypotheses (the `alternatives` above). The *Step* slider and the *previous* / *next* buttons reveal
the output one token at a time: the step's row of attention weights is outlined in red, and the rows
not written yet are faded.

It needs a running kernel: run this notebook in Colab or Jupyter. On this website you see a static
rendering of it instead, for the date below.

Things to try: a date with a typo in the month's name; a two-digit year; the same date with beam
sizes 1 and 8; step through a date and watch the attention move along the input as each character of
the output is written."""),
(CODE, """from seq2seq_attention.explorer import AttentionExplorer

AttentionExplorer(translator, "saturday 21 june 1987", method="beam", beam_size=4)"""),
(MD, r"""## Exercises

:::{exercise} The length penalty
:label: ex-length-penalty

Complete `my_length_penalty(length, alpha)`, GNMT's $\operatorname{lp} = ((5 + |Y|)/6)^\alpha$. `length`
may be a number or an array of lengths.
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def my_length_penalty(length, alpha):
    raise NotImplementedError("your code here")

check_length_penalty(my_length_penalty)"""),
(MD, r"""::::{solution} ex-length-penalty
:class: dropdown

```python
def my_length_penalty(length, alpha):
    return ((5 + np.asarray(length, dtype=float)) / 6) ** alpha
```
::::

:::{exercise} One step of beam search
:label: ex-beam-step

Complete `beam_step(scores, log_probs, k)`. `scores` `(K,)` holds the alive hypotheses' total
log-probabilities and `log_probs` `(K, V)` their next-token log-probabilities. Every hypothesis $i$
extended by every token $w$ scores `scores[i] + log_probs[i, w]`. Return the `k` best of these $K V$
candidates, best first, as three arrays of shape `(k,)`: each candidate's parent $i$, its token $w$
and its score.
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def beam_step(scores, log_probs, k):
    raise NotImplementedError("your code here")

check_beam_step(beam_step)"""),
(MD, r"""::::{solution} ex-beam-step
:class: dropdown

```python
def beam_step(scores, log_probs, k):
    candidates = (scores[:, None] + log_probs).ravel()   # (K * V,)
    best = np.argsort(-candidates)[:k]
    parents, tokens = np.divmod(best, log_probs.shape[1])
    return parents, tokens, candidates[best]
```
::::

:::{exercise} Nucleus (top-p) filtering
:label: ex-top-p-filter

Complete `top_p_filter(probs, p)` for one distribution `probs` of shape `(V,)`: keep the most likely
tokens until they hold at least `p` of the probability (a token is kept when the tokens ranked above it
hold less than `p`, so the most likely token is always kept), set the others to 0, and renormalise so
that the result sums to 1.
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def top_p_filter(probs, p):
    raise NotImplementedError("your code here")

check_top_p_filter(top_p_filter)"""),
(MD, r"""::::{solution} ex-top-p-filter
:class: dropdown

```python
def top_p_filter(probs, p):
    order = np.argsort(-probs)                  # most likely first
    before = np.cumsum(probs[order]) - probs[order]
    keep = order[before < p]
    kept = np.zeros_like(probs)
    kept[keep] = probs[keep]
    return kept / kept.sum()
```
::::

:::{exercise} Greedy decoding with a length bound
:label: ex-greedy-decode

Complete `toy_greedy_decode(next_log_probs, start_id, end_id, max_length)`. `next_log_probs(previous)` is a
toy model: it returns the `(V,)` log-probabilities of the next token given only the previous token.
Start from `start_id`, append the most likely token at every step and feed it back; stop right after
`end_id` (include it) or after `max_length` tokens. Return the tokens as an int array. One of the
checker's models never writes `[END]`.
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def toy_greedy_decode(next_log_probs, start_id, end_id, max_length):
    raise NotImplementedError("your code here")

check_greedy_decode(toy_greedy_decode)"""),
(MD, r"""::::{solution} ex-greedy-decode
:class: dropdown

```python
def toy_greedy_decode(next_log_probs, start_id, end_id, max_length):
    tokens, previous = [], start_id
    while len(tokens) < max_length:
        previous = int(np.argmax(next_log_probs(previous)))
        tokens.append(previous)
        if previous == end_id:
            break
    return np.array(tokens)
```
::::

## Summary

- Decoding turns next-token distributions into outputs one token at a time, feeding each choice back.
  The package decodes whole batches in a compiled `tf.while_loop`, and bounds every sentence by its
  own source length, so a model that never writes `[END]` still stops.
- Greedy decoding takes the best token at each step. Beam search keeps the $K$ best hypotheses: it
  takes the $2K$ best extensions, lets those among the $K$ best that end finish, keeps the $K$ best
  others alive, and stops exactly when no alive hypothesis can win. With $K = 1$ it is greedy decoding.
- Log-probabilities favour short outputs; GNMT's length penalty $((5 + |Y|)/6)^\alpha$ corrects for it.
- On the dates task greedy decoding is already near-perfect; on real sentences a beam helps BLEU a
  little and costs time. A better search finds what the model prefers, not what is right.
- Sampling with a temperature, top-$k$ or top-$p$ gives varied outputs, reproducibly with a seed; as
  $T \to 0$ it becomes greedy decoding.
- `export_translator` writes a SavedModel with `greedy` and `beam` signatures that needs only TensorFlow.

Next: fine-tuning a trained model on a new domain."""),
]

if __name__ == "__main__":
    write_notebook(cells, "05_4_decoding")
