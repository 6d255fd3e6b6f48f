"""Turn checked flow records into model inputs, counting every row dropped.

Three steps, in this order, each counted in the report:

1. ``out_of_scope_class``: with a ``Cat`` column, keep only Normal flows and
   flows of the positive class (Mirai by default), as the paper does;
2. ``non_finite``: drop flows with NaN or an infinity in any feature (the
   release has infinite ``Flow_Byts/s`` and ``Flow_Pkts/s``);
3. ``duplicate``: drop flows equal to an earlier one over every feature and
   label column, keeping the first.

Features are the release's flow features (`mirai_gmm.schema.FEATURES`) the
file has. Other columns, such as a row number a spreadsheet added, are
neither features nor compared for duplicates: a row number would make every
row unique and, ordered by class, would betray the class to the model. The
report lists them as ``ignored_columns``.

The raw file is never changed; the row index of the result still points at the
row of the file (counted from 0).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mirai_gmm.loading import DataError, RawFlows
from mirai_gmm.schema import FEATURES, IDENTIFIERS, LABELS

__all__ = ["CleanFlows", "PositiveClassError", "clean_flows"]

logger = logging.getLogger(__name__)

_IN_MEMORY = "<in-memory frame>"
_ANY_ATTACK = ("anomaly", "attack", "1")


class PositiveClassError(DataError):
    """The positive class asked for is not one the file can provide."""


@dataclass(frozen=True)
class CleanFlows:
    """Flows ready for a model: finite features, a binary target, a report.

    Attributes
    ----------
    features : pandas.DataFrame, shape (n_samples, n_features)
        float64 and finite. The release's flow features the file has, in
        file order; timings in microseconds as in the release.
    target : pandas.Series of int8, shape (n_samples,)
        1 for the positive (attack) class, 0 for Normal; same index.
    groups : pandas.Series of str, shape (n_samples,)
        ``Sub_Cat`` where the file has it, else ``Cat``, else ``'Normal'`` or
        ``'Attack'``; for stratifying and per-attack results.
    report : dict
        JSON-ready counts: ``rows_in``, ``rows_kept``, ``dropped`` (reason ->
        rows), ``rows_per_class_before``/``_after`` (Cat value, or
        Normal/Attack without Cat, -> rows), ``rows_per_group_after``,
        ``non_finite_by_column`` (in-scope rows with NaN/inf per column),
        ``positive`` (a sentence), ``positive_class``, ``variant``, ``path``,
        ``features``, ``ignored_columns`` (columns that are neither release
        features, identifiers nor labels).
        ``rows_in == rows_kept + sum(dropped.values())``.
    """

    features: pd.DataFrame
    target: pd.Series
    groups: pd.Series
    report: dict


def clean_flows(raw: RawFlows, *, positive: str | None = None) -> CleanFlows:
    """Select the classes, drop non-finite and duplicate flows, and count them.

    Parameters
    ----------
    raw : RawFlows
        Output of `mirai_gmm.loading.read_flows` or `flows_from_frame`.
    positive : str, optional
        The attack class to detect, a ``Cat`` value of the file (``'Mirai'``,
        ``'DoS'``, ...; case is ignored). Default: ``'Mirai'`` when the file has
        ``Cat``; otherwise every attack (``Label`` 1 or ``'Anomaly'``), the only
        choice such a file allows.

    Returns
    -------
    CleanFlows

    Raises
    ------
    DataError
        When `positive` is not a class of the file (the message lists those it
        holds), when the file has no numeric feature column, or when no
        positive or no Normal flow is left after cleaning.

    Examples
    --------
    >>> clean = clean_flows(read_flows("flows.csv"))  # doctest: +SKIP
    >>> clean.report["dropped"]  # doctest: +SKIP
    {'out_of_scope_class': 0, 'non_finite': 0, 'duplicate': 1708}
    """
    frame = raw.frame
    where = raw.path or _IN_MEMORY
    features = [name for name in frame.columns if name in FEATURES]
    ignored = [
        name
        for name in frame.columns
        if name not in FEATURES and name not in IDENTIFIERS and name not in LABELS
    ]
    if not features:
        raise DataError(
            f"{where}: no IoTID20 feature column to model (columns such as "
            "Flow_Duration or 'Flow Duration'); see data/README.md for the names"
        )
    if ignored:
        logger.info("%s: ignoring columns %s", where, ", ".join(ignored))
    classes, positive_class, description = _classes(raw, positive, where)
    is_positive = classes.eq(positive_class).to_numpy()
    is_normal = classes.eq("Normal").to_numpy()

    in_scope = is_positive | is_normal
    finite = np.ones(len(frame), dtype=bool)
    non_finite_by_column = {}
    for name in features:
        ok = np.isfinite(frame[name].to_numpy())
        bad = int((in_scope & ~ok).sum())
        if bad:
            non_finite_by_column[name] = bad
        finite &= ok
    candidate = in_scope & finite
    # Rows equal over these columns share Cat, Label and finiteness, so the
    # duplicates among candidates are the candidate rows of this mask.
    compared = [name for name in frame.columns if name in FEATURES or name in LABELS]
    duplicate = _duplicated(frame, compared) & candidate
    kept = candidate & ~duplicate

    dropped = {
        "out_of_scope_class": int((~in_scope).sum()),
        "non_finite": int((in_scope & ~finite).sum()),
        "duplicate": int(duplicate.sum()),
    }
    n_positive, n_normal = int(is_positive[kept].sum()), int(is_normal[kept].sum())
    if n_positive == 0 or n_normal == 0:
        missing = positive_class if n_positive == 0 else "Normal"
        counts = ", ".join(f"{n} {reason}" for reason, n in dropped.items())
        raise DataError(
            f"{where}: no {missing} rows left after cleaning ({len(frame)} rows in; "
            f"dropped {counts})"
        )

    index = frame.index[kept]
    target = pd.Series(is_positive[kept].astype("int8"), index=index, name="target")
    named = [name for name in ("Cat", "Sub_Cat") if name in frame.columns]
    groups = _groups(frame.loc[index, named], target)
    report = {
        "rows_in": len(frame),
        "rows_kept": int(kept.sum()),
        "dropped": dropped,
        "rows_per_class_before": _counts(classes),
        "rows_per_class_after": _counts(classes[kept]),
        "rows_per_group_after": _counts(groups),
        "non_finite_by_column": non_finite_by_column,
        "positive": description,
        "positive_class": positive_class,
        "variant": raw.variant,
        "path": raw.path,
        "features": features,
        "ignored_columns": ignored,
    }
    logger.info("%s: kept %d of %d rows", where, report["rows_kept"], len(frame))
    return CleanFlows(
        features=frame.loc[index, features],
        target=target,
        groups=groups,
        report=report,
    )


def _classes(
    raw: RawFlows, positive: str | None, where: str
) -> tuple[pd.Series, str, str]:
    """Return each row's class, the positive class and a sentence about it.

    The class is ``Cat`` when the file has it, else ``'Normal'``/``'Attack'``
    from ``Label``.
    """
    frame = raw.frame
    if raw.has_cat:
        classes = frame["Cat"].fillna("<missing>")
        # 'normal' or 'NORMAL' is Normal, as 'mirai' is Mirai below.
        classes = classes.where(classes.str.casefold() != "normal", "Normal")
        held = sorted(str(value) for value in classes.unique())
        wanted = "Mirai" if positive is None else str(positive).strip()
        matches = [value for value in held if value.casefold() == wanted.casefold()]
        if wanted.casefold() == "normal":
            raise PositiveClassError(
                f"{where}: the positive class must be an attack, not Normal"
            )
        if not matches:
            raise PositiveClassError(
                f"{where}: positive class {wanted!r} is not a Cat value of this "
                f"file; it holds {', '.join(held)}"
            )
        return classes, matches[0], f"Cat == {matches[0]!r}"

    label = frame["Label"]
    binary = pd.api.types.is_integer_dtype(label)
    attack = label.eq(1) if binary else label.eq("Anomaly")
    classes = pd.Series(np.where(attack, "Attack", "Normal"), index=frame.index)
    if positive is not None and str(positive).strip().casefold() not in _ANY_ATTACK:
        raise PositiveClassError(
            f"{where}: positive class {positive!r} needs a Cat column, which this "
            "file lacks; its Label holds only Normal and Anomaly, so leave the "
            "positive class unset"
        )
    value = "Label == 1" if binary else "Label == 'Anomaly'"
    return classes, "Attack", f"{value} (any attack; the file has no Cat)"


def _duplicated(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """Mark rows equal to an earlier row over `columns`, like `DataFrame.duplicated`.

    `DataFrame.duplicated` factorises every column: 15 s and 400 MB on the full
    release. Hashing each row to 64 bits takes a second; the rows whose hash
    repeats are then compared with the first row of that hash, column by
    column, so the result stays exact. A hash collision (never seen, odds about
    1e-8 on the full release) falls back to `DataFrame.duplicated`.
    """
    row_hash = np.zeros(len(frame), dtype=np.uint64)
    for name in columns:
        column = frame[name]
        if pd.api.types.is_float_dtype(column):
            # + 0.0 turns -0.0 into 0.0: equal values must hash alike.
            column = column + 0.0
        with np.errstate(over="ignore"):
            row_hash = row_hash * np.uint64(0x100000001B3) ^ _hash(column)
    codes, uniques = pd.factorize(row_hash)
    first = np.full(len(uniques), len(frame), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(frame)))
    later = np.flatnonzero(first[codes] != np.arange(len(frame)))
    earlier = first[codes[later]]
    for name in columns:
        values = frame[name].to_numpy()
        same = values[later] == values[earlier]
        same |= pd.isna(values[later]) & pd.isna(values[earlier])
        if not same.all():
            logger.debug("row hash collision in %r; comparing rows exactly", name)
            return frame[columns].duplicated(keep="first").to_numpy()
    duplicate = np.zeros(len(frame), dtype=bool)
    duplicate[later] = True
    return duplicate


def _hash(column: pd.Series) -> np.ndarray:
    """64-bit hash of each value of a column."""
    return pd.util.hash_pandas_object(column, index=False).to_numpy()


def _groups(frame: pd.DataFrame, target: pd.Series) -> pd.Series:
    """``Sub_Cat`` where known, else ``Cat``, else Normal/Attack."""
    groups = pd.Series(
        np.where(target.to_numpy() == 1, "Attack", "Normal"), index=target.index
    )
    for name in ("Cat", "Sub_Cat"):
        if name in frame.columns:
            known = frame[name].notna()
            groups = groups.where(~known, frame[name])
    return groups.astype("str").rename("group")


def _counts(values: pd.Series) -> dict[str, int]:
    """Rows per value, largest first, as plain ints."""
    return {str(key): int(n) for key, n in values.value_counts().items()}
