"""Time how long a fitted model takes to predict, for the paper's Fig. 4.

The paper predicts every batch size from 1 to 2000 flows 1000 times and plots
the mean time. Here each batch size is timed on its own: a few untimed
warm-up calls first (caches, lazy imports, first-call validation), garbage
collection before the loop and the collector paused inside it, one
:func:`time.perf_counter` reading per call. The mean is kept because the
paper reports it; the median and the 95th percentile are kept because a mean
of short timings is pulled up by the odd scheduler pause.
"""

from __future__ import annotations

import gc
import logging
import os
import platform
import sys
import time
from collections.abc import Callable, Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["machine_info", "time_once", "time_predictions"]

logger = logging.getLogger(__name__)

#: Columns of the frame :func:`time_predictions` returns, times in microseconds.
TIMING_COLUMNS = (
    "batch",
    "repeats",
    "mean_us",
    "median_us",
    "p95_us",
    "mean_us_per_flow",
    "median_us_per_flow",
)


def _take_rows(X: Any, n_rows: int) -> Any:
    """Return the first `n_rows` rows of `X`, cycling when `X` is shorter."""
    n_available = len(X)
    if n_available == 0:
        raise ValueError("cannot time predictions on an empty X")
    index = np.arange(n_rows) % n_available
    if isinstance(X, pd.DataFrame):
        return X.iloc[index].reset_index(drop=True)
    return np.asarray(X)[index]


def time_predictions(
    predict: Callable[[Any], Any],
    X: Any,
    batch_sizes: Iterable[int],
    repeats: int,
    *,
    warmup: int = 10,
) -> pd.DataFrame:
    """Time ``predict(batch)`` for batches of each size, `repeats` times each.

    Parameters
    ----------
    predict : callable
        Called with one batch, e.g. ``model.predict``; its result is discarded.
    X : pandas.DataFrame or array-like of shape (n_samples, n_features)
        Rows to draw batches from: a batch of size b is the first b rows,
        repeated cyclically when b > n_samples. The batch is built before the
        clock starts, so only `predict` is timed.
    batch_sizes : iterable of int
        Batch sizes in flows, each >= 1.
    repeats : int
        Timed calls per batch size (the paper uses 1000).
    warmup : int, default 10
        Untimed calls per batch size made before the timed ones.

    Returns
    -------
    pandas.DataFrame
        One row per batch size with the columns ``batch``, ``repeats``,
        ``mean_us``, ``median_us``, ``p95_us`` (time of one call, in
        microseconds) and ``mean_us_per_flow``, ``median_us_per_flow`` (the
        same divided by the batch size).

    Notes
    -----
    The garbage collector is paused while a batch size is timed so that a
    collection triggered by an earlier allocation does not land inside one
    call; it is restored afterwards even when `predict` raises.

    Examples
    --------
    >>> import numpy as np
    >>> timings = time_predictions(np.sum, np.ones((5, 2)), [1, 4], repeats=3)
    >>> timings["batch"].tolist(), timings["repeats"].tolist()
    ([1, 4], [3, 3])
    """
    sizes = [int(size) for size in batch_sizes]
    if any(size < 1 for size in sizes):
        raise ValueError(f"batch sizes must be >= 1, got {sizes}")
    if repeats < 1:
        raise ValueError(f"repeats must be >= 1, got {repeats}")
    if warmup < 0:
        raise ValueError(f"warmup must be >= 0, got {warmup}")

    rows = []
    for size in sizes:
        batch = _take_rows(X, size)
        for _ in range(warmup):
            predict(batch)
        seconds = np.empty(repeats)

        gc.collect()
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            for i in range(repeats):
                start = time.perf_counter()
                predict(batch)
                seconds[i] = time.perf_counter() - start
        finally:
            if was_enabled:
                gc.enable()

        micro = seconds * 1e6
        mean, median = float(micro.mean()), float(np.median(micro))
        rows.append(
            {
                "batch": size,
                "repeats": repeats,
                "mean_us": mean,
                "median_us": median,
                "p95_us": float(np.percentile(micro, 95)),
                "mean_us_per_flow": mean / size,
                "median_us_per_flow": median / size,
            }
        )
        logger.debug("batch %d: median %.1f us over %d calls", size, median, repeats)
    return pd.DataFrame(rows, columns=list(TIMING_COLUMNS))


def time_once(predict: Callable[[Any], Any], X: Any) -> tuple[Any, float]:
    """Call ``predict(X)`` once and return its result and the seconds it took.

    This is the paper's Table II timing: one prediction of a whole split,
    no warm-up, so it includes first-call costs a repeated timing hides.

    Parameters
    ----------
    predict : callable
        E.g. ``model.predict``.
    X : object
        Passed to `predict` unchanged.

    Returns
    -------
    result : object
        What `predict` returned.
    seconds : float
        Wall time of the call, by :func:`time.perf_counter`.

    Examples
    --------
    >>> result, seconds = time_once(len, [1, 2, 3])
    >>> result, seconds >= 0
    (3, True)
    """
    gc.collect()
    start = time.perf_counter()
    result = predict(X)
    return result, time.perf_counter() - start


def _cpu_model() -> str:
    # platform.processor() is empty on most Linux systems; /proc/cpuinfo
    # names the model there.
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine() or "unknown"


def machine_info(packages: Iterable[str] = ("numpy", "pandas", "scikit-learn")) -> dict:
    """Describe the machine and library versions that timings depend on.

    Parameters
    ----------
    packages : iterable of str
        Distribution names whose installed versions are reported.

    Returns
    -------
    dict
        ``cpu`` (model name), ``cores`` (logical), ``platform``, ``python``,
        then one entry per package (``"not installed"`` when absent).
    """
    info = {
        "cpu": _cpu_model(),
        "cores": os.cpu_count() or 0,
        "platform": platform.platform(terse=True),
        "python": sys.version.split()[0],
    }
    for name in packages:
        try:
            info[name] = version(name)
        except PackageNotFoundError:
            info[name] = "not installed"
    return info
