"""How fast GaussianDetector predicts, against a decision tree and GaussianNB.

Prints one Markdown table from one run, with the machine and library
versions, and the ratios that the project targets (issue 3):

- ``predict_one`` at most 1/50 of the tree's one-row DataFrame predict;
- the detector's one-row DataFrame predict at most 1/2 of the tree's;
- scoring 1,000,000 flows at most 2x a reference pass ``X.sum(axis=1)``;
- peak extra memory while scoring 1,000,000 flows at most 2x the input.

Ratios, not absolute times, are the result: this machine is shared and
noisy, and ratios measured in one run cancel most of that noise.

Usage: ``python benchmarks/bench_detector.py [--quick]``
"""

from __future__ import annotations

import argparse
import gc
import platform
import statistics
import time
import tracemalloc

import numpy as np
import pandas as pd
import sklearn
from sklearn.naive_bayes import GaussianNB
from sklearn.tree import DecisionTreeClassifier

from mirai_gmm import GaussianDetector, __version__
from mirai_gmm.cleaning import clean_flows
from mirai_gmm.loading import flows_from_frame
from mirai_gmm.schema import PAPER_FEATURES
from mirai_gmm.synthetic import make_synthetic


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def time_call(call, repeats: int, warmup: int = 20) -> list[float]:
    """Seconds per call, `repeats` times, after `warmup` untimed calls."""
    for _ in range(warmup):
        call()
    gc.collect()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return times


def peak_extra_bytes(call) -> int:
    """Largest memory allocated by `call` above what was held before it."""
    gc.collect()
    tracemalloc.start()
    call()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def training_data(n_rows: int) -> tuple[pd.DataFrame, pd.Series]:
    clean = clean_flows(flows_from_frame(make_synthetic(n_rows, seed=0)))
    return clean.features[list(PAPER_FEATURES)], clean.target


def fitted_models(X: pd.DataFrame, y: pd.Series) -> dict:
    """Each model fitted twice: on the DataFrame and on the bare array.

    Fitting on a DataFrame makes scikit-learn check column names on every
    predict; fitting on the array gives the models' plain NumPy path.
    """
    models = {}
    for name, make in [
        ("GaussianDetector", GaussianDetector),
        ("DecisionTree", lambda: DecisionTreeClassifier(random_state=0)),
        ("GaussianNB", GaussianNB),
    ]:
        models[name, "frame"] = make().fit(X, y)
        models[name, "array"] = make().fit(X.to_numpy(), y.to_numpy())
    return models


def one_flow_rows(models, X, repeats) -> list[tuple[str, float]]:
    frame_row = X.iloc[[0]]
    array_row = X.to_numpy()[:1].copy()
    flow = frame_row.iloc[0].to_dict()
    detector = models["GaussianDetector", "frame"]
    rows = [
        ("predict_one(dict)", time_call(lambda: detector.predict_one(flow), repeats)),
        (
            "predict_one(list)",
            time_call(lambda: detector.predict_one(array_row[0].tolist()), repeats),
        ),
    ]
    for name in ("GaussianDetector", "DecisionTree", "GaussianNB"):
        frame_model, array_model = models[name, "frame"], models[name, "array"]
        rows.append(
            (
                f"{name}.predict(1-row DataFrame)",
                time_call(lambda m=frame_model: m.predict(frame_row), repeats),
            )
        )
        rows.append(
            (
                f"{name}.predict(1-row ndarray)",
                time_call(lambda m=array_model: m.predict(array_row), repeats),
            )
        )
    return [(label, statistics.median(t)) for label, t in rows]


def batch_rows(models, X, sizes, repeats) -> list[tuple[str, float]]:
    rng = np.random.default_rng(0)
    source = X.to_numpy()
    rows = []
    for size in sizes:
        batch = np.ascontiguousarray(source[rng.integers(0, len(source), size)])
        count = repeats if size <= 10_000 else max(3, repeats // 20)
        for label, call in [
            ("X.sum(axis=1) reference", lambda b=batch: b.sum(axis=1)),
            (
                "GaussianDetector.predict",
                lambda b=batch: models["GaussianDetector", "array"].predict(b),
            ),
            (
                "DecisionTree.predict",
                lambda b=batch: models["DecisionTree", "array"].predict(b),
            ),
        ]:
            seconds = statistics.median(time_call(call, count, warmup=2))
            rows.append((f"{label}, {size:,} flows", seconds))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="fewer repeats (a smoke run)"
    )
    args = parser.parse_args()
    repeats = 200 if args.quick else 2000

    X, y = training_data(40_000 if args.quick else 228_683)
    models = fitted_models(X, y)
    one = dict(one_flow_rows(models, X, repeats))
    batch = dict(batch_rows(models, X, (2_000, 1_000_000), repeats // 10))

    big = np.ascontiguousarray(
        X.to_numpy()[np.random.default_rng(1).integers(0, len(X), 1_000_000)]
    )
    detector = models["GaussianDetector", "array"]
    peak = peak_extra_bytes(lambda: detector.score_samples(big))

    print(f"# mirai-gmm {__version__} detector benchmark, {time.strftime('%Y-%m-%d')}")
    print(
        f"CPU: {cpu_model()} ({__import__('os').cpu_count()} logical cores); "
        f"Python {platform.python_version()}, NumPy {np.__version__}, "
        f"pandas {pd.__version__}, scikit-learn {sklearn.__version__}"
    )
    print(f"Nine paper features; models fitted on {len(X):,} synthetic flows.\n")
    print("| what | median time |")
    print("| --- | ---: |")
    for label, seconds in {**one, **batch}.items():
        print(f"| {label} | {_human(seconds)} |")
    print(f"| peak extra memory, scoring 1,000,000 flows | {peak / 2**20:.1f} MiB |")
    print(f"| input array, 1,000,000 flows | {big.nbytes / 2**20:.1f} MiB |")

    tree_frame = one["DecisionTree.predict(1-row DataFrame)"]
    big_label = "{}, 1,000,000 flows"
    targets = [
        (
            "predict_one(dict) / tree 1-row DataFrame",
            one["predict_one(dict)"] / tree_frame,
            1 / 50,
        ),
        (
            "detector / tree, 1-row DataFrame",
            one["GaussianDetector.predict(1-row DataFrame)"] / tree_frame,
            1 / 2,
        ),
        (
            "detector predict / X.sum(axis=1), 1,000,000 flows",
            batch[big_label.format("GaussianDetector.predict")]
            / batch[big_label.format("X.sum(axis=1) reference")],
            2.0,
        ),
        ("peak extra memory / input array", peak / big.nbytes, 2.0),
    ]
    print("\n| ratio | measured | target | met |")
    print("| --- | ---: | ---: | :-: |")
    for label, measured, target in targets:
        met = "yes" if measured <= target else "NO"
        print(f"| {label} | {measured:.3f} | <= {target:.3f} | {met} |")


def _human(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    return f"{seconds * 1e3:.2f} ms"


if __name__ == "__main__":
    main()
