"""Tests for mirai_gmm.latency: the timing harness of Fig. 4."""

import gc

import numpy as np
import pandas as pd
import pytest

from mirai_gmm.latency import (
    TIMING_COLUMNS,
    machine_info,
    time_once,
    time_predictions,
)


class CountingModel:
    """Records the size of every batch it is asked to predict."""

    def __init__(self):
        self.sizes = []

    def predict(self, X):
        self.sizes.append(len(X))
        return np.zeros(len(X))


@pytest.fixture
def flows():
    return pd.DataFrame({"a": np.arange(5.0), "b": np.arange(5.0) * 2})


def test_one_row_per_batch_size_with_every_column(flows):
    timings = time_predictions(CountingModel().predict, flows, [1, 3], repeats=4)

    assert list(timings.columns) == list(TIMING_COLUMNS)
    assert timings["batch"].tolist() == [1, 3]
    assert timings["repeats"].tolist() == [4, 4]
    assert (timings[["mean_us", "median_us", "p95_us"]] > 0).all().all()


def test_warmup_calls_are_made_but_not_counted(flows):
    model = CountingModel()

    time_predictions(model.predict, flows, [2, 4], repeats=3, warmup=2)

    assert model.sizes == [2] * 5 + [4] * 5


def test_batches_larger_than_the_data_cycle_through_it(flows):
    seen = []

    time_predictions(lambda X: seen.append(X["a"].tolist()), flows, [7], 1, warmup=0)

    assert seen == [[0.0, 1.0, 2.0, 3.0, 4.0, 0.0, 1.0]]


def test_arrays_are_accepted_as_well_as_frames(flows):
    seen = []

    time_predictions(lambda X: seen.append(type(X)), flows.to_numpy(), [2], 1, warmup=0)

    assert seen == [np.ndarray]


def test_per_flow_times_divide_by_the_batch_size(flows):
    timings = time_predictions(CountingModel().predict, flows, [4], repeats=5)
    row = timings.iloc[0]

    assert row["mean_us_per_flow"] == pytest.approx(row["mean_us"] / 4)
    assert row["median_us_per_flow"] == pytest.approx(row["median_us"] / 4)
    assert row["median_us"] <= row["p95_us"]


def test_garbage_collector_is_restored_even_when_predict_fails(flows):
    def broken(X):
        raise RuntimeError("model exploded")

    with pytest.raises(RuntimeError, match="model exploded"):
        time_predictions(broken, flows, [1], repeats=2, warmup=0)
    assert gc.isenabled()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"batch_sizes": [0], "repeats": 1}, "batch sizes must be >= 1"),
        ({"batch_sizes": [1], "repeats": 0}, "repeats must be >= 1"),
        ({"batch_sizes": [1], "repeats": 1, "warmup": -1}, "warmup must be >= 0"),
    ],
)
def test_invalid_arguments_are_named(flows, kwargs, message):
    with pytest.raises(ValueError, match=message):
        time_predictions(CountingModel().predict, flows, **kwargs)


def test_empty_data_is_refused():
    with pytest.raises(ValueError, match="empty X"):
        time_predictions(CountingModel().predict, np.empty((0, 2)), [1], 1)


def test_machine_info_names_cpu_python_and_libraries():
    info = machine_info(packages=("numpy", "surely-not-a-package"))

    assert info["cpu"]
    assert info["cores"] >= 1
    assert info["numpy"] == np.__version__
    assert info["surely-not-a-package"] == "not installed"


def test_time_once_returns_the_result_and_a_duration(flows):
    result, seconds = time_once(lambda X: X["a"].sum(), flows)

    assert result == 10.0
    assert 0 <= seconds < 1
