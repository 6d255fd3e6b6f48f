"""The 23 candidate features and their ranking by one-feature F1 (Section IV-A).

The paper starts from 23 features chosen in earlier work whose list is not
public, then keeps those whose one-feature Gaussian model reaches F1 >= 0.91.
:func:`candidate_features` derives 23 candidates by a stated rule;
:func:`rank_features` and :func:`select_features` do the paper's selection.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.feature_selection import f_classif

from mirai_gmm.detector import GaussianDetector
from mirai_gmm.schema import IDENTIFIERS

__all__ = [
    "CandidateReport",
    "candidate_features",
    "rank_features",
    "select_features",
]


@dataclass(frozen=True)
class CandidateReport:
    """Which features became candidates, and why the others did not.

    Attributes
    ----------
    kept : list of str
        The candidates, highest ANOVA F first.
    removed : dict of str to list of str
        Reason to columns: ``identifier``, ``constant``, ``duplicate``
        (equal to an earlier column on the training rows), ``low_anova_f``
        (outside the top `n_candidates`).
    duplicate_of : dict of str to str
        Each duplicate column and the earlier column it repeats.
    anova_f : dict of str to float
        ANOVA F statistic of each ranked column (attack against normal).
    """

    kept: list[str]
    removed: dict[str, list[str]]
    duplicate_of: dict[str, str] = field(default_factory=dict)
    anova_f: dict[str, float] = field(default_factory=dict)


def candidate_features(X_train, y_train, *, n_candidates: int = 23) -> CandidateReport:
    """Derive the candidate features from the training split.

    The rule, in order: drop identifiers; drop columns constant on the
    training rows; drop a column equal to an earlier one (CICFlowMeter
    writes several twice, e.g. ``Subflow_Fwd_Pkts`` and ``Tot_Fwd_Pkts``);
    keep the `n_candidates` columns with the largest ANOVA F statistic
    between attack and normal training rows
    (:func:`sklearn.feature_selection.f_classif`), ties by column order.

    Parameters
    ----------
    X_train : DataFrame of shape (n_samples, n_columns)
        Training features with their names.
    y_train : array-like of shape (n_samples,)
        1 for attack, 0 for normal.
    n_candidates : int, default=23
        How many to keep; fewer when fewer columns survive the first steps.

    Returns
    -------
    CandidateReport
    """
    if n_candidates < 1:
        raise ValueError(f"n_candidates must be >= 1; got {n_candidates}")
    columns = [c for c in X_train.columns if c not in IDENTIFIERS]
    removed = {"identifier": [c for c in X_train.columns if c in IDENTIFIERS]}
    removed["constant"] = [c for c in columns if X_train[c].nunique() <= 1]
    columns = [c for c in columns if c not in removed["constant"]]
    duplicate_of = _duplicate_columns(X_train[columns])
    removed["duplicate"] = list(duplicate_of)
    columns = [c for c in columns if c not in duplicate_of]

    f_stat, _ = f_classif(X_train[columns].to_numpy(np.float64), np.asarray(y_train))
    anova = pd.Series(np.nan_to_num(f_stat, nan=0.0), index=columns)
    order = anova.sort_values(ascending=False, kind="stable").index.tolist()
    removed["low_anova_f"] = order[n_candidates:]
    return CandidateReport(
        kept=order[:n_candidates],
        removed=removed,
        duplicate_of=duplicate_of,
        anova_f={c: float(v) for c, v in anova.items()},
    )


def _duplicate_columns(frame: pd.DataFrame) -> dict[str, str]:
    # Hash each column once, then confirm equal hashes value by value:
    # comparing every pair directly costs n_columns^2 passes.
    first_by_hash: dict[int, list[str]] = {}
    duplicate_of = {}
    for column in frame.columns:
        digest = int(pd.util.hash_pandas_object(frame[column], index=False).sum())
        earlier = first_by_hash.setdefault(digest, [])
        match = next((e for e in earlier if frame[e].equals(frame[column])), None)
        if match is None:
            earlier.append(column)
        else:
            duplicate_of[column] = match
    return duplicate_of


def rank_features(
    X_train, y_train, X_val, y_val, features, *, var_floor: float = 1e-9
) -> pd.DataFrame:
    """Rank features by the validation F1 of a one-feature Gaussian detector.

    For each feature a :class:`GaussianDetector` is fitted on that column
    of the attack training rows, and its threshold is set to the F1-best
    value on validation, as the paper does for the full model.

    Parameters
    ----------
    X_train, X_val : DataFrame
        Training and validation features with their names.
    y_train, y_val : array-like
        1 for attack, 0 for normal.
    features : sequence of str
        Columns to rank.
    var_floor : float, default=1e-9
        Variance floor of each one-feature detector, as in
        :class:`GaussianDetector`; use the value the final model uses.

    Returns
    -------
    DataFrame
        Columns ``feature``, ``f1``, ``precision``, ``recall``,
        ``log10_epsilon``; best F1 first, ties by the order of `features`.
    """
    rows = []
    for feature in features:
        detector = GaussianDetector(var_floor=var_floor)
        detector.fit(X_train[[feature]], y_train)
        detector.tune_threshold(X_val[[feature]], y_val)
        scores = detector.score_samples(X_val[[feature]])
        predicted = scores >= detector.log_epsilon_
        rows.append(
            {
                "feature": feature,
                "f1": detector.threshold_f1_,
                "precision": _share(np.asarray(y_val)[predicted] == 1),
                "recall": _share(predicted[np.asarray(y_val) == 1]),
                "log10_epsilon": detector.log10_epsilon,
            }
        )
    ranking = pd.DataFrame(
        rows, columns=["feature", "f1", "precision", "recall", "log10_epsilon"]
    )
    return ranking.sort_values("f1", ascending=False, kind="stable").reset_index(
        drop=True
    )


def _share(hits: np.ndarray) -> float:
    return float(hits.mean()) if hits.size else 0.0


def select_features(ranking: pd.DataFrame, *, min_f1: float = 0.91) -> list[str]:
    """Features whose one-feature F1 reaches `min_f1`, best first.

    When none does, the single best feature is returned with a warning, so
    that a run on unusual data still yields a model to inspect.

    Parameters
    ----------
    ranking : DataFrame
        Output of :func:`rank_features`.
    min_f1 : float, default=0.91
        The paper's cut-off.

    Returns
    -------
    list of str
    """
    selected = ranking.loc[ranking["f1"] >= min_f1, "feature"].tolist()
    if not selected:
        best = ranking.iloc[0]
        warnings.warn(
            f"no feature reaches F1 >= {min_f1}; keeping the best one, "
            f"{best['feature']} (F1 {best['f1']:.4f})",
            UserWarning,
            stacklevel=2,
        )
        selected = [best["feature"]]
    return selected
