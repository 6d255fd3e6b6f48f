"""Collect a run's results in ``OUT/metrics.json`` and lay them out beside the paper.

Each notebook (and the command line) adds its own section to one JSON file per
run: ``dataset`` (notebook 01), ``features`` (02), ``model`` (03 and 04),
``test`` (04 and 05) and ``latency`` (05). Sections are written with a
read-modify-write that replaces the file atomically, so a failed step never
leaves a half-written ``metrics.json`` behind.

The module also reads and writes the other files of a run folder that more
than one notebook touches: the three splits under ``OUT/data/`` and the data
banner every notebook prints. Paths follow the run layout of the contract.
"""

from __future__ import annotations

import json
import logging
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from mirai_gmm.atomic import write_frame, write_json, write_text

__all__ = [
    "METRICS_FILE",
    "SPLIT_NAMES",
    "TABLE_II_METRICS",
    "data_banner",
    "epsilon_text",
    "implied_specificity",
    "read_clean_flows",
    "read_metrics",
    "read_split",
    "side_by_side",
    "strip_run_metadata",
    "update_metrics",
    "write_splits",
]

logger = logging.getLogger(__name__)

#: Name of the results file inside a run folder.
METRICS_FILE = "metrics.json"

#: Splits written under ``OUT/data/``, in the order they are made.
SPLIT_NAMES = ("train", "val", "test")

#: Rows of Table II in the order the paper prints them (time first).
TABLE_II_METRICS = (
    "predict_seconds",
    "precision",
    "recall",
    "f1",
    "accuracy",
    "specificity",
)


def read_metrics(out_dir: str | os.PathLike) -> dict:
    """Return the content of ``out_dir/metrics.json``, or an empty dict if absent.

    Parameters
    ----------
    out_dir : str or os.PathLike
        The run folder.

    Returns
    -------
    dict
        Section name to section value.

    Raises
    ------
    ValueError
        When the file exists but is not a JSON object; the message names it.
    """
    path = Path(out_dir) / METRICS_FILE
    if not path.is_file():
        return {}
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: not valid JSON ({error})") from error
    if not isinstance(content, dict):
        raise ValueError(
            f"{path}: expected a JSON object, found {type(content).__name__}"
        )
    return content


def update_metrics(out_dir: str | os.PathLike, section: str, value: Any) -> Path:
    """Set one section of ``out_dir/metrics.json`` and rewrite the file atomically.

    Parameters
    ----------
    out_dir : str or os.PathLike
        The run folder; created when missing.
    section : str
        Top-level key, or a dotted path into nested objects
        (``"model.log10_epsilon"``, ``"test.decision_tree"``); missing
        intermediate objects are created, other keys are kept.
    value : object
        JSON-ready value (NumPy scalars and arrays are converted). It replaces
        whatever the section held.

    Returns
    -------
    Path
        The metrics file.

    Raises
    ------
    ValueError
        When `section` is empty or a dotted path runs through a value that is
        not an object.

    Notes
    -----
    Two processes updating the same run at once could lose one update: each
    step of a run is sequential, so no lock is taken.
    """
    keys = section.split(".")
    if not section or any(not key for key in keys):
        raise ValueError(f"metrics section {section!r}: expected 'name' or 'a.b'")

    metrics = read_metrics(out_dir)
    node = metrics
    for depth, key in enumerate(keys[:-1]):
        child = node.setdefault(key, {})
        if not isinstance(child, dict):
            where = ".".join(keys[: depth + 1])
            raise ValueError(
                f"metrics section {section!r}: {where} holds "
                f"{type(child).__name__}, not an object"
            )
        node = child
    node[keys[-1]] = value

    path = write_json(Path(out_dir) / METRICS_FILE, metrics)
    logger.debug("updated %s in %s", section, path)
    return path


def side_by_side(
    ours: Mapping[str, Mapping[str, float]],
    paper: Mapping[str, Mapping[str, float]],
    *,
    metrics: tuple[str, ...] = TABLE_II_METRICS,
) -> pd.DataFrame:
    """Lay out our metrics next to the paper's, one row per metric.

    Parameters
    ----------
    ours : mapping of str to mapping of str to float
        Model name (``"with_selection"``, ...) to metric name to value.
    paper : mapping of str to mapping of str to float
        The same for the published figures; models or metrics the paper does
        not report are left empty (NaN).
    metrics : tuple of str, default TABLE_II_METRICS
        Metrics to show, in order; a metric missing from both sides is dropped.

    Returns
    -------
    pandas.DataFrame
        Index: metric. Columns: a two-level index (model, source), source
        being ``"ours"`` or ``"paper"``, models in the order of `ours` and then
        any model only the paper has.

    Examples
    --------
    >>> ours = {"with_selection": {"f1": 0.93}}
    >>> paper = {"with_selection": {"f1": 0.9498}}
    >>> side_by_side(ours, paper, metrics=("f1",))  # doctest: +NORMALIZE_WHITESPACE
    model  with_selection
    source           ours   paper
    metric
    f1               0.93  0.9498
    """
    models = list(ours) + [name for name in paper if name not in ours]
    columns = {}
    for model in models:
        for source, table in (("ours", ours), ("paper", paper)):
            row = table.get(model, {})
            columns[(model, source)] = [row.get(metric) for metric in metrics]
    frame = pd.DataFrame(columns, index=pd.Index(list(metrics), name="metric"))
    frame.columns = frame.columns.set_names(["model", "source"])
    frame = frame.astype(float)
    return frame.dropna(how="all")


def implied_specificity(precision: float, recall: float, accuracy: float) -> dict:
    """Recover the positive share and the specificity from precision, recall, accuracy.

    A paper that reports only precision P, recall R and accuracy A still fixes
    the share of positives pi and the specificity: with N flows,
    TP = R pi N, FP = TP (1 - P) / P and TN = A N - TP. Writing TN also as
    (1 - pi) N - FP and solving for pi gives

        pi = (1 - A) / (1 - 2 R + R / P),
        specificity = TN / ((1 - pi) N) = (A - R pi) / (1 - pi).

    Parameters
    ----------
    precision, recall, accuracy : float
        In [0, 1], as printed in the paper (rounding there carries over).

    Returns
    -------
    dict
        ``positive_share`` (pi), ``specificity`` and ``false_positive_rate``
        (1 - specificity, the share of negative flows flagged).

    Raises
    ------
    ValueError
        When the three values admit no share of positives in (0, 1).

    Examples
    --------
    >>> out = implied_specificity(0.9, 0.9, 0.9)
    >>> round(out["positive_share"], 3), round(out["specificity"], 3)
    (0.5, 0.9)
    """
    denominator = 1.0 - 2.0 * recall + recall / precision
    share = (1.0 - accuracy) / denominator if denominator else float("nan")
    if not 0.0 < share < 1.0:
        raise ValueError(
            f"precision={precision}, recall={recall}, accuracy={accuracy}: "
            f"no positive share in (0, 1) fits (got {share})"
        )
    specificity = (accuracy - recall * share) / (1.0 - share)
    return {
        "positive_share": share,
        "specificity": specificity,
        "false_positive_rate": 1.0 - specificity,
    }


def write_splits(
    out_dir: str | os.PathLike, splits: Mapping[str, tuple], groups: pd.Series
) -> list[Path]:
    """Write each split to ``out_dir/data/<name>.parquet``, atomically.

    Parameters
    ----------
    out_dir : str or os.PathLike
        The run folder.
    splits : mapping of str to (DataFrame, Series)
        ``{"train": (X, y), ...}`` as returned by
        :func:`mirai_gmm.splits.split_flows`.
    groups : pandas.Series of str
        Group (``Sub_Cat`` or class) of every cleaned flow, indexed like `X`.

    Returns
    -------
    list of Path
        The files written, in the order of `splits`.

    Notes
    -----
    Each file holds the feature columns, ``target`` and ``group``, and keeps
    the row index (the row of the input file), so concatenating the three
    and sorting by it gives back the cleaned flows in their original order
    (:func:`read_clean_flows`).
    """
    written = []
    for name, (X, y) in splits.items():
        frame = X.assign(target=y, group=groups.loc[X.index])
        frame.index.name = "row"
        written.append(
            write_frame(frame, Path(out_dir) / "data" / f"{name}.parquet", index=True)
        )
    return written


def read_split(out_dir: str | os.PathLike, name: str) -> tuple[pd.DataFrame, pd.Series]:
    """Return ``(X, y)`` of one split written by :func:`write_splits`.

    Parameters
    ----------
    out_dir : str or os.PathLike
        The run folder.
    name : {"train", "val", "test"}
        The split.

    Returns
    -------
    X : pandas.DataFrame of shape (n_samples, n_features)
        Features only (``target`` and ``group`` removed).
    y : pandas.Series of int8, shape (n_samples,)
        1 for the attack class, 0 for Normal.

    Raises
    ------
    FileNotFoundError
        When the split is missing; the message says which notebook writes it.
    """
    path = Path(out_dir) / "data" / f"{name}.parquet"
    if not path.is_file():
        raise FileNotFoundError(
            f"{path}: no such split; run notebooks/01-data-cleaning.ipynb first"
        )
    frame = pd.read_parquet(path)
    return frame.drop(columns=["target", "group"]), frame["target"]


def read_clean_flows(out_dir: str | os.PathLike):
    """Rebuild the cleaned flows from the three splits of a run folder.

    Used to split the same flows again with other seeds.

    Parameters
    ----------
    out_dir : str or os.PathLike
        The run folder.

    Returns
    -------
    mirai_gmm.cleaning.CleanFlows
        Rows in their original order; ``report`` holds only ``rows_kept``
        (the cleaning report itself is ``OUT/cleaning.json``).
    """
    from mirai_gmm.cleaning import CleanFlows

    parts = []
    for name in SPLIT_NAMES:
        path = Path(out_dir) / "data" / f"{name}.parquet"
        if not path.is_file():
            raise FileNotFoundError(
                f"{path}: no such split; run notebooks/01-data-cleaning.ipynb first"
            )
        parts.append(pd.read_parquet(path))
    frame = pd.concat(parts).sort_index()
    return CleanFlows(
        features=frame.drop(columns=["target", "group"]),
        target=frame["target"],
        groups=frame["group"],
        report={"rows_kept": len(frame)},
    )


def epsilon_text(log10_epsilon: float, digits: int = 4) -> str:
    """Write epsilon in scientific notation from its base-10 log.

    Thresholds on a product of many densities fall below the smallest
    float (about 1e-308); going through the mantissa and exponent separately
    prints them anyway.

    Parameters
    ----------
    log10_epsilon : float
        Base-10 log of the threshold.
    digits : int, default 4
        Digits after the decimal point of the mantissa.

    Returns
    -------
    str
        E.g. ``"1.1125e-28"``.

    Examples
    --------
    >>> epsilon_text(-27.953699)
    '1.1125e-28'
    >>> epsilon_text(-400.5)
    '3.1623e-401'
    """
    exponent = math.floor(log10_epsilon)
    mantissa = 10 ** (log10_epsilon - exponent)
    if round(mantissa, digits) >= 10:  # 9.99996 rounds up to the next power
        mantissa, exponent = mantissa / 10, exponent + 1
    return f"{mantissa:.{digits}f}e{exponent:+03d}"


def data_banner(dataset: Mapping[str, Any]) -> str:
    """One or two lines saying which data a run used, for the top of each notebook.

    Parameters
    ----------
    dataset : mapping
        The ``dataset`` section of ``metrics.json`` (keys ``name``,
        ``synthetic``, ``rows_per_class_after``, ``positive`` and, for a
        file, ``path``, ``variant``, ``missing_paper_features``).

    Returns
    -------
    str
        Starts with ``DATA:``; says plainly when the data is synthetic, when
        the positive class is not Mirai alone, and which of the paper's
        features the data lacks.
    """
    rows = sum(dataset.get("rows_per_class_after", {}).values())
    if dataset.get("synthetic"):
        lines = [
            f"DATA: synthetic sample {dataset['name']}, {rows:,} flows after "
            "cleaning -- not IoTID20; numbers below describe the generator, "
            "not the paper's data"
        ]
    else:
        lines = [
            f"DATA: {dataset.get('path') or dataset['name']} "
            f"({dataset.get('variant', 'unknown variant')}), "
            f"{rows:,} flows after cleaning"
        ]
    positive = str(dataset.get("positive", ""))
    if "any attack" in positive:
        lines.append(
            f"POSITIVE CLASS: {positive}: the file has only a binary Label, so "
            "every attack counts, not Mirai alone"
        )
    missing = dataset.get("missing_paper_features") or []
    if missing:
        lines.append(
            f"MISSING: {len(missing)} of the paper's Table I features are not in "
            f"the data: {', '.join(missing)}"
        )
    return "\n".join(lines)


def strip_run_metadata(path: str | os.PathLike) -> bool:
    """Remove what changes on every execution from a notebook file, in place.

    Papermill stores start and end times, durations and its own version in
    ``metadata.papermill`` of the notebook and of every cell, and Jupyter
    stores ``metadata.execution`` timestamps per cell. Removing them lets a
    re-run of unchanged code leave the committed notebook unchanged, except
    for outputs that are timings by nature.

    Parameters
    ----------
    path : str or os.PathLike
        An ``.ipynb`` file.

    Returns
    -------
    bool
        Whether the file changed.
    """
    import nbformat

    path = Path(path)
    notebook = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    before = nbformat.writes(notebook)
    notebook.metadata.pop("papermill", None)
    for cell in notebook.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    after = nbformat.writes(notebook)
    if after == before:
        return False
    write_text(path, after if after.endswith("\n") else after + "\n")
    return True
