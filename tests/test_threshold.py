"""The threshold search against brute force, and the F1 curve."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import f1_score

from mirai_gmm.threshold import best_threshold, f1_curve, log_epsilon_grid


def brute_force(y, scores):
    """Best F1 of `scores >= t` over every distinct score, largest t on ties."""
    best_f1, best_t = -1.0, None
    for t in np.unique(scores):
        f1 = f1_score(y, (scores >= t).astype(int), zero_division=0.0)
        if f1 >= best_f1:
            best_f1, best_t = f1, t
    return best_t, best_f1


def test_six_flows_by_hand():
    y = np.array([0, 0, 1, 1, 0, 1])
    scores = np.array([-9.0, -8.0, -3.0, -2.0, -2.5, -1.0])
    result = best_threshold(y, scores)
    # t = -3 flags the three attacks and one normal flow: F1 = 6 / 7.
    assert result.log_epsilon == -3.0
    assert result.f1 == pytest.approx(6 / 7)
    assert result.precision == pytest.approx(3 / 4)
    assert result.recall == 1.0


labelled_scores = st.integers(2, 40).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 1), min_size=n, max_size=n).filter(
            lambda y: 0 < sum(y) < len(y)
        ),
        st.lists(st.integers(-30, 5).map(float), min_size=n, max_size=n),
    )
)


# Scores as low as real ones get: a floored variance of 1e-9 puts a flow
# 1e4 away from the mean near -5e16, and an overflow gives -inf.
extreme_scores = st.integers(2, 30).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 1), min_size=n, max_size=n).filter(
            lambda y: 0 < sum(y) < len(y)
        ),
        st.lists(
            st.sampled_from([-np.inf, -1e300, -1e20, -5e16, -5e16 + 8.0, -3.0, 0.0]),
            min_size=n,
            max_size=n,
        ),
    )
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(labelled_scores, extreme_scores))
def test_matches_brute_force(data):
    y, scores = map(np.asarray, data)
    expected_t, expected_f1 = brute_force(y, scores)
    result = best_threshold(y, scores)
    assert result.f1 == pytest.approx(expected_f1)
    assert result.log_epsilon == expected_t


def test_a_very_low_score_is_not_taken_for_minus_infinity():
    result = best_threshold([1, 0], [-1e20, -np.inf])
    assert result.log_epsilon == -1e20
    assert result.f1 == 1.0


@settings(max_examples=100, deadline=None)
@given(labelled_scores)
def test_curve_matches_sklearn_f1(data):
    y, scores = map(np.asarray, data)
    grid = np.array([-40.0, -10.5, -3.0, 0.0, 2.5, 10.0])
    expected = [f1_score(y, (scores >= t).astype(int), zero_division=0.0) for t in grid]
    np.testing.assert_allclose(f1_curve(y, scores, grid), expected)


def test_curve_peak_is_the_best_threshold():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 500)
    scores = rng.normal(size=500) + 1.5 * y
    result = best_threshold(y, scores)
    curve = f1_curve(y, scores, np.sort(scores))
    assert curve.max() == pytest.approx(result.f1)


def test_minus_infinity_scores_are_allowed():
    y = np.array([1, 1, 0, 0])
    scores = np.array([-1.0, -2.0, -np.inf, -np.inf])
    assert best_threshold(y, scores).log_epsilon == -2.0


@pytest.mark.parametrize(
    ("y", "scores", "match"),
    [
        ([1, 1], [0.0, 1.0], "both attack"),
        ([0, 0], [0.0, 1.0], "both attack"),
        ([0, 1], [0.0, np.nan], "NaN"),
        ([0, 1, 1], [0.0, 1.0], "equal length"),
    ],
)
def test_refuses_unusable_input(y, scores, match):
    with pytest.raises(ValueError, match=match):
        best_threshold(y, scores)


def test_log10_epsilon_converts_the_natural_log():
    result = best_threshold([0, 1], [np.log(1e-28) - 1, np.log(1e-28)])
    assert result.log10_epsilon == pytest.approx(-28.0)


def test_grid_spans_finite_scores():
    grid = log_epsilon_grid([-np.inf, -50.0, -3.0, -10.0], num=5)
    assert grid[0] == -50.0 and grid[-1] == -3.0 and len(grid) == 5
