"""Write chapters/05_1_data.ipynb (without outputs) from the cells below.

The notebook is the chapter's source of truth once written; this script exists
so that its structure can be reviewed as plain text. Run it, then execute the
notebook to store outputs (with the full corpus, if you have it)::

    .venv/bin/python tools/make_data_notebook.py
    SEQ2SEQ_ATTENTION_DATA=../shared/data .venv/bin/python tools/execute_notebooks.py chapters/05_1_data.ipynb

Without ``SEQ2SEQ_ATTENTION_DATA`` (or the archive in Keras' download cache) the
notebook uses the 400-pair sample shipped with the package, as it does in CI.
Cells whose output depends on which corpus was loaded are not marked
``NBVAL_CHECK_OUTPUT``.
"""


from notebook_writer import CODE, MD, write_notebook
from setup_cell import SETUP_CELL

cells = [
(MD, r"""# Practice: data with tf.data

A sequence-to-sequence model learns from pairs: a source sentence and its translation. Before any
attention, the pairs have to be found, cleaned, split, turned into numbers and batched. This
chapter does each step with the course package and shows what the model will actually see.
We use two data sets: a real one, English–Spanish sentence pairs from the Tatoeba Project, and a
synthetic one, human-readable dates to be written in ISO 8601. The course starts with the dates,
because attention on them gives an alignment that you can check by eye.

```{admonition} Learning objectives
:class: tip
After this chapter you can
- download a corpus reproducibly (a checked sha256) and read any tab-separated parallel corpus, reporting bad lines;
- normalise text for word-level tokens and say what NFKC, lower-casing and punctuation spacing do;
- split a corpus by distinct *source* sentence, and explain why a split by pair leaks test data into training;
- build vocabularies with Keras' `TextVectorization`, with `[START]`, `[END]`, `[UNK]` and padding ids, and save them;
- build `tf.data` batches for teacher forcing and explain padding, masks and length bucketing;
- generate the dates task and say what makes it hard.
```

```{admonition} Data licence
:class: note
The English–Spanish pairs are from the [Tatoeba Project](https://tatoeba.org), prepared by
[manythings.org/anki](https://www.manythings.org/anki), licensed
[CC-BY 2.0 (France)](https://creativecommons.org/licenses/by/2.0/).
Attribution: www.manythings.org/anki and tatoeba.org.
```"""),
(CODE, SETUP_CELL),
(CODE, """import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

import keras
import matplotlib.pyplot as plt
import numpy as np

from seq2seq_attention import data, dates
from seq2seq_attention.exercises import (
    check_ordinal, check_separate_punctuation, check_split_by_source, check_teacher_forcing)"""),
(MD, r"""## The corpus

The English–Spanish file that the TensorFlow translation tutorial uses is a 2.6 MB zip archive.
`data.fetch_spa_eng()` downloads it once with `keras.utils.get_file` into Keras' cache
(`~/.keras/datasets/spa-eng.zip`) and checks its sha256, so that every reader trains on exactly the
same bytes; `data.load_spa_eng()` then reads `spa-eng/spa.txt` from the archive and checks that
file's sha256 too. A wrong hash is an error that names the file and both hashes; without network,
the error says where to put a hand-downloaded copy.

This page falls back to a sample of 400 pairs shipped with the package when the full corpus is not
on disk: that is how it runs in the course's tests. In Colab it downloads the full corpus. Elsewhere,
set the environment variable `SEQ2SEQ_ATTENTION_DATA` to a folder holding `spa-eng/spa-eng.zip`, or
call `data.fetch_spa_eng()` once. **Numbers below depend on which one was loaded**; the stored
outputs on the website use the full corpus."""),
(CODE, """corpus, which = data.load_spa_eng_or_sample(download="google.colab" in sys.modules)
if which == "full":
    print(f"Full corpus: {len(corpus):,} pairs (archive and spa.txt sha256 checked).")
else:
    print(f"Offline sample shipped with the package: {len(corpus):,} pairs. "
          "Set SEQ2SEQ_ATTENTION_DATA or call data.fetch_spa_eng() for the full corpus.")
print("Lines skipped as malformed:", len(corpus.skipped))"""),
(MD, r"""### Looking at it

Always read some of the data before modelling it. The file is sorted by length, shortest first, so
look at the start *and* at a random sample:"""),
(CODE, """for source, target in corpus.pairs[:4]:
    print(f"{source:45s} -> {target}")
print("...")
rng = np.random.default_rng(0)
for i in sorted(rng.choice(len(corpus), size=6, replace=False)):
    source, target = corpus.pairs[i]
    print(f"{source[:45]:45s} -> {target}")"""),
(MD, r"""Many English sentences have several Spanish translations (*Go.* is *Ve.*, *Vete.*, *Vaya.* and
*Váyase.*). That matters for the split below: those pairs must stay together."""),
(CODE, """translations = Counter(source for source, _ in corpus.pairs)
print(f"{len(translations):,} distinct sources for {len(corpus):,} pairs")
print("sources with the most translations:", translations.most_common(3))
print("how many sources have k translations:", sorted(Counter(translations.values()).items())[:6])"""),
(MD, r"""### Any corpus of this kind

`data.read_tsv(path)` reads any file of the manythings.org kind: `source<TAB>target`, or three
columns where the third is the attribution, in any script. `reverse=True` swaps the direction.
A malformed line (a wrong number of columns, an empty side, bytes that are not UTF-8) stops the
reading with its line number, or, with `errors="skip"`, is skipped and listed:"""),
(CODE, """# NBVAL_CHECK_OUTPUT
path = Path(tempfile.mkdtemp()) / "rus-eng.txt"
path.write_bytes("Hello!\\tПривет!\\tCC-BY 2.0 (France) Attribution: tatoeba.org\\n".encode()
                 + b"Thanks\\n"                                  # one column
                 + "Who?\\tКто?\\n".encode()
                 + b"Caf\\xe9\\tKaf\\xe9\\n")                       # Latin-1, not UTF-8
try:
    data.read_tsv(path)
except data.MalformedLineError as error:
    print("error:", str(error).replace(str(path), "rus-eng.txt"))
russian = data.read_tsv(path, errors="skip", reverse=True)
print(russian.pairs)
print("skipped:", russian.skipped)"""),
(MD, r"""## Normalisation

Word-level tokens are whatever lies between spaces, so the text is normalised first:

- **Unicode form.** The same letter can be stored in several ways: *é* as one code point, or as *e*
  followed by a combining accent. NFKC composes them into one (and folds compatibility characters
  such as full-width letters), so that equal-looking words are equal strings and accents stay
  readable when we show tokens back. NFKD decomposes instead; dropping the combining marks after
  NFKD removes accents, which loses information in Spanish (*si* "if", *sí* "yes").
- **Lower case**, so that *Go* and *go* are one token.
- **Punctuation as tokens.** A space goes around every punctuation mark and symbol, in every script:
  Spanish `¿ ¡`, quotes `« »`, the Japanese full stop `。`. Then *¿Qué?* is three tokens, and the
  model learns that a Spanish question opens with `¿`. The apostrophe is punctuation too: *I'm* becomes
  the three tokens `i ' m`, which keeps the vocabulary small."""),
(CODE, """# NBVAL_CHECK_OUTPUT
for text in ["¿Qué hora es?", "¡Hola, Tom!", "Él dijo: «ya».", "ＦＵＬＬ-width ﬁne", "なるほど。"]:
    print(f"{text!r:24} -> {data.normalize(text)!r}")
decomposed = "canci" + "o\\u0301" + "n"        # 'canción' written with a combining accent
print(len(decomposed), "code points ->", len(data.normalize(decomposed)), "after NFKC:", data.normalize(decomposed))
print("NFKD without accents:", data.normalize("Canción", strip_accents=True))"""),
(MD, r"""The `TextVectorization` layer below applies the same lower-casing and punctuation spacing with
TensorFlow operations, so a trained model can take raw text. TensorFlow has no Unicode normal forms,
which is why we call `data.normalize` on the corpus first:

```{literalinclude} ../code/seq2seq_attention/data/vocabulary.py
:pyobject: standardize_sentence
:language: python
```

Then we drop exact duplicate pairs and very long sentences (rare, and expensive to pad):"""),
(CODE, """pairs = [(data.normalize(s), data.normalize(t)) for s, t in corpus.pairs]
unique = data.deduplicate(pairs)
short = data.filter_by_length(unique, max_length=30)
print(f"{len(pairs):,} pairs -> {len(unique):,} without duplicates -> {len(short):,} of at most 30 tokens")
print(short[len(short) // 2])"""),
(MD, r"""## A split by source sentence

If *Go.* → *Ve.* is in the training set and *Go.* → *Vete.* in the test set, the model has seen
the test source: the test score says how well it remembers, not how well it translates.
`data.split_by_source` assigns each **distinct source** to train, validation or test (80/10/10 by
default), with all of its translations. The distinct sources are sorted and then shuffled with the
seed, so the split depends only on the data and the seed. It is saved as three TSV files and a
`split.json` with the seed and each file's sha256, to be reloaded by later chapters."""),
(CODE, """split = data.split_by_source(short, seed=0)
for part in data.Split.PARTS:
    part_pairs = getattr(split, part)
    print(f"{part:10s} {len(part_pairs):7,} pairs, {len({s for s, _ in part_pairs}):7,} distinct sources")
train_sources = {s for s, _ in split.train}
print("test sources seen in training:", len({s for s, _ in split.test} & train_sources))

directory = split.save(Path(tempfile.mkdtemp()) / "spa-eng-split")
print(sorted(p.name for p in directory.iterdir()))
print("reloaded split is identical:", data.Split.load(directory) == split)"""),
(MD, r"""## Lengths

`data.describe` counts pairs and distinct sentences and gives length percentiles (in tokens). The
lengths decide how much padding a batch carries, and how long a sequence the model must handle."""),
(CODE, """train_description = data.describe(split.train, name="train")
print(train_description)
train_description.plot()
plt.show()"""),
(MD, r"""## Vocabulary

`data.make_vectorizer` builds a Keras `TextVectorization` layer from the **training** sentences
only (the validation and test words a model has never seen must count as unknown). The ids are
fixed for every vocabulary of the course:

| id | token | meaning |
|---|---|---|
| 0 | `''` | padding |
| 1 | `[UNK]` | a token outside the vocabulary |
| 2 | `[START]` | the decoder's first input |
| 3 | `[END]` | the decoder's last output: "stop here" |
| 4, 5, ... | words | most frequent first |

`max_tokens` caps the vocabulary (reserved ids included); rarer words become `[UNK]`."""),
(CODE, """source_vectorizer = data.make_vectorizer([s for s, _ in split.train], max_tokens=12_000)
target_vectorizer = data.make_vectorizer([t for _, t in split.train], max_tokens=16_000)
vocabulary = target_vectorizer.get_vocabulary()
print("target vocabulary size:", len(vocabulary))
print("first ids:", [str(token) for token in vocabulary[:14]])
ids = data.encode(["¿ dónde está el perro ?"], target_vectorizer)[0].numpy()
print("¿ dónde está el perro ? ->", ids.tolist(), "->", " ".join(str(vocabulary[i]) for i in ids))"""),
(MD, r"""How good is that vocabulary for data the model has not seen? Describe the validation part with the
vectorizers built on train: the **OOV rate** is the share of its tokens that become `[UNK]`."""),
(CODE, """print(data.describe(split.validation, source_vectorizer, target_vectorizer, name="validation"))"""),
(MD, r"""A model must be saved with its vocabulary, or its ids mean nothing. `data.vectorizer_config` gives
a plain JSON-able dict (settings and token list) that a model can keep in its own config, and
`data.vectorizer_from_config` rebuilds the same layer:"""),
(CODE, """config = data.vectorizer_config(target_vectorizer)
text = json.dumps(config, ensure_ascii=False)
restored = data.vectorizer_from_config(json.loads(text))
probe = [t for _, t in split.validation[:100]]
same = data.encode(probe, restored).to_list() == data.encode(probe, target_vectorizer).to_list()
print(f"{len(text) / 1e3:.0f} kB of JSON; same ids after restoring: {same}")"""),
(MD, r"""## Batches for teacher forcing

A decoder writes one token at a time, each time reading the token before. In training we give it
the *correct* previous token (teacher forcing), so all steps run at once on:

- the encoder input `source_ids` = `[START] x1 ... xm [END]`;
- the decoder input `target_in_ids` = `[START] y1 ... yn`;
- the expected output `target_out_ids` = `y1 ... yn [END]`, the same sequence shifted by one.

`data.make_dataset` returns exactly what `model.fit` expects, `((source_ids, target_in_ids),
target_out_ids)`, shuffled with a seed (again each epoch), padded with 0 to the longest sentence of
the batch, and prefetched so that the next batch is prepared while the model trains:

```{literalinclude} ../code/seq2seq_attention/data/pipeline.py
:pyobject: make_dataset
:language: python
```"""),
(CODE, """dataset = data.make_dataset(split.train, source_vectorizer, target_vectorizer, batch_size=64, seed=0)
(source_ids, target_in), target_out = next(iter(dataset))
print("source_ids", tuple(source_ids.shape), " target_in", tuple(target_in.shape),
      " target_out", tuple(target_out.shape), " dtype", source_ids.dtype.name)
source_vocabulary = source_vectorizer.get_vocabulary()
print("source     :", [str(source_vocabulary[i]) for i in source_ids[0].numpy()])
print("target_in  :", [str(vocabulary[i]) for i in target_in[0].numpy()])
print("target_out :", [str(vocabulary[i]) for i in target_out[0].numpy()])"""),
(MD, r"""### Padding and masks

Padding (id 0, shown as `''` above) only makes the sentences of a batch the same length; it must not
change any result. Three places make sure of that: the embedding layer with `mask_zero=True`
computes a **mask**, `True` for real tokens, that Keras passes on to the layers after it; the
attention layers of {doc}`04_math` give padded source positions a weight of exactly 0; and the loss
ignores the padded steps of `target_out`. (The `[END]` that a shorter sentence has in `target_in`
sits above a padded output, so it is never trained on.) A small batch you can read:"""),
(CODE, """# NBVAL_CHECK_OUTPUT
tiny = [("go .", "ve ."), ("i am here .", "estoy aquí ."), ("hi .", "hola .")]
tiny_src = data.make_vectorizer([s for s, _ in tiny])
tiny_tgt = data.make_vectorizer([t for _, t in tiny])
(src, t_in), t_out = next(iter(data.make_dataset(tiny, tiny_src, tiny_tgt, batch_size=3, shuffle=False)))
print("source ids:\\n", src.numpy())
mask = keras.layers.Embedding(input_dim=tiny_src.vocabulary_size(), output_dim=4, mask_zero=True).compute_mask(src)
print("mask (True = real token):\\n", mask.numpy().astype(int))
print("target_in:\\n", t_in.numpy())
print("target_out:\\n", t_out.numpy())"""),
(MD, r"""### Length bucketing

A batch is as long as its longest sentence. With sentences drawn at random, most of a batch can be
padding: computation spent on nothing. `buckets=k` groups sentences of similar length
(`tf.data.Dataset.bucket_by_sequence_length`, with boundaries at the length quantiles) so that each
batch is nearly full. It pays off for the Tatoeba corpus, whose lengths vary widely (for the dates
task only the inputs vary: every target has 10 characters). The share of padding over one epoch:"""),
(CODE, """def padding_share(dataset):
    real = total = 0
    for (source, target_in), _ in dataset:
        real += int(np.count_nonzero(source)) + int(np.count_nonzero(target_in))
        total += source.shape[0] * source.shape[1] + target_in.shape[0] * target_in.shape[1]
    return 1 - real / total

for buckets in (None, 8):
    ds = data.make_dataset(split.train, source_vectorizer, target_vectorizer, batch_size=64, seed=0, buckets=buckets)
    print(f"buckets={buckets}: {padding_share(ds):.0%} of the ids in a batch are padding")"""),
(MD, r"""The pipeline is fast: `benchmarks/data_pipeline.py` measures tens of thousands of pairs a
second on the full corpus on a CPU, far more than a model trains on, so the data is never what a
training run waits for.

## The dates task

Translating a sentence needs a big model and hours; to *see* attention work we want a task that
trains in a minute on a CPU and has an obvious right alignment. `seq2seq_attention.dates` writes
random dates in many human ways, and the target is always the ISO 8601 form `YYYY-MM-DD`:"""),
(CODE, """# NBVAL_CHECK_OUTPUT
for example in dates.generate_date_examples(14, seed=0):
    print(f"{example.text!r:58} -> {example.target}")"""),
(MD, r"""A task with five clean formats is learned almost perfectly in one epoch, which shows nothing. This
one is made harder on purpose, so that a model has to learn over several epochs and a model *without*
attention struggles with the long inputs:

- 32 formats: names and abbreviations of months and weekdays, ordinals (*3rd*), days and years in
  words (*twenty-third*, *nineteen eighty-four*), two-digit years, numbers with `/ - .` separators and
  none (`20150303`);
- any date from 1900 to 2099, so the century must be read too;
- noise in 30% of the inputs: upper, title or random case, extra spaces, a typo in a month or
  weekday name, a prefix such as *on* or *date:*;
- inputs from 6 to about 70 characters.

It stays well defined: every input means one date. Noise never touches digits or number words,
two-digit years only stand for 1950–2049, and English numeric dates are month first (`03/04/15` is
March 4). The fine-tuning chapter adds a second *domain* (Spanish month names, day first) with the
same targets, which is why the generator takes `domain=`. The chapters on the model and on training
measure the learning curves; this chapter only builds the data.

Dates are tokenised by **character**: the vocabulary is small, and no date word is ever unknown.
The case and spacing are left in the input: coping with them is part of the task."""),
(CODE, """# NBVAL_CHECK_OUTPUT
date_pairs = dates.generate_dates(20_000, seed=0)
date_split = data.split_by_source(date_pairs, seed=0)
date_source = data.make_vectorizer([s for s, _ in date_split.train], level="character")
date_target = data.make_vectorizer([t for _, t in date_split.train], level="character")
print("target tokens:", [str(t) for t in date_target.get_vocabulary()[4:]])
print(data.describe(date_split.validation, date_source, date_target, name="dates, validation"))"""),
(CODE, """date_description = data.describe(date_split.train, date_source, date_target, name="dates")
date_description.plot()
plt.show()"""),
(CODE, """# NBVAL_CHECK_OUTPUT
date_dataset = data.make_dataset(date_split.train, date_source, date_target, batch_size=32, seed=0)
(source_ids, target_in), target_out = next(iter(date_dataset))
print("source_ids", tuple(source_ids.shape), " target_in", tuple(target_in.shape), " target_out", tuple(target_out.shape))
chars = date_source.get_vocabulary()
print("first input :", "".join(str(chars[i]) if i > 3 else "·" for i in source_ids[0].numpy()))
print("target_out  :", "".join(str(date_target.get_vocabulary()[i]) if i > 3 else "·" for i in target_out[0].numpy()))"""),
(MD, r"""(`·` marks the reserved ids: `[START]`, `[END]` and padding.)

## Exercises

Each exercise has a function for you to complete and a check that runs it on several cases,
printing ✔ or ✘ with what went wrong. Solutions are hidden in the drop-downs; try first.

:::{exercise} Punctuation as tokens
:label: ex-separate-punctuation

Complete `separate_punctuation(text)`: lower-case the text, put a space on both sides of every
punctuation mark (in any script: `¿ ¡ « » 。` too), and leave single spaces between tokens, none at
the ends. `unicodedata.category(ch)` returns a two-letter category; punctuation starts with `"P"`.
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
import unicodedata

def separate_punctuation(text):
    raise NotImplementedError("your code here")

check_separate_punctuation(separate_punctuation)"""),
(MD, r"""::::{solution} ex-separate-punctuation
:class: dropdown

Go through the characters, pad the punctuation with spaces, and let `split()` + `join` collapse the
spaces:

```python
import unicodedata

def separate_punctuation(text):
    spaced = "".join(f" {ch} " if unicodedata.category(ch).startswith("P") else ch for ch in text.lower())
    return " ".join(spaced.split())
```
::::

:::{exercise} Ordinals
:label: ex-ordinal

The dates task writes days as *1st, 2nd, 3rd, 4th, ..., 11th, ..., 21st*. Complete `ordinal(day)`
for any positive integer. Careful with 11, 12 and 13.
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def ordinal(day):
    raise NotImplementedError("your code here")

check_ordinal(ordinal)"""),
(MD, r"""::::{solution} ex-ordinal
:class: dropdown

The last digit decides, except when the last two digits are 11 to 13:

```python
def ordinal(day):
    if 11 <= day % 100 <= 13:
        return f"{day}th"
    return f"{day}" + {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
```
::::

:::{exercise} A split by source
:label: ex-split-by-source

Complete `split_by_source(pairs, test_fraction, seed)`, returning `(train, test)`, two lists of
pairs such that no source sentence is in both, every pair is in exactly one, and
`round(test_fraction * number_of_distinct_sources)` sources are in test. The same seed must give the
same split (sets have no fixed order: sort before shuffling).
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def split_by_source(pairs, test_fraction, seed):
    raise NotImplementedError("your code here")

check_split_by_source(split_by_source)"""),
(MD, r"""::::{solution} ex-split-by-source
:class: dropdown

Choose the test *sources*, then route every pair by its source:

```python
def split_by_source(pairs, test_fraction, seed):
    sources = sorted({source for source, _ in pairs})
    shuffled = np.random.default_rng(seed).permutation(len(sources))
    test_sources = {sources[i] for i in shuffled[: round(test_fraction * len(sources))]}
    train = [p for p in pairs if p[0] not in test_sources]
    test = [p for p in pairs if p[0] in test_sources]
    return train, test
```
::::

:::{exercise} Teacher forcing by hand
:label: ex-teacher-forcing

Complete `teacher_forcing(sequences, start_id, end_id)`. `sequences` is a list of token-id lists
without markers; return `(target_in, target_out)`, two integer numpy arrays of shape
`(batch, longest + 1)` padded with 0, where `target_in` is `[start_id, ids...]` and `target_out` is
`[ids..., end_id]`.
:::"""),
(CODE, """# NBVAL_CHECK_OUTPUT
def teacher_forcing(sequences, start_id, end_id):
    raise NotImplementedError("your code here")

check_teacher_forcing(teacher_forcing)"""),
(MD, r"""::::{solution} ex-teacher-forcing
:class: dropdown

```python
def teacher_forcing(sequences, start_id, end_id):
    width = max(len(ids) for ids in sequences) + 1
    target_in = np.zeros((len(sequences), width), dtype=int)
    target_out = np.zeros((len(sequences), width), dtype=int)
    for i, ids in enumerate(sequences):
        target_in[i, : len(ids) + 1] = [start_id, *ids]
        target_out[i, : len(ids) + 1] = [*ids, end_id]
    return target_in, target_out
```
::::

## Summary

- The corpus is downloaded once and checked by sha256; any manythings-style TSV can be read, with
  bad lines reported by number.
- Text is normalised (NFKC, lower case, punctuation as tokens), de-duplicated and length-filtered.
- The split is by distinct source sentence, seeded and saved: no test source is seen in training.
- Vocabularies have fixed special ids (0 padding, 1 `[UNK]`, 2 `[START]`, 3 `[END]`) and are saved
  as JSON with the model.
- Batches are `((source_ids, target_in_ids), target_out_ids)`, padded with 0, which masks turn
  into "ignore this".
- The dates task is small, hard enough to need several epochs, and has an alignment you can check.

The English–Spanish data: Tatoeba Project via manythings.org, CC-BY 2.0 (France).
Attribution: www.manythings.org/anki and tatoeba.org."""),
]


if __name__ == "__main__":
    write_notebook(cells, "05_1_data")
