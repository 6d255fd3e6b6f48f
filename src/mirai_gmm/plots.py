"""Figure helpers for the notebooks: one function per figure, each returns a Figure.

The helpers draw and label; they never show, save or change global style, so
a notebook decides where a figure goes (``atomic.save_figure``) and a test can
build one without a display. Axes carry units, and an axis switches to a log
scale when its values span several decades.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from scipy.stats import norm

__all__ = [
    "feature_unit",
    "plot_densities",
    "plot_f1_curve",
    "plot_latency",
    "plot_ranking",
]

logger = logging.getLogger(__name__)

#: Span (largest / smallest positive value) from which an axis goes logarithmic.
LOG_SPAN = 1e3


def feature_unit(name: str) -> str:
    """Unit of an IoTID20 (CICFlowMeter) feature, for axis labels.

    CICFlowMeter writes durations and inter-arrival times in microseconds,
    lengths and header sizes in bytes and rates per second.

    Parameters
    ----------
    name : str
        Release column name, e.g. ``"Flow_IAT_Mean"``.

    Returns
    -------
    str
        The unit, or ``""`` for counts, flags and ratios.

    Examples
    --------
    >>> feature_unit("Fwd_IAT_Std"), feature_unit("Flow_Byts/s")
    ('µs', 'bytes/s')
    """
    if name.endswith("/s"):
        return "bytes/s" if "Byts" in name else "packets/s"
    if any(part in name for part in ("Duration", "IAT", "Active", "Idle")):
        return "µs"
    if any(part in name for part in ("Len", "Byts", "Size")):
        return "bytes"
    return ""


def _palette(n: int) -> list:
    # The colour-blind-safe palette: figures end up printed and projected.
    return sns.color_palette("colorblind", n)


def _spans_decades(values: np.ndarray) -> bool:
    # Negative values rule a log axis out; the 1st and 99th percentiles of the
    # positive values, not the extremes, decide, so that a handful of tiny
    # values does not turn a bell-shaped feature logarithmic.
    if (values < 0).any():
        return False
    positive = values[values > 0]
    if positive.size < 2:
        return False
    low, high = np.percentile(positive, [1, 99])
    return low > 0 and high / low >= LOG_SPAN


def plot_ranking(
    ranking: pd.DataFrame,
    *,
    min_f1: float = 0.91,
    baseline_f1: float | None = None,
    highlight: Sequence[str] = (),
) -> Figure:
    """Bar chart of the validation F1 of every one-feature model.

    Parameters
    ----------
    ranking : pandas.DataFrame
        Columns ``feature`` and ``f1``, as returned by
        :func:`mirai_gmm.ranking.rank_features`.
    min_f1 : float, default 0.91
        Selection threshold; bars at or above it are drawn in the first colour.
    baseline_f1 : float, optional
        F1 of the detector that flags every flow as an attack, drawn as a line:
        a one-feature model can always match it by choosing a very low
        threshold, so F1 values just above it carry little information.
    highlight : sequence of str
        Features to mark with a star in their tick label (the paper's Table I).

    Returns
    -------
    matplotlib.figure.Figure
    """
    data = ranking.sort_values("f1", ascending=True).reset_index(drop=True)
    kept_colour, dropped_colour, line_colour = _palette(3)
    colours = [kept_colour if f1 >= min_f1 else dropped_colour for f1 in data["f1"]]
    labels = [f"{name} *" if name in highlight else name for name in data["feature"]]

    fig, ax = plt.subplots(figsize=(7.5, 0.24 * len(data) + 1.6))
    ax.barh(labels, data["f1"], color=colours)

    # The interesting range is a few hundredths wide and sits near 1; a zero
    # origin would flatten every bar to the same length.
    reference = [min_f1] + ([baseline_f1] if baseline_f1 is not None else [])
    low = np.floor((min(data["f1"].min(), *reference) - 0.01) * 100) / 100
    ax.set_xlim(max(low, 0.0), 1.0)
    ax.axvline(min_f1, color="black", linestyle="--", label=f"selection: F1 ≥ {min_f1}")
    if baseline_f1 is not None:
        ax.axvline(
            baseline_f1,
            color=line_colour,
            linestyle=":",
            linewidth=2,
            label=f"flag every flow: F1 = {baseline_f1:.3f}",
        )
    ax.set_xlabel(f"validation F1 of a one-feature model (axis starts at {low:.2f})")
    ax.set_ylabel("feature" + (" (* = in the paper's Table I)" if highlight else ""))
    handles, _ = ax.get_legend_handles_labels()
    handles += [
        Patch(color=kept_colour, label="reaches the cut-off"),
        Patch(color=dropped_colour, label="below the cut-off"),
    ]
    ax.legend(handles=handles, loc="lower right", fontsize="small", framealpha=0.9)
    fig.tight_layout()
    return fig


#: Upper percentile drawn on a linear axis; beyond it a few outliers would
#: squeeze every other flow into the first bin.
LINEAR_CLIP_PERCENTILE = 99.5


def _bin_edges(values: np.ndarray, log: bool, bins: int) -> np.ndarray:
    if log:
        positive = values[values > 0]
        return np.geomspace(positive.min(), positive.max(), bins + 1)
    low = values.min()
    high = np.percentile(values, LINEAR_CLIP_PERCENTILE)
    if high <= low:
        high = values.max()
    if low == high:
        low, high = low - 0.5, high + 0.5
    return np.linspace(low, high, bins + 1)


def _note_hidden(ax, values, y, class_names, edges, log) -> None:
    # Say in the panel which flows the axis cannot show: zeros on a log
    # axis, the far tail on a clipped linear one.
    if log:
        hidden, what = values <= 0, "at 0 (not shown)"
    else:
        hidden, what = values > edges[-1], f"above {edges[-1]:.3g} (not shown)"
    if not hidden.any():
        return
    shares = [
        f"{name} {hidden[y == k].mean():.1%}" for k, name in enumerate(class_names)
    ]
    ax.text(
        0.98,
        0.97,
        f"{what}:\n" + "\n".join(shares),
        transform=ax.transAxes,
        ha="right",
        va="top",
        fontsize="x-small",
        bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none"},
    )


def plot_densities(
    X: pd.DataFrame,
    y: pd.Series | np.ndarray,
    means: Mapping[str, float],
    variances: Mapping[str, float],
    *,
    features: Sequence[str] | None = None,
    units: Mapping[str, str] | None = None,
    class_names: tuple[str, str] = ("Normal", "Mirai"),
    bins: int = 40,
    ncols: int = 3,
) -> Figure:
    """Histograms of each feature per class with the fitted normal density.

    Both classes and the fitted curve are drawn as the share of flows per bin,
    the curve being the normal probability mass of each bin, so the three are
    comparable on a linear and on a log x axis alike. A feature whose positive
    values span three decades or more gets a log x axis; its zero values
    cannot appear there, so their share per class is written in the panel.
    A linear axis stops at the 99.5th percentile, and the share of flows
    beyond it is written likewise.

    Parameters
    ----------
    X : pandas.DataFrame of shape (n_samples, n_features)
        Training flows.
    y : array-like of shape (n_samples,)
        1 for the attack class the model is fitted on, 0 for Normal.
    means, variances : mapping of str to float
        Fitted mean and variance per feature (mu and sigma squared, Eqs. 1-2).
    features : sequence of str, optional
        Features to draw, one panel each; defaults to every key of `means`.
    units : mapping of str to str, optional
        Unit per feature for the x label; defaults to :func:`feature_unit`.
    class_names : tuple of str, default ("Normal", "Mirai")
        Names of class 0 and class 1.
    bins : int, default 40
        Bins per panel.
    ncols : int, default 3
        Panels per row.

    Returns
    -------
    matplotlib.figure.Figure
    """
    features = list(features) if features is not None else list(means.keys())
    units = units or {}
    y = np.asarray(y)
    ncols = min(ncols, len(features))
    nrows = int(np.ceil(len(features) / ncols))
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(4.2 * ncols, 3.2 * nrows), squeeze=False
    )
    normal_colour, attack_colour, fit_colour = _palette(3)

    for ax, name in zip(axes.flat, features, strict=False):
        values = X[name].to_numpy(dtype=float)
        log = _spans_decades(values)
        edges = _bin_edges(values, log, bins)
        for label, colour, mask in (
            (class_names[0], normal_colour, y == 0),
            (class_names[1], attack_colour, y == 1),
        ):
            part = values[mask]
            if part.size:
                weights = np.full(part.size, 1.0 / part.size)
                ax.hist(
                    part,
                    bins=edges,
                    weights=weights,
                    histtype="step",
                    linewidth=1.5,
                    color=colour,
                    label=label,
                )
        sigma = np.sqrt(variances[name])
        mass = np.diff(norm.cdf(edges, loc=means[name], scale=sigma))
        centres = (
            np.sqrt(edges[:-1] * edges[1:]) if log else (edges[:-1] + edges[1:]) / 2
        )
        ax.plot(
            centres,
            mass,
            color=fit_colour,
            linestyle="--",
            label=f"fitted normal ({class_names[1]})",
        )

        if log:
            ax.set_xscale("log")
        _note_hidden(ax, values, y, class_names, edges, log)
        unit = units.get(name, feature_unit(name))
        ax.set_xlabel(f"{name} ({unit})" if unit else name)
        ax.set_ylabel("share of flows per bin")

    for ax in axes.flat[len(features) :]:
        ax.set_visible(False)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.tight_layout(rect=(0, 0, 1, 0.94))
    fig.legend(handles, labels, loc="upper center", ncols=3, fontsize="small")
    return fig


def plot_f1_curve(
    log10_epsilons: np.ndarray,
    f1: np.ndarray,
    *,
    chosen_log10: float,
    chosen_f1: float,
    baseline_f1: float | None = None,
) -> Figure:
    """F1 on validation against the threshold epsilon, the chosen point marked.

    Parameters
    ----------
    log10_epsilons : ndarray of shape (n_thresholds,)
        Thresholds as log10 of the joint density p(x) (Eq. 4).
    f1 : ndarray of shape (n_thresholds,)
        Validation F1 at each threshold.
    chosen_log10, chosen_f1 : float
        The selected threshold and its F1.
    baseline_f1 : float, optional
        F1 of flagging every flow, drawn as a horizontal line: every
        threshold below the lowest score reaches it.

    Returns
    -------
    matplotlib.figure.Figure
    """
    line_colour, point_colour, base_colour = _palette(3)
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(log10_epsilons, f1, color=line_colour, label="validation F1")
    ax.plot(
        [chosen_log10],
        [chosen_f1],
        "o",
        color=point_colour,
        markersize=8,
        label=f"chosen: log10 ε = {chosen_log10:.2f}, F1 = {chosen_f1:.4f}",
    )
    if baseline_f1 is not None:
        ax.axhline(
            baseline_f1,
            color=base_colour,
            linestyle=":",
            linewidth=2,
            label=f"flag every flow: F1 = {baseline_f1:.3f}",
        )
    ax.set_xlabel("log10 ε (threshold on the joint density p(x), Eq. 5)")
    ax.set_ylabel("F1 on the validation split")
    ax.set_ylim(0, 1.02)
    ax.legend(loc="lower left", fontsize="small")
    fig.tight_layout()
    return fig


def plot_latency(
    timings: Mapping[str, pd.DataFrame],
    *,
    note: str | None = None,
) -> Figure:
    """Prediction time against batch size, per call and per flow, log-log.

    Parameters
    ----------
    timings : mapping of str to pandas.DataFrame
        Model name to the frame of :func:`mirai_gmm.latency.time_predictions`
        (columns ``batch``, ``median_us``, ``p95_us``, ``mean_us``,
        ``median_us_per_flow``).
    note : str, optional
        Text written under the axes, e.g. the CPU and library versions.

    Returns
    -------
    matplotlib.figure.Figure
        Left: time of one predict call (median line, band up to the 95th
        percentile, mean as dots). Right: median time per flow.
    """
    fig, (per_call, per_flow) = plt.subplots(1, 2, figsize=(11, 4.2))
    for colour, (name, frame) in zip(
        _palette(len(timings)), timings.items(), strict=True
    ):
        frame = frame.sort_values("batch")
        per_call.plot(
            frame["batch"], frame["median_us"], color=colour, label=f"{name} (median)"
        )
        per_call.fill_between(
            frame["batch"],
            frame["median_us"],
            frame["p95_us"],
            color=colour,
            alpha=0.2,
            linewidth=0,
        )
        per_call.plot(
            frame["batch"], frame["mean_us"], ".", color=colour, label=f"{name} (mean)"
        )
        per_flow.plot(
            frame["batch"],
            frame["median_us_per_flow"],
            color=colour,
            marker=".",
            label=name,
        )
    per_call.set_ylabel("time per predict call (µs)")
    per_flow.set_ylabel("median time per flow (µs)")
    for ax in (per_call, per_flow):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("batch size (flows per call)")
        ax.grid(True, which="major", alpha=0.3)
    per_call.legend(fontsize="small")
    per_call.set_title("shaded: median to 95th percentile", fontsize="small")
    per_flow.legend(fontsize="small")
    if note:
        fig.text(0.01, -0.02, note, fontsize="x-small", va="top", ha="left")
    fig.tight_layout()
    return fig
