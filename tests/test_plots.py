"""Smoke tests for mirai_gmm.plots: every helper returns a labelled Figure."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from mirai_gmm import plots  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _visible_axes(fig):
    return [ax for ax in fig.axes if ax.get_visible()]


def _assert_labelled(fig):
    assert isinstance(fig, Figure)
    axes = _visible_axes(fig)
    assert axes
    for ax in axes:
        assert ax.get_xlabel()
        assert ax.get_ylabel()


def test_plot_ranking_draws_one_bar_per_feature_and_both_lines():
    ranking = pd.DataFrame({"feature": ["a", "b", "c"], "f1": [0.97, 0.93, 0.90]})

    fig = plots.plot_ranking(ranking, min_f1=0.91, baseline_f1=0.901, highlight=["b"])

    _assert_labelled(fig)
    ax = fig.axes[0]
    assert len(ax.patches) == 3
    assert len(ax.get_lines()) == 2
    assert "b *" in [tick.get_text() for tick in ax.get_yticklabels()]


def test_plot_densities_uses_a_log_axis_for_values_spanning_decades():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(
        {"wide": rng.lognormal(4, 3, 400), "narrow": rng.normal(5, 1, 400)}
    )
    y = np.r_[np.ones(300), np.zeros(100)]
    means = X[y == 1].mean().to_dict()
    variances = X[y == 1].var(ddof=0).to_dict()

    fig = plots.plot_densities(X, y, means, variances, units={"wide": "µs"})

    _assert_labelled(fig)
    wide, narrow = _visible_axes(fig)
    assert wide.get_xscale() == "log"
    assert narrow.get_xscale() == "linear"
    assert wide.get_xlabel() == "wide (µs)"


def test_plot_f1_curve_marks_the_chosen_threshold():
    grid = np.linspace(-40, 0, 50)

    fig = plots.plot_f1_curve(
        grid,
        np.linspace(0.9, 0.5, 50),
        chosen_log10=-40.0,
        chosen_f1=0.9,
        baseline_f1=0.9,
    )

    _assert_labelled(fig)
    x, y = fig.axes[0].get_lines()[1].get_data()
    assert (x[0], y[0]) == (-40.0, 0.9)


def test_plot_latency_is_log_log_with_both_models():
    frame = pd.DataFrame(
        {
            "batch": [1, 10, 100],
            "mean_us": [10.0, 12.0, 40.0],
            "median_us": [9.0, 11.0, 38.0],
            "p95_us": [15.0, 20.0, 60.0],
            "median_us_per_flow": [9.0, 1.1, 0.38],
        }
    )

    fig = plots.plot_latency({"gmm": frame, "tree": frame * 2}, note="cpu: test")

    _assert_labelled(fig)
    for ax in fig.axes:
        assert (ax.get_xscale(), ax.get_yscale()) == ("log", "log")
    assert any("µs" in ax.get_ylabel() for ax in fig.axes)
