"""The fit procedure of the paper, shared by ``mirai-gmm fit`` and the notebooks.

Split the cleaned flows, choose features on the training and validation
splits, fit the Gaussian detector on the attack flows of the training split,
choose the threshold on the validation split and score the test split once.
Each step is a function of its own module; this one only chains them, so the
command line and the notebooks cannot drift apart.
"""

from __future__ import annotations

import logging
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from mirai_gmm.detector import GaussianDetector
from mirai_gmm.evaluation import detection_metrics
from mirai_gmm.ranking import candidate_features, rank_features, select_features
from mirai_gmm.splits import split_flows

__all__ = ["FitResult", "fit_pipeline"]

logger = logging.getLogger(__name__)


@dataclass
class FitResult:
    """What `fit_pipeline` produced.

    Attributes
    ----------
    detector : GaussianDetector
        Fitted on the selected features, threshold set.
    splits : dict
        ``{"train" | "val" | "test": (X, y)}`` as returned by `split_flows`.
    candidates : CandidateReport or None
        Features kept and removed before ranking; None when `features` was given.
    ranking : pandas.DataFrame or None
        One-feature validation F1 per candidate (columns feature, f1,
        log_epsilon); None when `features` was given.
    selected : list of str
        Features the detector uses, in ranking order (or as given).
    val_f1 : float
        F1 of the detector on the validation split at its threshold.
    test_metrics : dict
        `detection_metrics` on the test split.
    """

    detector: GaussianDetector
    splits: dict
    candidates: object | None
    ranking: pd.DataFrame | None
    selected: list[str]
    val_f1: float
    test_metrics: dict = field(default_factory=dict)


def fit_pipeline(
    clean,
    *,
    seed: int = 0,
    fractions: Sequence[float] = (0.6, 0.2, 0.2),
    min_f1: float = 0.91,
    n_candidates: int = 23,
    features: Sequence[str] | None = None,
    log10_epsilon: float | None = None,
    progress: bool = False,
) -> FitResult:
    """Select features and threshold as the paper does, and evaluate once on test.

    Parameters
    ----------
    clean : CleanFlows
        Output of `mirai_gmm.cleaning.clean_flows`.
    seed : int, default 0
        Seed of the stratified split.
    fractions : sequence of 3 floats, default (0.6, 0.2, 0.2)
        Train, validation and test shares.
    min_f1 : float, default 0.91
        A candidate is selected when its one-feature validation F1 reaches this.
    n_candidates : int, default 23
        How many features survive the pre-filter before ranking.
    features : sequence of str, optional
        Use these features and skip the selection.
    log10_epsilon : float, optional
        Use this threshold (base-10 log of the density) instead of tuning it on
        the validation split.
    progress : bool, default False
        Show a progress bar of the steps on stderr.

    Returns
    -------
    FitResult
    """
    steps = ["split", "features", "fit", "threshold", "test"]
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(steps), desc="fit", unit="step", file=sys.stderr)
        bar.set_postfix_str(steps[0])

    def done(step: str) -> None:
        logger.info("pipeline step done: %s", step)
        if bar is not None:
            following = steps.index(step) + 1
            if following < len(steps):
                bar.set_postfix_str(steps[following])  # the step now running
            bar.update()

    try:
        splits = split_flows(clean, fractions=tuple(fractions), seed=seed)
        X_train, y_train = splits["train"]
        X_val, y_val = splits["val"]
        X_test, y_test = splits["test"]
        done("split")

        candidates = ranking = None
        if features is None:
            candidates = candidate_features(X_train, y_train, n_candidates=n_candidates)
            ranking = rank_features(X_train, y_train, X_val, y_val, candidates.kept)
            selected = list(select_features(ranking, min_f1=min_f1))
        else:
            selected = list(features)
        done("features")

        log_epsilon = None
        if log10_epsilon is not None:
            log_epsilon = log10_epsilon * math.log(10)
        detector = GaussianDetector(log_epsilon=log_epsilon)
        detector.fit(X_train[selected], y_train)
        done("fit")

        if log10_epsilon is None:
            detector.tune_threshold(X_val[selected], y_val)
        val_f1 = detection_metrics(y_val, detector.predict(X_val[selected]))["f1"]
        done("threshold")

        test_metrics = detection_metrics(y_test, detector.predict(X_test[selected]))
        done("test")
    finally:
        if bar is not None:
            bar.close()

    return FitResult(
        detector=detector,
        splits=splits,
        candidates=candidates,
        ranking=ranking,
        selected=selected,
        val_f1=float(val_f1),
        test_metrics=test_metrics,
    )
