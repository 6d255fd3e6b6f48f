"""Candidate features, one-feature ranking and selection; splits; metrics."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mirai_gmm.evaluation import detection_metrics
from mirai_gmm.ranking import candidate_features, rank_features, select_features
from mirai_gmm.splits import split_flows
from mirai_gmm.threshold import best_threshold


def labelled_frame(n_rows=400, seed=0):
    """Three informative columns, a constant, a copy and an identifier."""
    rng = np.random.default_rng(seed)
    y = pd.Series((rng.random(n_rows) < 0.8).astype(int), name="target")
    frame = pd.DataFrame(
        {
            "Flow_Duration": rng.normal(100, 10, n_rows) + 400 * (1 - y),
            "Fwd_IAT_Tot": rng.normal(50, 30, n_rows) + 20 * (1 - y),
            "Protocol": rng.integers(0, 3, n_rows).astype(float),
            "Fwd_PSH_Flags": np.zeros(n_rows),
            "Src_Port": rng.integers(1, 65535, n_rows).astype(float),
        }
    )
    frame["Subflow_Fwd_Pkts"] = frame["Protocol"]
    return frame, y


def test_candidates_follow_the_stated_rule():
    X, y = labelled_frame()
    report = candidate_features(X, y, n_candidates=2)
    assert report.removed["identifier"] == ["Src_Port"]
    assert report.removed["constant"] == ["Fwd_PSH_Flags"]
    assert report.duplicate_of == {"Subflow_Fwd_Pkts": "Protocol"}
    assert report.kept == ["Flow_Duration", "Fwd_IAT_Tot"]
    assert report.removed["low_anova_f"] == ["Protocol"]


def test_candidates_keep_all_when_fewer_than_asked():
    X, y = labelled_frame()
    report = candidate_features(X, y, n_candidates=23)
    assert sorted(report.kept) == ["Flow_Duration", "Fwd_IAT_Tot", "Protocol"]
    assert report.removed["low_anova_f"] == []


def test_ranking_puts_the_separating_feature_first():
    X, y = labelled_frame(seed=1)
    X_val, y_val = labelled_frame(seed=2)
    ranking = rank_features(X, y, X_val, y_val, ["Fwd_IAT_Tot", "Flow_Duration"])
    assert ranking["feature"].tolist() == ["Flow_Duration", "Fwd_IAT_Tot"]
    assert ranking["f1"].iloc[0] > 0.95
    # Flagging every flow scores 2p / (1 + p); no feature can do worse.
    share = y_val.mean()
    assert (ranking["f1"] >= 2 * share / (1 + share) - 1e-12).all()


def test_ranking_fits_on_attack_rows_and_tunes_on_validation():
    # Each one-feature model is the detector fitted on the attack training
    # rows of that column, thresholded at its F1-best validation score.
    X, y = labelled_frame(seed=5)
    X_val, y_val = labelled_frame(seed=6)
    ranking = rank_features(X, y, X_val, y_val, ["Fwd_IAT_Tot"]).iloc[0]
    attack = X.loc[y == 1, "Fwd_IAT_Tot"]
    mean, var = attack.mean(), attack.var(ddof=0)
    scores = -0.5 * (np.log(2 * np.pi * var) + (X_val["Fwd_IAT_Tot"] - mean) ** 2 / var)
    expected = best_threshold(y_val, scores)
    assert ranking["f1"] == pytest.approx(expected.f1, rel=1e-12)
    assert ranking["log10_epsilon"] == pytest.approx(expected.log10_epsilon, rel=1e-9)
    on_train = best_threshold(y, -((X["Fwd_IAT_Tot"] - mean) ** 2))
    assert ranking["f1"] != pytest.approx(on_train.f1, rel=1e-6)


def test_ranking_uses_the_given_variance_floor():
    X, y = labelled_frame(seed=7)
    X_val, y_val = labelled_frame(seed=8)
    X = X.assign(Fwd_IAT_Tot=np.where(y == 1, 5.0, X["Fwd_IAT_Tot"]))
    tight = rank_features(X, y, X_val, y_val, ["Fwd_IAT_Tot"], var_floor=1e-9)
    loose = rank_features(X, y, X_val, y_val, ["Fwd_IAT_Tot"], var_floor=1e3)
    assert tight["log10_epsilon"].iloc[0] != loose["log10_epsilon"].iloc[0]


@settings(max_examples=20, deadline=None)
@given(st.floats(1e-3, 1e6), st.floats(-1e4, 1e4))
def test_ranking_is_unchanged_when_a_feature_is_rescaled(scale, shift):
    X, y = labelled_frame(seed=3)
    X_val, y_val = labelled_frame(seed=4)
    features = ["Flow_Duration", "Fwd_IAT_Tot", "Protocol"]
    before = rank_features(X, y, X_val, y_val, features)
    moved = {"Fwd_IAT_Tot": lambda f: f["Fwd_IAT_Tot"] * scale + shift}
    after = rank_features(X.assign(**moved), y, X_val.assign(**moved), y_val, features)
    assert after["feature"].tolist() == before["feature"].tolist()
    np.testing.assert_allclose(after["f1"], before["f1"], atol=1e-9)


def test_selection_applies_the_cut_off_and_warns_when_nothing_passes():
    ranking = pd.DataFrame({"feature": ["a", "b", "c"], "f1": [0.95, 0.91, 0.5]})
    assert select_features(ranking, min_f1=0.91) == ["a", "b"]
    with pytest.warns(UserWarning, match="keeping the best one, a"):
        assert select_features(ranking, min_f1=0.99) == ["a"]


class _Clean:
    def __init__(self, X, y):
        self.features, self.target = X, y


def test_splits_are_disjoint_stratified_and_seeded():
    X, y = labelled_frame(1000)
    splits = split_flows(_Clean(X, y), seed=7)
    sizes = {name: len(part[0]) for name, part in splits.items()}
    assert sizes == {"train": 600, "val": 200, "test": 200}
    indexes = [set(part[0].index) for part in splits.values()]
    assert set.union(*indexes) == set(X.index) and sum(map(len, indexes)) == 1000
    for _, part_y in splits.values():
        assert part_y.mean() == pytest.approx(y.mean(), abs=0.01)
    again = split_flows(_Clean(X, y), seed=7)
    assert again["test"][0].index.equals(splits["test"][0].index)


@pytest.mark.parametrize("fractions", [(0.5, 0.5), (0.6, 0.3, 0.3), (0.8, 0.2, 0.0)])
def test_splits_refuse_bad_fractions(fractions):
    X, y = labelled_frame(100)
    with pytest.raises(ValueError, match="fractions"):
        split_flows(_Clean(X, y), fractions=fractions)


def test_metrics_by_hand():
    y_true = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
    y_pred = [1, 1, 1, 0, 1, 1, 0, 0, 0, 0]
    metrics = detection_metrics(y_true, y_pred)
    assert metrics == pytest.approx(
        {
            "precision": 3 / 5,
            "recall": 3 / 4,
            "f1": 6 / 9,
            "accuracy": 7 / 10,
            "specificity": 4 / 6,
        }
    )


def test_all_attack_baseline_has_zero_specificity():
    metrics = detection_metrics([1, 1, 1, 0], [1, 1, 1, 1])
    assert metrics["specificity"] == 0.0 and metrics["recall"] == 1.0
