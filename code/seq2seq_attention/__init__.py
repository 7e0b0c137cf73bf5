"""seq2seq_attention: the tested code behind the *Attention from Scratch*
course.

Modules are named for what they do:

- :mod:`~seq2seq_attention.attention`: the attention layers (Keras 3);
- :mod:`~seq2seq_attention.reference`: the same computations in plain numpy;
- :mod:`~seq2seq_attention.plots`: attention heatmaps and weight plots;
- :mod:`~seq2seq_attention.alignment`: attention maps as numbers (pointing
  accuracy, entropy);
- :mod:`~seq2seq_attention.data`: a subpackage, one module per step: the corpus
  (download with sha256), any TSV, cleaning, the split by source sentence,
  vocabularies, ``tf.data`` pipelines and describing a corpus;
- :mod:`~seq2seq_attention.special_tokens`: the reserved ids (padding,
  ``[UNK]``, ``[START]``, ``[END]``), without TensorFlow;
- :mod:`~seq2seq_attention.tasks`: synthetic tasks: copy, reverse and sort
  (:mod:`~seq2seq_attention.tasks.sequences`) and dates -> ISO 8601
  (:mod:`~seq2seq_attention.tasks.dates`, also ``seq2seq_attention.dates``),
  bAbI-style stories with a question (:mod:`~seq2seq_attention.tasks.qa`)
  and news reports -> headlines (:mod:`~seq2seq_attention.tasks.headlines`);
- :mod:`~seq2seq_attention.models`: encoder, Luong and Bahdanau decoders, the
  model;
- :mod:`~seq2seq_attention.training`: profiles, callbacks, resumable ``train``;
- :mod:`~seq2seq_attention.averaging`: a moving average of the weights to
  translate with (``AveragedAdam``);
- :mod:`~seq2seq_attention.metrics`: masked loss and accuracy, BLEU/chrF, exact
  match;
- :mod:`~seq2seq_attention.decoding`: greedy decoding, sampling, beam search;
- :mod:`~seq2seq_attention.toy_models`: a table-driven stand-in model for
  decoding by hand;
- :mod:`~seq2seq_attention.translator`: strings in, strings out, one ``.keras``
  file;
- :mod:`~seq2seq_attention.qa_models`: question answering over a story: a
  memory network, a same-size GRU baseline, where attention points;
- :mod:`~seq2seq_attention.pointer`: the pointer-generator, attention that
  copies source words (extended ids, the copy distribution);
- :mod:`~seq2seq_attention.summarizer`: the pointer-generator's strings-in,
  strings-out ``Summarizer``, one ``.keras`` file;
- :mod:`~seq2seq_attention.summary_metrics`: ROUGE and the copy rate of names
  and figures;
- :mod:`~seq2seq_attention.transformer`: multi-head attention and a small
  Transformer;
- :mod:`~seq2seq_attention.finetune`: fine-tuning a saved translator on a new
  domain;
- :mod:`~seq2seq_attention.export`: a SavedModel with string signatures;
- :mod:`~seq2seq_attention.cli`:
  ``seq2seq-attention train | finetune | translate | evaluate | export``;
- :mod:`~seq2seq_attention.errors`: the package's error types;
- :mod:`~seq2seq_attention.exercises`: checkers for the chapters' exercises,
  one module per chapter.

Importing the package (before TensorFlow) quietens TensorFlow's C++ start-up
logging (``TF_CPP_MIN_LOG_LEVEL=2``), turns oneDNN off
(``TF_ENABLE_ONEDNN_OPTS=0``) and selects the TensorFlow backend for Keras,
unless you set those variables yourself first.
"""

import os

# Both must be set before TensorFlow/Keras are first imported; setdefault keeps
# any choice the user made.
# hide INFO/WARNING start-up lines
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# oneDNN prints notices (and, for int64 ops, an error line) that land in
# notebook outputs; measured on this course's models it brings no speed-up.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")  # the course uses tf.data

# Importing these registers their Keras-serializable classes, so that
# keras.saving.load_model("translator.keras") works after `import
# seq2seq_attention`.
from . import (  # noqa: F401
    data,
    metrics,
    models,
    pointer,
    qa_models,
    summarizer,
    training,
    transformer,
    translator,
)
from .attention import (
    AdditiveAttention,
    BaseAttention,
    DotAttention,
    GeneralAttention,
    NoAttention,
    ScaledDotProductAttention,
    masked_softmax,
)
from .models import Seq2SeqAttention
from .translator import Translator

__version__ = "0.1.0"

__all__ = [
    "AdditiveAttention",
    "BaseAttention",
    "DotAttention",
    "GeneralAttention",
    "NoAttention",
    "ScaledDotProductAttention",
    "masked_softmax",
    "Seq2SeqAttention",
    "Translator",
    "__version__",
]
