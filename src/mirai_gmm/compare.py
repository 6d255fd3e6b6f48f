"""Results of several runs side by side with the paper's.

Reads ``metrics.json`` of each run folder and lays out the figures a reader
compares first: the data, the selection, the threshold, the test scores of
every detector and the latency ratio. The paper's column holds its published
values and, where the paper does not print a figure that its numbers imply
(the Mirai share, the specificity, the F1 of flagging every flow), the
implied value, marked as such.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from mirai_gmm.facts import PAPER
from mirai_gmm.report import implied_specificity, read_metrics

__all__ = ["compare_runs", "paper_column", "to_markdown"]


def _run_column(metrics: Mapping) -> dict[str, object]:
    data, features, test = metrics["dataset"], metrics["features"], metrics["test"]
    after = data["rows_per_class_after"]
    kept = sum(after.values())
    normal = after.get("Normal", 0)
    tree = test.get("decision_tree", {})
    column = {
        "data": ("synthetic: " if data["synthetic"] else "") + str(data["name"]),
        "attack class": data["positive"],
        "flows after cleaning": f"{kept:,}",
        "attack share": _num((kept - normal) / kept, 3),
        "candidates (Table I among them)": "{} ({})".format(
            len(features["candidates"]),
            len(set(features["candidates"]) & set(PAPER["features"])),
        ),
        "features selected": str(len(features["selected"])),
        "log10 epsilon": _num(metrics["model"]["log10_epsilon"], 3),
    }
    for name, label in (
        ("with_selection", "with selection"),
        ("without_selection", "all candidates"),
    ):
        for metric in ("precision", "recall", "f1", "accuracy", "specificity"):
            column[f"{label}: {metric}"] = _num(test[name][metric])
    column["flag every flow: F1"] = _num(test["all_mirai_baseline"]["f1"])
    balanced = test.get("balanced_threshold", {})
    column["balanced-accuracy epsilon: recall"] = _num(balanced.get("recall"))
    column["balanced-accuracy epsilon: specificity"] = _num(balanced.get("specificity"))
    column["decision tree: F1"] = _num(tree.get("f1"))
    column["decision tree: specificity"] = _num(tree.get("specificity"))
    column["tree / Gaussian mean time, 1 flow"] = _latency_ratio(metrics, 1)
    column["tree / Gaussian mean time, 2,000 flows"] = _latency_ratio(metrics, 2000)
    return column


def _latency_ratio(metrics: Mapping, batch: int) -> str:
    for row in metrics.get("latency", []):
        if row["batch"] == batch:
            return f"{row['tree_mean_s'] / row['gmm_mean_s']:.1f}x"
    return ""


def paper_column() -> dict[str, object]:
    """The paper's values in the rows of :func:`compare_runs` (implied ones marked)."""
    table = PAPER["table2"]
    implied = {
        name: implied_specificity(row["precision"], row["recall"], row["accuracy"])
        for name, row in table.items()
    }
    share = implied["with_selection"]["positive_share"]
    column = {
        "data": "IoTID20 Normal + Mirai",
        "attack class": "Cat == 'Mirai'",
        "flows after cleaning": f"{PAPER['subset_rows']:,} (no cleaning stated)",
        "attack share": _num(share, 3) + " (implied)",
        "candidates (Table I among them)": "23 (9)",
        "features selected": str(len(PAPER["features"])),
        "log10 epsilon": _num(math.log10(PAPER["epsilon"]), 3),
    }
    for name, label in (
        ("with_selection", "with selection"),
        ("without_selection", "all candidates"),
    ):
        for metric in ("precision", "recall", "f1", "accuracy"):
            column[f"{label}: {metric}"] = _num(table[name][metric])
        column[f"{label}: specificity"] = (
            _num(implied[name]["specificity"]) + " (implied)"
        )
    column["flag every flow: F1"] = _num(2 * share / (1 + share)) + " (implied)"
    column["tree / Gaussian mean time, 1 flow"] = "> 1 (Fig. 4, no values)"
    column["tree / Gaussian mean time, 2,000 flows"] = "> 1 (Fig. 4, no values)"
    return column


def compare_runs(run_dirs: Sequence[str | Path]) -> pd.DataFrame:
    """One column per run folder, then the paper's; one row per figure.

    Parameters
    ----------
    run_dirs : sequence of str or Path
        Run folders holding a complete ``metrics.json`` (all five notebooks).

    Returns
    -------
    pandas.DataFrame
        Text cells, ready for :func:`to_markdown`.
    """
    columns = {}
    for run in run_dirs:
        metrics = read_metrics(run)
        missing = {"dataset", "features", "model", "test"} - set(metrics)
        if missing:
            raise ValueError(
                f"{Path(run) / 'metrics.json'}: no {', '.join(sorted(missing))} "
                "section; run all five notebooks first"
            )
        columns[Path(run).name] = _run_column(metrics)
    columns["paper"] = paper_column()
    return pd.DataFrame(columns).fillna("")


def to_markdown(frame: pd.DataFrame) -> str:
    """A GitHub table of `frame`, index as the first column."""
    header = ["", *map(str, frame.columns)]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for label, row in frame.iterrows():
        lines.append("| " + " | ".join([str(label), *map(str, row)]) + " |")
    return "\n".join(lines)


def _num(value, digits: int = 4) -> str:
    if value is None:
        return ""
    return f"{value:.{digits}f}"
