"""Choosing the detection threshold epsilon (the paper's Section IV-B).

A flow is called an attack when its log density reaches ``log_epsilon``.
Between two neighbouring validation scores every threshold gives the same
predictions, so the F1-best threshold is found exactly among the scores
themselves; no grid is needed for the choice, only for the picture
(the paper's Fig. 3).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.metrics import precision_recall_curve

__all__ = ["ThresholdResult", "best_threshold", "f1_curve", "log_epsilon_grid"]


@dataclass(frozen=True)
class ThresholdResult:
    """The F1-best threshold on a labelled set, with the scores it reaches.

    Attributes
    ----------
    log_epsilon : float
        Natural log of epsilon: flows with ``log p(x) >= log_epsilon`` are attacks.
    f1, precision, recall : float
        Detection scores at that threshold, attack as the positive class.
    """

    log_epsilon: float
    f1: float
    precision: float
    recall: float

    @property
    def log10_epsilon(self) -> float:
        """Base-10 log of epsilon, the form the paper reports (1.1125e-28)."""
        return self.log_epsilon / np.log(10.0)


def _check_labelled_scores(y_true, scores) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(y_true)
    s = np.asarray(scores, dtype=np.float64)
    if y.ndim != 1 or s.ndim != 1 or y.shape != s.shape:
        raise ValueError(
            f"y_true and scores must be 1-D of equal length; got shapes "
            f"{y.shape} and {s.shape}"
        )
    if np.isnan(s).any() or np.isposinf(s).any():
        raise ValueError("scores hold NaN or +inf; a log density is a number or -inf")
    positive = y == 1
    if positive.all() or not positive.any():
        raise ValueError(
            "choosing a threshold needs both attack (1) and normal (0) rows; "
            f"got {int(positive.sum())} attack rows of {y.size}"
        )
    return positive, s


def best_threshold(y_true, scores) -> ThresholdResult:
    """Return the threshold on `scores` that maximises F1 of ``scores >= t``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        1 for attack flows, 0 for normal flows.
    scores : array-like of shape (n_samples,)
        Log densities, as from :meth:`GaussianDetector.score_samples`.
        ``-inf`` is allowed (a flow far from every mean); NaN is not.

    Returns
    -------
    ThresholdResult
        Among thresholds with equal F1 the largest is kept: it flags the
        fewest flows for the same score. scikit-learn's
        `TunedThresholdClassifierCV` keeps the first best one it meets, so
        on an exact F1 tie the two can choose different thresholds with
        the same F1.

    Notes
    -----
    :func:`sklearn.metrics.precision_recall_curve` lists precision and
    recall for every distinct score used as a threshold with the rule
    ``score >= threshold``, which is the paper's rule (Eq. 5) in log space.
    """
    positive, s = _check_labelled_scores(y_true, scores)
    # precision_recall_curve refuses infinities, and any finite stand-in for
    # -inf can collide with a real score near -1e16 or below. Only the order
    # of the scores matters, so the curve is run on their ranks and the
    # thresholds are mapped back to the scores themselves.
    distinct, rank = np.unique(s, return_inverse=True)
    _, _, rank_thresholds = precision_recall_curve(positive, rank)
    thresholds = distinct[rank_thresholds.astype(np.intp)]
    # F1 from whole counts, 2 tp / (2 tp + fp + fn): two thresholds with
    # the same F1 then get the same float, so the tie rule below holds.
    # Computed from precision and recall, they can differ in the last bit.
    tp, fp, fn = _counts(positive, s, thresholds)
    f1 = _f1(tp, fp, fn)
    best = len(f1) - 1 - int(np.argmax(f1[::-1]))
    flagged = tp[best] + fp[best]
    return ThresholdResult(
        log_epsilon=float(thresholds[best]),
        f1=float(f1[best]),
        precision=float(tp[best] / flagged) if flagged else 0.0,
        recall=float(tp[best] / (tp[best] + fn[best])),
    )


def _counts(positive: np.ndarray, s: np.ndarray, thresholds: np.ndarray):
    """True positives, false positives and false negatives of ``s >= t``."""
    attack = np.sort(s[positive])
    normal = np.sort(s[~positive])
    # Binary search keeps a 200-point curve over 100,000 flows at a few
    # milliseconds.
    tp = attack.size - np.searchsorted(attack, thresholds, side="left")
    fp = normal.size - np.searchsorted(normal, thresholds, side="left")
    return tp, fp, attack.size - tp


def _f1(tp, fp, fn) -> np.ndarray:
    denominator = 2 * tp + fp + fn
    return np.divide(
        2 * tp, denominator, out=np.zeros(np.shape(tp)), where=denominator > 0
    )


def f1_curve(y_true, scores, log_epsilons) -> np.ndarray:
    """F1 of the rule ``scores >= t`` for every threshold `t` in `log_epsilons`.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        1 for attack flows, 0 for normal flows.
    scores : array-like of shape (n_samples,)
        Log densities.
    log_epsilons : array-like of shape (n_thresholds,)
        Thresholds in natural log, in any order.

    Returns
    -------
    ndarray of shape (n_thresholds,)
        F1 per threshold; 0 where nothing is flagged.
    """
    positive, s = _check_labelled_scores(y_true, scores)
    thresholds = np.asarray(log_epsilons, dtype=np.float64)
    return _f1(*_counts(positive, s, thresholds))


def log_epsilon_grid(scores, num: int = 200) -> np.ndarray:
    """Evenly spaced natural-log thresholds spanning the finite `scores`.

    Even steps in log epsilon are the log-spaced epsilon grid of the
    paper's Fig. 3.
    """
    s = np.asarray(scores, dtype=np.float64)
    finite = s[np.isfinite(s)]
    if finite.size == 0:
        raise ValueError("scores hold no finite value to span")
    return np.linspace(finite.min(), finite.max(), num)
