"""GaussianDetector: hand-checked values, numerics, scikit-learn conventions."""

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm
from sklearn.base import clone
from sklearn.metrics import f1_score
from sklearn.model_selection import (
    GridSearchCV,
    TunedThresholdClassifierCV,
    cross_val_score,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils.estimator_checks import parametrize_with_checks

from mirai_gmm import GaussianDetector
from mirai_gmm.atomic import OutputError
from mirai_gmm.detector import ModelFileError

# Six flows, two features; rows 0-2 are attacks. Attack means (2, 12) and
# population variances (2/3, 8/3) can be checked by hand.
X_SIX = np.array(
    [[1.0, 10.0], [2.0, 12.0], [3.0, 14.0], [40.0, 80.0], [50.0, 90.0], [60.0, 70.0]]
)
Y_SIX = np.array([1, 1, 1, 0, 0, 0])


def iotid20_like(n_rows, seed=0):
    """Attack and normal flows shaped like IoTID20 timings (microseconds)."""
    rng = np.random.default_rng(seed)
    scale = np.array([1.6e5, 3e4, 1e4, 1e1, 5e2, 2e3, 0.5, 7e3, 40.0])
    attack = rng.normal(0.3, 0.2, (n_rows, 9)) * scale
    normal = rng.normal(1.0, 0.6, (n_rows // 4, 9)) * scale
    X = np.vstack([attack, normal])
    y = np.r_[np.ones(len(attack), int), np.zeros(len(normal), int)]
    return X, y


def test_six_flows_by_hand():
    detector = GaussianDetector().fit(X_SIX, Y_SIX)
    np.testing.assert_allclose(detector.means_, [2.0, 12.0])
    np.testing.assert_allclose(detector.variances_, [2 / 3, 8 / 3])
    assert detector.n_train_rows_ == 3
    # At the attack mean: log p = -0.5 * (log(2 pi 2/3) + log(2 pi 8/3)).
    expected = -0.5 * (np.log(2 * np.pi * 2 / 3) + np.log(2 * np.pi * 8 / 3))
    assert detector.score_samples([[2.0, 12.0]])[0] == pytest.approx(expected)
    np.testing.assert_array_equal(detector.predict(X_SIX), Y_SIX)


def test_log_score_is_log_of_paper_product():
    detector = GaussianDetector().fit(X_SIX, Y_SIX)
    sigma = np.sqrt(detector.variances_)
    product = np.prod(norm.pdf(X_SIX[:3], detector.means_, sigma), axis=1)
    np.testing.assert_allclose(detector.score_samples(X_SIX[:3]), np.log(product))


def test_matches_scipy_on_iotid20_like_values():
    X, y = iotid20_like(5000)
    detector = GaussianDetector().fit(X, y)
    assert detector.variances_.min() < 2e-2 and detector.variances_.max() > 5e8
    expected = norm.logpdf(X, detector.means_, np.sqrt(detector.variances_)).sum(1)
    np.testing.assert_allclose(detector.score_samples(X), expected, rtol=1e-9)


def test_far_values_give_minus_infinity_not_nan():
    detector = GaussianDetector().fit(X_SIX, Y_SIX)
    far = np.array([[1e300, 12.0], [-1e300, 1e300], [1e6, -1e6]])
    scores = detector.score_samples(far)
    assert not np.isnan(scores).any()
    assert np.isneginf(scores[:2]).all() and np.isfinite(scores[2])
    assert not detector.predict(far).any()


def test_far_values_raise_no_warning():
    X = np.tile(X_SIX, 2)  # four features, so the sum of squares overflows too
    detector = GaussianDetector().fit(X, Y_SIX)
    far = np.full((2, 4), 5e307)
    far[1] = -1e308
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isneginf(detector.score_samples(far)).all()


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_input_is_refused(bad):
    detector = GaussianDetector().fit(X_SIX, Y_SIX)
    X = X_SIX.copy()
    X[4, 1] = bad
    with pytest.raises(ValueError, match="NaN or infinity"):
        detector.predict(X)
    frame = pd.DataFrame(X, columns=["a", "b"])
    named = GaussianDetector().fit(frame.iloc[:3].assign(b=[1.0, 2.0, 4.0]), None)
    with pytest.raises(ValueError, match="NaN or infinity"):
        named.score_samples(frame)
    with pytest.raises(ValueError, match="not finite"):
        named.predict_one({"a": 1.0, "b": bad})


def test_constant_feature_is_floored_relative_to_its_own_scale():
    X = np.array([[5.0, 0.0, 1.0e7], [5.0, 0.0, 3.0e7], [5.0, 0.0, 5.0e7]])
    detector = GaussianDetector(var_floor=1e-6).fit(X)
    # 5 everywhere: floor 1e-6 * 5**2. Zero everywhere: floor 1e-6 itself.
    np.testing.assert_allclose(detector.variances_[:2], [25e-6, 1e-6])
    # A feature with a variance of 2.7e14 leaves the others alone.
    assert detector.variances_[2] == pytest.approx(8e14 / 3)
    assert np.isfinite(detector.score_samples([[5.0, 0.0, 3e7], [6.0, 1.0, 3e7]])).all()


def test_attack_only_data_flags_every_training_flow():
    detector = GaussianDetector().fit(X_SIX[:3])
    assert detector.predict(X_SIX[:3]).all()
    np.testing.assert_array_equal(detector.classes_, [0, 1])


def test_text_labels_warn_which_class_is_fitted():
    y = np.where(Y_SIX == 1, "Anomaly", "Normal")
    with pytest.warns(UserWarning, match="greater label, 'Normal'"):
        detector = GaussianDetector().fit(X_SIX, y)
    assert detector.n_train_rows_ == int((Y_SIX == 0).sum())


@pytest.mark.parametrize("labels", [[0, 1], [-1, 1], [False, True]])
def test_plain_binary_labels_do_not_warn(labels):
    y = np.where(Y_SIX == 1, labels[1], labels[0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        GaussianDetector().fit(X_SIX, y)


def test_decision_function_is_score_minus_log_epsilon():
    detector = GaussianDetector(log_epsilon=-5.0).fit(X_SIX, Y_SIX)
    np.testing.assert_allclose(
        detector.decision_function(X_SIX), detector.score_samples(X_SIX) + 5.0
    )
    assert detector.log10_epsilon == pytest.approx(-5.0 / np.log(10))


@pytest.mark.parametrize("seed", range(20))
def test_threshold_flow_is_an_attack_by_both_rules(seed):
    # The tuned threshold sits one float step below a validation score, so
    # the flow at the threshold is an attack by predict (score >= epsilon)
    # and by scikit-learn's rule (decision_function > 0) alike.
    X, y = iotid20_like(400, seed=seed)
    X_val, y_val = iotid20_like(200, seed=seed + 100)
    detector = GaussianDetector().fit(X, y).tune_threshold(X_val, y_val)
    decision = detector.decision_function(X_val)
    np.testing.assert_array_equal(detector.predict(X_val), (decision > 0).astype(int))
    at_threshold = np.argmin(np.where(decision > 0, decision, np.inf))
    assert detector.score_samples(X_val)[at_threshold] == np.nextafter(
        detector.log_epsilon_, np.inf
    )
    predicted = detector.predict(X_val)
    assert f1_score(y_val, predicted) == pytest.approx(detector.threshold_f1_)


def test_a_flow_exactly_at_a_given_threshold_is_an_attack():
    detector = GaussianDetector().fit(X_SIX, Y_SIX)
    score = detector.score_samples(X_SIX[:1])[0]
    at = GaussianDetector(log_epsilon=score).fit(X_SIX, Y_SIX)
    assert at.predict(X_SIX[:1])[0] == 1
    assert at.predict_one(X_SIX[0].tolist()) is True
    above = GaussianDetector(log_epsilon=np.nextafter(score, np.inf))
    above.fit(X_SIX, Y_SIX)
    assert above.predict(X_SIX[:1])[0] == 0
    assert above.predict_one(X_SIX[0].tolist()) is False


def tuned_by_sklearn(detector, X_val, y_val):
    """scikit-learn's F1 threshold search over every validation decision value."""
    return TunedThresholdClassifierCV(
        detector,
        scoring="f1",
        response_method="decision_function",
        thresholds=np.unique(detector.decision_function(X_val)),
        cv="prefit",
        refit=False,
    ).fit(X_val, y_val)


def test_tuned_threshold_agrees_with_tuned_threshold_classifier_cv():
    X, y = iotid20_like(2000, seed=1)
    X_val, y_val = iotid20_like(1000, seed=2)
    detector = GaussianDetector().fit(X, y)
    fitted_log_epsilon = detector.log_epsilon_
    tuned = tuned_by_sklearn(detector, X_val, y_val)
    ours = clone(detector).fit(X, y).tune_threshold(X_val, y_val)
    assert ours.log_epsilon_ == pytest.approx(
        fitted_log_epsilon + tuned.best_threshold_, rel=1e-12
    )
    assert ours.threshold_f1_ == pytest.approx(tuned.best_score_)


def test_on_an_f1_tie_both_searches_reach_the_same_f1():
    # Validation scores 0, 1, 2, 3 with labels 1, 0, 0, 1: flagging only the
    # top flow and flagging all four both give F1 2/3. Ours keeps the higher
    # threshold (fewer flows flagged); TunedThresholdClassifierCV keeps the
    # first best it meets, the lower one.
    detector = GaussianDetector(log_epsilon=0.0).fit([[2.0], [4.0]], None)
    X_val, y_val = np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([1, 0, 0, 1])
    tuned = tuned_by_sklearn(detector, X_val, y_val)
    ours = detector.tune_threshold(X_val, y_val)
    assert ours.threshold_f1_ == pytest.approx(tuned.best_score_) == 2 / 3
    assert ours.predict(X_val).tolist() == [0, 0, 0, 1]
    assert tuned.predict(X_val).tolist() == [1, 1, 1, 1]


def test_works_in_pipeline_cross_validation_and_grid_search():
    X, y = iotid20_like(600)
    pipe = make_pipeline(FunctionTransformer(np.log1p), GaussianDetector())
    scores = cross_val_score(pipe, np.abs(X), y, cv=3, scoring="f1")
    assert scores.shape == (3,) and np.all(scores > 0.5)
    search = GridSearchCV(GaussianDetector(), {"var_floor": [1e-12, 1e-3]}, cv=3)
    assert search.fit(X, y).best_params_["var_floor"] in (1e-12, 1e-3)


def test_dataframe_fast_path_equals_array_path():
    X, y = iotid20_like(300)
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(9)])
    named = GaussianDetector().fit(frame, y)
    plain = GaussianDetector().fit(X, y)
    np.testing.assert_array_equal(named.score_samples(frame), plain.score_samples(X))
    with pytest.raises(ValueError, match="feature names"):
        named.score_samples(frame[frame.columns[::-1]])


def test_predict_one_agrees_with_predict():
    X, y = iotid20_like(300)
    names = [f"f{i}" for i in range(9)]
    detector = GaussianDetector().fit(pd.DataFrame(X, columns=names), y)
    expected = detector.predict(pd.DataFrame(X, columns=names))
    by_name = [detector.predict_one(dict(zip(names, row, strict=True))) for row in X]
    by_order = [detector.predict_one(row) for row in X.tolist()]
    np.testing.assert_array_equal(np.array(by_name, int), expected)
    np.testing.assert_array_equal(np.array(by_order, int), expected)


def test_predict_one_refuses_missing_feature_and_wrong_length():
    frame = pd.DataFrame(X_SIX, columns=["Flow_Duration", "Fwd_IAT_Tot"])
    detector = GaussianDetector().fit(frame, Y_SIX)
    with pytest.raises(ValueError, match="lacks feature 'Fwd_IAT_Tot'"):
        detector.predict_one({"Flow_Duration": 1.0})
    with pytest.raises(ValueError, match="has 3 values"):
        detector.predict_one([1.0, 2.0, 3.0])


def test_predict_one_reads_a_series_by_its_labels():
    frame = pd.DataFrame(X_SIX, columns=["Flow_Duration", "Fwd_IAT_Tot"])
    detector = GaussianDetector().fit(frame, Y_SIX)
    reordered = frame[["Fwd_IAT_Tot", "Flow_Duration"]]
    for i in range(len(frame)):
        assert detector.predict_one(reordered.iloc[i]) == bool(Y_SIX[i])
    with pytest.raises(ValueError, match="lacks feature 'Fwd_IAT_Tot'"):
        detector.predict_one(frame.iloc[0].drop("Fwd_IAT_Tot"))


@pytest.mark.parametrize(
    ("flow", "error", "match"),
    [
        (["2.0", 12.0], TypeError, "'2.0' of 'Flow_Duration' is not a number"),
        ([2.0, True], TypeError, "True of 'Fwd_IAT_Tot' is not a number"),
        ([np.bool_(True), 1.0], TypeError, "is not a number"),
        ("21", TypeError, "not text"),
        ([2.0, 10**400], ValueError, "inf of 'Fwd_IAT_Tot' is not finite"),
        ({"Flow_Duration": np.nan, "Fwd_IAT_Tot": 1.0}, ValueError, "not finite"),
    ],
)
def test_predict_one_refuses_what_is_not_a_number(flow, error, match):
    frame = pd.DataFrame(X_SIX, columns=["Flow_Duration", "Fwd_IAT_Tot"])
    detector = GaussianDetector().fit(frame, Y_SIX)
    with pytest.raises(error, match=match):
        detector.predict_one(flow)


def test_predict_one_takes_numpy_and_integer_values():
    detector = GaussianDetector().fit(X_SIX, Y_SIX)
    assert detector.predict_one([np.float32(2.0), np.int64(12)]) is True
    assert detector.predict_one(np.array([2, 12])) is True


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"var_floor": True}, "var_floor"),
        ({"var_floor": -1.0}, "var_floor"),
        ({"var_floor": np.inf}, "var_floor"),
        ({"var_floor": "1e-9"}, "var_floor"),
        ({"log_epsilon": np.nan}, "log_epsilon"),
        ({"log_epsilon": "x"}, "log_epsilon"),
        ({"log_epsilon": np.inf}, "log_epsilon"),
    ],
)
def test_bad_parameters_are_refused_in_fit(params, match):
    with pytest.raises(ValueError, match=match):
        GaussianDetector(**params).fit(X_SIX, Y_SIX)


def test_numpy_parameters_are_accepted():
    detector = GaussianDetector(var_floor=np.float32(1e-6), log_epsilon=np.float64(-3))
    assert detector.fit(X_SIX, Y_SIX).log_epsilon_ == -3.0


def test_no_rows_is_refused_on_every_path():
    frame = pd.DataFrame(X_SIX, columns=["a", "b"])
    named = GaussianDetector().fit(frame, Y_SIX)
    plain = GaussianDetector().fit(X_SIX, Y_SIX)
    with pytest.raises(ValueError, match="0 sample"):
        named.predict(frame.iloc[:0])
    with pytest.raises(ValueError, match="0 sample"):
        plain.predict(X_SIX[:0])


def test_binary_only():
    with pytest.raises(ValueError, match="Only binary classification"):
        GaussianDetector().fit(X_SIX, [0, 1, 2, 0, 1, 2])


# Every scikit-learn check passes; none is listed as an expected failure.
# The checks use labels such as 1/2 on purpose; the warning that draws is
# tested on its own above.
@pytest.mark.filterwarnings("ignore:y labels .* are not 0/1:UserWarning")
@parametrize_with_checks([GaussianDetector()])
def test_sklearn_compatible(estimator, check):
    check(estimator)


def test_a_flow_scores_the_same_alone_in_a_batch_and_one_at_a_time():
    X, y = iotid20_like(20_000)
    detector = GaussianDetector().fit(X, y)
    batch = detector.score_samples(X)
    alone = np.array([detector.score_samples(X[i : i + 1])[0] for i in (0, 8191, 8192)])
    np.testing.assert_array_equal(alone, batch[[0, 8191, 8192]])
    one_by_one = [detector.predict_one(row) for row in X[:2000].tolist()]
    np.testing.assert_array_equal(np.array(one_by_one, int), detector.predict(X[:2000]))


# ---------------------------------------------------------------- saving


@pytest.fixture
def saved(tmp_path):
    frame = pd.DataFrame(X_SIX, columns=["Flow_Duration", "Fwd_IAT_Tot"])
    detector = GaussianDetector().fit(frame, Y_SIX)
    return detector, detector.save(tmp_path / "model.json"), frame


def test_save_load_round_trip(saved):
    detector, path, frame = saved
    loaded = GaussianDetector.load(path)
    np.testing.assert_array_equal(loaded.means_, detector.means_)
    np.testing.assert_array_equal(loaded.variances_, detector.variances_)
    assert loaded.log_epsilon_ == detector.log_epsilon_
    np.testing.assert_array_equal(loaded.predict(frame), detector.predict(frame))
    assert list(loaded.feature_names_in_) == ["Flow_Duration", "Fwd_IAT_Tot"]
    assert loaded.n_train_rows_ == 3


@pytest.mark.parametrize("seed", range(30))
def test_round_trip_is_bit_exact(tmp_path, seed):
    # log10 epsilon is for people; the natural log predict uses is saved as
    # it is, since converting back from log10 can move it by one float step.
    X, y = iotid20_like(300, seed=seed)
    X_val, y_val = iotid20_like(100, seed=seed + 50)
    detector = GaussianDetector().fit(X, y).tune_threshold(X_val, y_val)
    loaded = GaussianDetector.load(detector.save(tmp_path / "m.json"))
    assert loaded.log_epsilon_ == detector.log_epsilon_
    np.testing.assert_array_equal(
        loaded.decision_function(X_val), detector.decision_function(X_val)
    )


def test_saved_file_is_readable_json(saved):
    _, path, _ = saved
    state = json.loads(path.read_text())
    assert state["format_version"] == 1
    assert state["feature_names"] == ["Flow_Duration", "Fwd_IAT_Tot"]
    assert state["means"] == [2.0, 12.0]
    assert not list(path.parent.glob("*.tmp*"))


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (lambda s: s.pop("variances"), "missing field.*variances"),
        (lambda s: s.update(extra=1), "unknown field.*extra"),
        (lambda s: s.update(format_version=99), "format_version 99"),
        (lambda s: s.update(variances=[1.0, 0.0]), "variances.*>= 2.2e-308"),
        (lambda s: s.update(variances=[1.0, -2.0]), "variances.*>= 2.2e-308"),
        (lambda s: s.update(variances=[1.0, 1e-320]), "variances.*>= 2.2e-308"),
        (lambda s: s.update(var_floor=-1.0), "var_floor.*>= 0"),
        (lambda s: s.update(classes=[1, 1]), "two distinct labels"),
        (lambda s: s.update(means=[1.0]), "'means' has 1 values"),
        (lambda s: s.update(feature_names=["a"]), "feature_names"),
        (lambda s: s.update(log10_epsilon="x"), "log10_epsilon.*number"),
        (lambda s: s.update(n_train_rows=0), "n_train_rows"),
        (lambda s: s.update(classes=[1]), "classes"),
        (lambda s: s.update(classes=[[0], [1]]), "classes"),
        (lambda s: s.update(classes=[None, {"a": 1}]), "classes"),
        (lambda s: s.update(classes=[0, "1"]), "both integers or both strings"),
        (lambda s: s.update(format_version=True), "format_version True"),
        (lambda s: s.update(format_version=1.0), "format_version 1.0"),
        (lambda s: s.update(package_version=1), "package_version"),
        (lambda s: s.update(log10_epsilon=-1.0), "disagree"),
        (lambda s: s.update(log_epsilon=None), "log_epsilon.*number"),
        (lambda s: s.update(means=[10**400, 1.0]), "means.*non-finite"),
        (lambda s: s.update(log_epsilon=10**400), "log_epsilon.*finite number"),
    ],
)
def test_load_refuses_a_broken_model(saved, edit, match):
    _, path, _ = saved
    state = json.loads(path.read_text())
    edit(state)
    path.write_text(json.dumps(state))
    with pytest.raises(ModelFileError, match=match):
        GaussianDetector.load(path)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ('{"means": [1, Infinity]', "not a JSON model file"),
        ("[1, 2]", "JSON object"),
        ('{"means": NaN}', "missing field"),
        ("[" * 100_000 + "]" * 100_000, "nested too deep"),
        ('{"means": [1], "means": [2]}', "'means' appears twice"),
    ],
)
def test_load_refuses_text_that_is_not_a_model(tmp_path, text, match):
    path = tmp_path / "model.json"
    path.write_text(text)
    with pytest.raises(ModelFileError, match=match):
        GaussianDetector.load(path)


def test_load_names_a_missing_file(tmp_path):
    with pytest.raises(ModelFileError, match="no such model file"):
        GaussianDetector.load(tmp_path / "absent.json")


def test_non_finite_means_are_refused(saved):
    _, path, _ = saved
    text = path.read_text().replace("2.0", "NaN", 1)
    path.write_text(text)
    with pytest.raises(ModelFileError, match="non-finite"):
        GaussianDetector.load(path)


def test_a_minus_infinity_threshold_flags_everything_without_nan(tmp_path):
    detector = GaussianDetector().fit(X_SIX, Y_SIX)
    detector.log_epsilon_ = -np.inf
    far = np.array([[1e200, 12.0], [2.0, 12.0]])
    assert np.isneginf(detector.score_samples(far)[0])
    np.testing.assert_array_equal(detector.decision_function(far), [np.inf, np.inf])
    np.testing.assert_array_equal(detector.predict(far), [1, 1])
    with pytest.raises(OutputError, match="log10_epsilon is not finite"):
        detector.save(tmp_path / "m.json")
