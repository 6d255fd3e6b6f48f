"""Tests for mirai_gmm.report: metrics.json sections and the side-by-side table."""

import json

import numpy as np
import pandas as pd
import pytest

from mirai_gmm.facts import PAPER
from mirai_gmm.report import (
    implied_specificity,
    read_metrics,
    side_by_side,
    update_metrics,
)


def test_read_metrics_of_an_empty_run_is_empty(tmp_path):
    assert read_metrics(tmp_path) == {}


def test_update_metrics_keeps_other_sections(tmp_path):
    update_metrics(tmp_path, "dataset", {"name": "x", "rows": 3})
    path = update_metrics(tmp_path, "features", {"selected": ["a"]})

    assert path == tmp_path / "metrics.json"
    assert read_metrics(tmp_path) == {
        "dataset": {"name": "x", "rows": 3},
        "features": {"selected": ["a"]},
    }


def test_update_metrics_dotted_section_sets_a_nested_key(tmp_path):
    update_metrics(tmp_path, "model", {"means": {"a": 1.0}, "log10_epsilon": None})
    update_metrics(tmp_path, "model.log10_epsilon", -12.5)
    update_metrics(tmp_path, "test.decision_tree", {"f1": 0.99})

    metrics = read_metrics(tmp_path)
    assert metrics["model"] == {"means": {"a": 1.0}, "log10_epsilon": -12.5}
    assert metrics["test"] == {"decision_tree": {"f1": 0.99}}


def test_update_metrics_converts_numpy_values(tmp_path):
    update_metrics(tmp_path, "model", {"means": np.array([1.5, 2.0]), "n": np.int64(4)})

    stored = json.loads((tmp_path / "metrics.json").read_text())
    assert stored == {"model": {"means": [1.5, 2.0], "n": 4}}


def test_update_metrics_refuses_to_descend_into_a_number(tmp_path):
    update_metrics(tmp_path, "model", 3)

    with pytest.raises(ValueError, match=r"model holds int, not an object"):
        update_metrics(tmp_path, "model.log10_epsilon", -1.0)


@pytest.mark.parametrize("section", ["", "a..b", ".a"])
def test_update_metrics_rejects_empty_section_names(tmp_path, section):
    with pytest.raises(ValueError, match="metrics section"):
        update_metrics(tmp_path, section, 1)


def test_read_metrics_names_a_broken_file(tmp_path):
    (tmp_path / "metrics.json").write_text("[1, 2]")

    with pytest.raises(ValueError, match=r"metrics\.json: expected a JSON object"):
        read_metrics(tmp_path)


def test_side_by_side_puts_ours_beside_the_paper():
    ours = {
        "with_selection": {"f1": 0.93, "specificity": 0.5},
        "all_mirai_baseline": {"f1": 0.90, "specificity": 0.0},
    }
    table = side_by_side(ours, PAPER["table2"])

    assert table.loc["f1", ("with_selection", "ours")] == 0.93
    assert table.loc["f1", ("with_selection", "paper")] == 0.9498
    # The paper has no baseline row and no specificity: left empty.
    assert np.isnan(table.loc["f1", ("all_mirai_baseline", "paper")])
    assert np.isnan(table.loc["specificity", ("with_selection", "paper")])
    # A model only the paper reports comes after ours.
    assert list(table.columns.get_level_values("model").unique()) == [
        "with_selection",
        "all_mirai_baseline",
        "without_selection",
    ]


def test_side_by_side_drops_metrics_nobody_reports():
    table = side_by_side({"m": {"f1": 1.0}}, {}, metrics=("f1", "recall"))

    assert list(table.index) == ["f1"]
    assert isinstance(table, pd.DataFrame)


def test_implied_specificity_recovers_a_confusion_matrix():
    # 80 attacks, 20 normal; 72 attacks and 5 normal flows flagged.
    tp, fn, fp, tn = 72, 8, 5, 15
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    accuracy = (tp + tn) / 100

    out = implied_specificity(precision, recall, accuracy)

    assert out["positive_share"] == pytest.approx(0.8)
    assert out["specificity"] == pytest.approx(tn / (tn + fp))
    assert out["false_positive_rate"] == pytest.approx(fp / (tn + fp))


def test_implied_specificity_of_the_paper_flags_about_forty_percent_of_normal():
    row = PAPER["table2"]["with_selection"]

    out = implied_specificity(row["precision"], row["recall"], row["accuracy"])

    assert out["positive_share"] == pytest.approx(0.82, abs=0.01)
    assert out["false_positive_rate"] == pytest.approx(0.40, abs=0.02)


def test_implied_specificity_rejects_impossible_values():
    with pytest.raises(ValueError, match="no positive share"):
        implied_specificity(0.9, 0.9, 0.2)


def test_run_folder_follows_the_runs_root_variable(tmp_path, monkeypatch):
    from mirai_gmm.paths import RUNS_ROOT_VARIABLE, project_root, run_folder

    monkeypatch.delenv(RUNS_ROOT_VARIABLE, raising=False)
    assert run_folder("reports/default") == project_root() / "reports" / "default"
    monkeypatch.setenv(RUNS_ROOT_VARIABLE, str(tmp_path))
    assert run_folder("reports/default") == tmp_path / "reports" / "default"
    assert run_folder(tmp_path / "abs") == tmp_path / "abs"
