"""plot_attention draws what it is given, labelled, and refuses mismatched
labels."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from seq2seq_attention.plots import plot_attention


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_heatmap_shows_the_weights_with_token_labels():
    weights = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    ax = plot_attention(
        weights, ["the", "black", "cat"], ["el", "gato"], title="t"
    )
    np.testing.assert_array_equal(ax.images[0].get_array(), weights)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["el", "gato"]
    assert len(ax.texts) == 6 and ax.texts[0].get_text() == "0.70"
    assert ax.get_title() == "t"


def test_single_step_and_tensor_like_input():
    ax = plot_attention([0.25, 0.75])
    assert ax.images[0].get_array().shape == (1, 2)


def test_large_grids_are_not_annotated():
    ax = plot_attention(np.full((20, 20), 0.05))
    assert len(ax.texts) == 0


@pytest.mark.parametrize(
    "weights, src, tgt, message",
    [
        (
            np.zeros((2, 3, 4)),
            None,
            None,
            r"shape \(tgt_len, src_len\).*got shape \(2, 3, 4\).*weights\[0\]",
        ),
        (
            np.zeros((2, 3)),
            ["a", "b"],
            None,
            r"source_tokens has 2 labels but the weights have 3 columns",
        ),
        (
            np.zeros((2, 3)),
            None,
            ["x"],
            r"target_tokens has 1 labels but the weights have 2 rows",
        ),
    ],
)
def test_bad_input_is_explained(weights, src, tgt, message):
    with pytest.raises(ValueError, match=message):
        plot_attention(weights, src, tgt)
