"""Detection scores with attack as the positive class."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import confusion_matrix

__all__ = ["detection_metrics"]


def detection_metrics(y_true, y_pred) -> dict[str, float]:
    """Precision, recall, F1, accuracy and specificity of attack predictions.

    Specificity, the share of normal flows left alone, is not in the paper's
    Table II; it is reported here because a detector that flags most flows
    can reach a high F1 when 80 % of the flows are attacks.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        1 for attack, 0 for normal.

    Returns
    -------
    dict
        Keys ``precision``, ``recall``, ``f1``, ``accuracy``, ``specificity``;
        a ratio with an empty denominator is reported as 0.0.
    """
    tn, fp, fn, tp = confusion_matrix(
        np.asarray(y_true), np.asarray(y_pred), labels=[0, 1]
    ).ravel()
    return {
        "precision": _ratio(tp, tp + fp),
        "recall": _ratio(tp, tp + fn),
        "f1": _ratio(2 * tp, 2 * tp + fp + fn),
        "accuracy": _ratio(tp + tn, tp + tn + fp + fn),
        "specificity": _ratio(tn, tn + fp),
    }


def _ratio(numerator, denominator) -> float:
    return float(numerator / denominator) if denominator else 0.0
