"""Train, validation and test splits (the paper's 60/20/20)."""

from __future__ import annotations

import math

from sklearn.model_selection import train_test_split

__all__ = ["SPLIT_NAMES", "split_flows"]

SPLIT_NAMES = ("train", "val", "test")


def split_flows(clean, *, fractions=(0.6, 0.2, 0.2), seed: int = 0) -> dict:
    """Split cleaned flows into train, validation and test sets.

    Splits are stratified by the target so that each holds the same share
    of attack flows. Exact duplicates must already be gone (cleaning does
    it): a flow repeated across splits would be scored on a copy of itself.

    Parameters
    ----------
    clean : CleanFlows
        Output of :func:`mirai_gmm.cleaning.clean_flows`.
    fractions : tuple of 3 floats, default=(0.6, 0.2, 0.2)
        Shares of train, validation and test; positive, summing to 1.
    seed : int, default=0
        Seed of the shuffle.

    Returns
    -------
    dict
        ``{"train": (X, y), "val": (X, y), "test": (X, y)}`` with the
        original row index kept, so ``clean.groups.loc[X.index]`` works.
    """
    train_share, val_share, test_share = _checked(fractions)
    X, y = clean.features, clean.target
    X_rest, X_test, y_rest, y_test = train_test_split(
        X, y, test_size=test_share, stratify=y, random_state=seed
    )
    X_train, X_val, y_train, y_val = train_test_split(
        X_rest,
        y_rest,
        test_size=val_share / (train_share + val_share),
        stratify=y_rest,
        random_state=seed,
    )
    return {
        "train": (X_train, y_train),
        "val": (X_val, y_val),
        "test": (X_test, y_test),
    }


def _checked(fractions) -> tuple[float, float, float]:
    values = tuple(float(f) for f in fractions)
    if len(values) != 3 or min(values) <= 0 or not math.isclose(sum(values), 1.0):
        raise ValueError(
            "fractions must be three positive shares (train, val, test) summing "
            f"to 1; got {tuple(fractions)}"
        )
    return values
