"""Parallel corpora as ``tf.data`` pipelines for teacher forcing.

From a file of sentence pairs to batches that ``model.fit`` takes, in the
order the course teaches it; each step is a module of this package, and every
public name is re-exported here, so ``from seq2seq_attention import data``
then ``data.make_dataset(...)`` is all you need:

1. **get the corpus** (:mod:`~seq2seq_attention.data.corpus`,
   :mod:`~seq2seq_attention.data.tsv`): :func:`fetch_spa_eng` downloads the
   Tatoeba English-Spanish archive (the one the TensorFlow tutorial uses) with
   ``keras.utils.get_file`` and checks its sha256; :func:`read_tsv` reads any
   corpus of the manythings.org kind (``source<TAB>target[<TAB>attribution]``)
   in any language pair and either direction; :func:`load_spa_eng_sample` is a
   small sample shipped with the package for working offline;
2. **clean it** (:mod:`~seq2seq_attention.data.text`): :func:`normalize`
   (Unicode form, lower case, punctuation as separate tokens),
   :func:`filter_by_length`, :func:`deduplicate`;
3. **split it** (:mod:`~seq2seq_attention.data.splits`) by distinct *source*
   sentence, so that no test source is seen in training:
   :func:`split_by_source`, saved and reloaded with :class:`Split`;
4. **tokenise** (:mod:`~seq2seq_attention.data.vocabulary`):
   :func:`make_vectorizer` builds a Keras ``TextVectorization`` with the ids
   ``0 = padding``, ``1 = [UNK]``, ``2 = [START]``, ``3 = [END]``
   (:mod:`seq2seq_attention.special_tokens`); :func:`vectorizer_config` /
   :func:`vectorizer_from_config` store it as plain JSON (for example inside a
   model's config);
5. **batch** (:mod:`~seq2seq_attention.data.pipeline`): :func:`make_dataset`
   gives ``((source_ids, target_in_ids), target_out_ids)`` batches, shuffled
   with a seed, padded with 0, optionally bucketed by length, prefetched;
6. **look at it** (:mod:`~seq2seq_attention.data.description`):
   :func:`describe` reports counts, length percentiles, vocabulary coverage
   and the OOV rate, as text and as a plot.

The errors raised here (:class:`MalformedLineError`,
:class:`HashMismatchError`, :class:`CorpusNotFoundError`) are defined in
:mod:`seq2seq_attention.errors`.

The English-Spanish data is from the Tatoeba Project via manythings.org,
licensed CC-BY 2.0 (France): see :data:`ATTRIBUTION`.

Example:
    >>> pairs = [("Go.", "¡Ve!"), ("Hi.", "Hola."), ("Run!", "¡Corre!")]
    >>> pairs = [(normalize(s), normalize(t)) for s, t in pairs]
    >>> pairs[0]
    ('go .', '¡ ve !')
    >>> src = make_vectorizer([s for s, _ in pairs])
    >>> tgt = make_vectorizer([t for _, t in pairs])
    >>> batches = make_dataset(pairs, src, tgt, batch_size=3, seed=0)
    >>> (src_ids, tgt_in), tgt_out = next(iter(batches))
    >>> tuple(src_ids.shape), tuple(tgt_in.shape), tuple(tgt_out.shape)
    ((3, 4), (3, 4), (3, 4))
"""

from ..errors import CorpusNotFoundError, HashMismatchError, MalformedLineError
from ..special_tokens import (
    END,
    END_ID,
    PAD_ID,
    RESERVED,
    START,
    START_ID,
    UNK,
    UNK_ID,
)
from .corpus import (
    ATTRIBUTION,
    DATA_ENV,
    SPA_ENG_MEMBER,
    SPA_ENG_SHA256,
    SPA_ENG_TEXT_SHA256,
    SPA_ENG_URL,
    check_sha256,
    fetch_spa_eng,
    load_spa_eng,
    load_spa_eng_or_sample,
    load_spa_eng_sample,
    sha256_of,
)
from .description import PERCENTILES, Description, describe
from .pipeline import encode, make_dataset, token_buckets
from .splits import (
    Split,
    sample_pairs,
    split_by_source,
    translation_split,
)
from .subwords import SubwordTokenizer
from .text import (
    deduplicate,
    filter_by_length,
    normalize,
    prepare_pairs,
    tokenize,
)
from .tokenizers import (
    VocabularyTokenizer,
    detokenize_words,
    tokenizer_from_config,
    train_tokenizer,
)
from .tsv import ParallelCorpus, parse_tsv, read_tsv
from .typography import normalize_text
from .vocabulary import (
    make_vectorizer,
    standardize_sentence,
    vectorizer_config,
    vectorizer_from_config,
)

__all__ = [
    "ATTRIBUTION",
    "DATA_ENV",
    "END",
    "END_ID",
    "PAD_ID",
    "PERCENTILES",
    "RESERVED",
    "SPA_ENG_MEMBER",
    "SPA_ENG_SHA256",
    "SPA_ENG_TEXT_SHA256",
    "SPA_ENG_URL",
    "START",
    "START_ID",
    "UNK",
    "UNK_ID",
    "CorpusNotFoundError",
    "Description",
    "HashMismatchError",
    "MalformedLineError",
    "ParallelCorpus",
    "Split",
    "check_sha256",
    "deduplicate",
    "describe",
    "encode",
    "fetch_spa_eng",
    "filter_by_length",
    "load_spa_eng",
    "load_spa_eng_or_sample",
    "load_spa_eng_sample",
    "make_dataset",
    "make_vectorizer",
    "normalize",
    "parse_tsv",
    "prepare_pairs",
    "read_tsv",
    "sample_pairs",
    "sha256_of",
    "split_by_source",
    "translation_split",
    "SubwordTokenizer",
    "VocabularyTokenizer",
    "detokenize_words",
    "normalize_text",
    "token_buckets",
    "tokenizer_from_config",
    "train_tokenizer",
    "standardize_sentence",
    "tokenize",
    "vectorizer_config",
    "vectorizer_from_config",
]
