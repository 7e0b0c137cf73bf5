"""``python -m seq2seq_attention ...``: see :mod:`seq2seq_attention.cli`."""

from .cli import main

raise SystemExit(main())
