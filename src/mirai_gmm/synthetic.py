"""A seeded synthetic stand-in for IoTID20, in the official release format.

The data in this module are synthetic. No row comes from a capture: every value
is drawn from a few published summary figures (see :mod:`mirai_gmm.facts`), so
the pipeline, the notebooks and the tests can run end to end without the
official file, which is not redistributed here. Results obtained on it say
nothing about Mirai traffic; they only show that the code runs and behaves.

Format
------
A frame made by `make_synthetic` has the 86 columns of
``IoT Network Intrusion Dataset.csv`` in release order
(:data:`mirai_gmm.schema.OFFICIAL_COLUMNS`), string ``Label`` (``Normal`` or
``Anomaly``), ``Cat`` and ``Sub_Cat`` spelled as released (including
``Mirai-Hostbruteforceg``), and identifiers shaped like the release's:
``Flow_ID`` as ``'synthetic-192.168.0.13-192.168.0.16-10000-10101-17'`` (the
mark `mirai_gmm.schema.SYNTHETIC_MARK`, by which the loader knows a synthetic
file, then as released: the lower address first, its port, the other port, the
protocol), dotted IPv4 addresses,
integer ports and ``Timestamp`` as ``'25/07/2019 03:25:53 AM'``. Columns the
release writes as integers are int64, the others float64.

How the features are made
-------------------------
Each numeric column of each row is ``Q(u)``: a value ``u`` in [0, 1] pushed
through an inverse distribution function ``Q`` built from published figures.

* ``Q`` is piecewise linear through (min, 25 %, 50 %, 75 %, max) of the column
  below the 75 % point. Above it, ``Q`` rises as ``t ** gamma`` towards the
  maximum, with ``gamma`` chosen so that the mean of ``Q`` equals the published
  mean. Flow features have long tails (a maximum of 99,984 over a 75 % point
  of 221) and a straight line would inflate means by an order of magnitude.
  When no ``gamma`` of at least 1 fits, the tail is a straight line (the
  sample's mean then falls short of the published one) or hugs the 75 % point
  (the sample's mean then exceeds it).
  Where the published quartiles are 0 (most timing columns), a quarter or
  more of the values come out exactly 0, as in the release.
* Normal rows use the ``Normal`` side of the 1 % sample
  (``describe_1pct_by_label.csv``); attack rows use its ``Anomaly`` side, which
  pools Mirai, DoS, Scan and MITM flows because that sample has no ``Cat``.
  The 52 feature columns absent from the 1 % sample (33 once constants and
  copies are set aside) use the statistics of the full release
  (``describe_full_all_classes.csv``), which pool every class: on those
  columns Normal and attack rows share one distribution.
* Flag columns (values 0 or 1) are 1 with the published mean as probability.
  ``Protocol`` is 0, 6 or 17 with probabilities solved from its published mean
  (0 is given a share of 0.05 %, an invented figure; its minimum says it
  occurs). Columns constant in the release stay constant.
* Columns that the release shows with statistics identical to another column
  (``Subflow_Fwd_Pkts`` and ``Tot_Fwd_Pkts``, ``PSH_Flag_Cnt`` and
  ``Bwd_PSH_Flags``, ...) are copies of it, and ``Pkt_Len_Var`` is the square
  of ``Pkt_Len_Std``, as CICFlowMeter computes them.
* Columns whose release values are whole numbers are rounded to whole numbers;
  other floats to 6 decimals, as printed in the release.

Invented structure
------------------
The following is not measured; it is added so that there is something to
learn and so that features are not independent:

* The ``u`` of different columns of one row are tied: each row has one shared
  rank, and each of its columns takes that rank with probability
  ``_SHARED_RANK`` (its own uniform draw otherwise), so that large flows tend
  to be large on every column (rank correlation about 0.25 between two
  columns within a class).
* The four Mirai sub-categories differ. For each column, [0, 1] is cut into
  four intervals whose lengths are the sub-categories' shares of Mirai, in an
  order fixed per column. With probability ``_SUBCAT_PULL`` a Mirai row draws
  its ``u`` inside its sub-category's interval, otherwise anywhere. Pooled
  over Mirai, ``u`` stays uniform, so all Mirai rows together still follow the
  published attack figures, while each sub-category has its own shifted
  distribution. DoS, Scan and MITM rows (``classes="all"``) get no such shift.

Release defects reproduced
--------------------------
* Exact duplicate rows (equal on every non-identifier column): each class
  keeps, after ``drop_duplicates``, the share of rows the release keeps
  (Mirai 281,102 of 415,677, Normal 38,598 of 40,073, ...), about 26 % of rows
  being duplicates over the full release. Duplicates get their own
  identifiers.
* A few infinite ``Flow_Byts/s`` and ``Flow_Pkts/s`` values (share
  ``_INFINITE_SHARE`` of rows, an invented figure: the release only shows that
  they exist), on rows whose ``Flow_Duration`` is 0.

What it does not reproduce
--------------------------
* Dependence between columns other than the shared rank, the Mirai
  shifts and the exact copies above. Physical relations do not hold:
  ``Fwd_Pkt_Len_Min`` may exceed ``Fwd_Pkt_Len_Max``, byte counts do not
  match packet counts, rates do not equal counts over duration.
* Shapes beyond five quantiles and a mean: the spikes the real data has at
  particular values (packet sizes of 1,388 or 1,430 bytes) are smeared
  between quartiles; standard deviations are not matched.
* Differences between Mirai and the other attacks on the columns of the 1 %
  sample, and any difference between Normal and attack rows on the columns
  that only the pooled statistics describe (beyond the Mirai shifts).
* Traffic in time: timestamps are uniform over the capture window, addresses
  and ports do not follow sessions.
"""

from __future__ import annotations

import gzip
import io
import logging
import math
import os
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from mirai_gmm.atomic import atomic_path
from mirai_gmm.facts import (
    CLASS_COUNTS,
    DEDUPLICATED_COUNTS,
    DESCRIBE_1PCT_BY_LABEL,
    DESCRIBE_FULL,
    DESCRIBE_STATS,
    OFFICIAL_ROWS,
    PAPER,
)
from mirai_gmm.schema import FEATURES, OFFICIAL_COLUMNS, SYNTHETIC_MARK

__all__ = [
    "CLASSES",
    "DEFAULT_ROWS",
    "INTEGER_COLUMNS",
    "MIRAI_SUBCATS",
    "SYNTHETIC_NAME",
    "make_synthetic",
    "write_synthetic",
]

logger = logging.getLogger(__name__)

#: Rows of the default sample: the size of the paper's Normal + Mirai subset.
DEFAULT_ROWS: int = PAPER["subset_rows"]  # type: ignore[assignment]

#: Name of the default sample (seed 0), for banners and metrics.json.
SYNTHETIC_NAME = "IoTID20-synthetic (seed 0)"

#: Accepted values of ``classes``: "mirai" (Normal + Mirai, the paper's
#: subset) or "all" (every class, in release proportions).
CLASSES = ("mirai", "all")

#: The four Mirai sub-categories, spelled as released, largest first.
MIRAI_SUBCATS = (
    "Mirai-UDP Flooding",
    "Mirai-Hostbruteforceg",
    "Mirai-HTTP Flooding",
    "Mirai-Ackflooding",
)

# Sub_Cat -> Cat, as in the release (class_counts_full.csv names both levels).
_CAT_OF = {
    "Normal": "Normal",
    **{name: "Mirai" for name in MIRAI_SUBCATS},
    "DoS-Synflooding": "DoS",
    "Scan Port OS": "Scan",
    "Scan Hostport": "Scan",
    "MITM ARP Spoofing": "MITM ARP Spoofing",
}
_SUBCATS = tuple(_CAT_OF)  # row codes index this tuple; Normal is code 0

# Source: iotid20_head5_official.csv -- columns the release writes without a
# decimal point (checked on its five rows; all are counts, flags, ports or
# window sizes).
INTEGER_COLUMNS = frozenset(
    {
        "Src_Port",
        "Dst_Port",
        "Protocol",
        "Flow_Duration",
        "Tot_Fwd_Pkts",
        "Tot_Bwd_Pkts",
        "Fwd_PSH_Flags",
        "Bwd_PSH_Flags",
        "Fwd_URG_Flags",
        "Bwd_URG_Flags",
        "Fwd_Header_Len",
        "Bwd_Header_Len",
        "FIN_Flag_Cnt",
        "SYN_Flag_Cnt",
        "RST_Flag_Cnt",
        "PSH_Flag_Cnt",
        "ACK_Flag_Cnt",
        "URG_Flag_Cnt",
        "CWE_Flag_Count",
        "ECE_Flag_Cnt",
        "Fwd_Byts/b_Avg",
        "Fwd_Pkts/b_Avg",
        "Fwd_Blk_Rate_Avg",
        "Bwd_Byts/b_Avg",
        "Bwd_Pkts/b_Avg",
        "Bwd_Blk_Rate_Avg",
        "Subflow_Fwd_Pkts",
        "Subflow_Fwd_Byts",
        "Subflow_Bwd_Pkts",
        "Subflow_Bwd_Byts",
        "Init_Fwd_Win_Byts",
        "Init_Bwd_Win_Byts",
        "Fwd_Act_Data_Pkts",
        "Fwd_Seg_Size_Min",
    }
)

# Float columns whose values are whole numbers in the release: byte totals,
# single packet lengths and single gaps in microseconds (head5 rows and the
# whole-valued quantiles of describe_full_all_classes.csv). Means, standard
# deviations and rates are not.
_WHOLE_FLOAT_COLUMNS = frozenset(
    {
        "TotLen_Fwd_Pkts",
        "TotLen_Bwd_Pkts",
        "Fwd_Pkt_Len_Max",
        "Fwd_Pkt_Len_Min",
        "Bwd_Pkt_Len_Max",
        "Bwd_Pkt_Len_Min",
        "Flow_IAT_Max",
        "Flow_IAT_Min",
        "Fwd_IAT_Tot",
        "Fwd_IAT_Max",
        "Fwd_IAT_Min",
        "Bwd_IAT_Tot",
        "Bwd_IAT_Max",
        "Bwd_IAT_Min",
        "Pkt_Len_Min",
        "Pkt_Len_Max",
        "Down/Up_Ratio",
        "Active_Max",
        "Active_Min",
        "Idle_Max",
        "Idle_Min",
    }
)

# Columns that describe_full_all_classes.csv shows with exactly the statistics
# of another column: CICFlowMeter writes the same quantity twice. Copying keeps
# that redundancy, which feature selection has to notice.
_COPIES = {
    "Subflow_Fwd_Pkts": "Tot_Fwd_Pkts",
    "Subflow_Fwd_Byts": "TotLen_Fwd_Pkts",
    "Subflow_Bwd_Pkts": "Tot_Bwd_Pkts",
    "Subflow_Bwd_Byts": "TotLen_Bwd_Pkts",
    "Fwd_Seg_Size_Avg": "Fwd_Pkt_Len_Mean",
    "Bwd_Seg_Size_Avg": "Bwd_Pkt_Len_Mean",
    "PSH_Flag_Cnt": "Bwd_PSH_Flags",
    "URG_Flag_Cnt": "Bwd_URG_Flags",
}

# Invented: probability that a column of a row takes the row's shared rank
# instead of its own; the rank correlation of two columns is its square, 0.25.
_SHARED_RANK = 0.5
# Invented: probability that a Mirai row draws u inside its sub-category's
# interval of a column; 0 would make the four sub-categories identical.
_SUBCAT_PULL = 0.6
# Invented: share of rows given an infinite Flow_Byts/s and Flow_Pkts/s.
_INFINITE_SHARE = 0.0005
# Invented: share of Protocol 0 (the release's minimum is 0, its share unknown).
_PROTOCOL_ZERO_SHARE = 0.0005
# Fixed seed of the invented structure (interval order per column, external
# addresses): the same for every `seed`, so that seeds give samples of one
# distribution rather than different distributions.
_STRUCTURE_SEED = 2020
# Bounds on the exponent of the upper tail of Q (1 is a straight line).
_GAMMA_MAX = 1000.0
# Capture window of the timestamps; the head5 rows fall between 26 May and
# 10 September 2019.
_FIRST_DAY = "2019-05-20"
_N_DAYS = 119

# Source: iotid20_head5_official.csv -- testbed addresses seen in its rows.
# Their weights and the share of flows between two testbed devices are
# invented.
_LOCAL_ADDRESSES = ("192.168.0.13", "192.168.0.16", "192.168.0.1", "192.168.0.24")
_LOCAL_WEIGHTS = (0.7, 0.15, 0.1, 0.05)
_LOCAL_PEER_SHARE = 0.6

_STAT = {name: i for i, name in enumerate(DESCRIBE_STATS)}

# Keys of the random streams: each purpose draws from its own generator so
# that changing one part leaves the others' draws unchanged.
_STREAM_ORDER, _STREAM_SHARED, _STREAM_DUPLICATES = 1, 2, 3
_STREAM_INFINITE, _STREAM_ADDRESSES, _STREAM_TIME = 4, 5, 6
_STREAM_COLUMN = 1000  # + index of the column in OFFICIAL_COLUMNS


def _rng(seed: int, stream: int) -> np.random.Generator:
    """Independent generator for one purpose (`stream`) of one `seed`."""
    return np.random.default_rng([seed, stream])


def _stats(side: str, column: str) -> tuple[float, ...]:
    """Statistics of `column` for Normal or Anomaly rows, best source first."""
    by_label = DESCRIBE_1PCT_BY_LABEL[side]
    return by_label[column] if column in by_label else DESCRIBE_FULL[column]


def _tail_exponent(stats: tuple[float, ...]) -> float:
    """Exponent of the upper quarter of Q that makes its mean the published one.

    Below the 75 % point Q is linear between quartiles, so its contribution to
    the mean is known; above it Q = q75 + (max - q75) * t ** gamma, whose mean
    is q75 + (max - q75) / (gamma + 1). Solving for the published mean gives
    gamma, kept within [1, _GAMMA_MAX].
    """
    mean = stats[_STAT["mean"]]
    q0, q25, q50, q75, q100 = (
        stats[_STAT[k]] for k in ("min", "25%", "50%", "75%", "max")
    )
    if not math.isfinite(mean) or q100 <= q75:
        return 1.0
    lower = 0.25 * ((q0 + q25) / 2 + (q25 + q50) / 2 + (q50 + q75) / 2)
    top_mean = (mean - lower) / 0.25
    if top_mean <= q75:
        return _GAMMA_MAX
    return float(np.clip((q100 - q75) / (top_mean - q75) - 1.0, 1.0, _GAMMA_MAX))


def _inverse_cdf(column: str, stats: tuple[float, ...], u: np.ndarray) -> np.ndarray:
    """Map uniform `u` to values of `column` with the given statistics."""
    q = [stats[_STAT[k]] for k in ("min", "25%", "50%", "75%", "max")]
    mean = stats[_STAT["mean"]]
    if column == "Protocol":
        p17 = (mean - 6.0 * (1.0 - _PROTOCOL_ZERO_SHARE)) / 11.0
        cuts = [_PROTOCOL_ZERO_SHARE, 1.0 - p17]
        return np.array([0.0, 6.0, 17.0])[np.searchsorted(cuts, u, side="right")]
    if q[0] == 0.0 and q[4] == 1.0 and column in INTEGER_COLUMNS:
        return (u >= 1.0 - mean).astype(np.float64)  # a flag, 1 with p = mean
    values = np.interp(u, [0.0, 0.25, 0.5, 0.75], q[:4])
    upper = u > 0.75
    t = (u[upper] - 0.75) / 0.25
    values[upper] = q[3] + (q[4] - q[3]) * t ** _tail_exponent(stats)
    return values


def _finish(column: str, values: np.ndarray) -> np.ndarray:
    """Round `values` the way the release stores `column`."""
    if column in INTEGER_COLUMNS:
        return np.rint(values).astype(np.int64)
    if column in _WHOLE_FLOAT_COLUMNS:
        return np.rint(values)
    return np.round(values, 6)


def _class_sizes(n_rows: int, classes: str) -> dict[str, int]:
    """Rows per Sub_Cat, shares as described in `make_synthetic`."""
    official = CLASS_COUNTS["Sub_Cat"]
    if classes == "mirai":
        normal_share = official["Normal"] / PAPER["subset_rows"]
        mirai_total = sum(official[name] for name in MIRAI_SUBCATS)
        shares = {"Normal": normal_share}
        for name in MIRAI_SUBCATS:
            shares[name] = (1.0 - normal_share) * official[name] / mirai_total
    else:
        shares = {name: official[name] / OFFICIAL_ROWS for name in _SUBCATS}
    # Largest remainder: the counts add up to n_rows exactly.
    exact = {name: share * n_rows for name, share in shares.items()}
    sizes = {name: math.floor(value) for name, value in exact.items()}
    by_remainder = sorted(exact, key=lambda name: sizes[name] - exact[name])
    for name in by_remainder[: n_rows - sum(sizes.values())]:
        sizes[name] += 1
    return sizes


def _kept_share(name: str) -> float:
    """Share of a Sub_Cat's rows the release keeps after dropping duplicates."""
    dedup = DEDUPLICATED_COUNTS["Sub_Cat"]
    if name in dedup:
        return dedup[name] / CLASS_COUNTS["Sub_Cat"][name]
    cat = _CAT_OF[name]  # Scan: only the Cat-level figure is published
    return DEDUPLICATED_COUNTS["Cat"][cat] / CLASS_COUNTS["Cat"][cat]


def _mirai_intervals() -> dict[str, dict[str, tuple[float, float]]]:
    """Per column, start and width of each Mirai sub-category's interval."""
    official = CLASS_COUNTS["Sub_Cat"]
    weights = np.array([official[name] for name in MIRAI_SUBCATS], dtype=float)
    weights /= weights.sum()
    rng = np.random.default_rng(_STRUCTURE_SEED)
    intervals = {}
    for column in OFFICIAL_COLUMNS:
        order = rng.permutation(len(MIRAI_SUBCATS))
        starts = np.zeros(len(MIRAI_SUBCATS))
        starts[order] = np.concatenate([[0.0], np.cumsum(weights[order])[:-1]])
        intervals[column] = {
            name: (float(starts[i]), float(weights[i]))
            for i, name in enumerate(MIRAI_SUBCATS)
        }
    return intervals


_INTERVALS = _mirai_intervals()


@lru_cache(maxsize=1)
def _text_tables() -> dict[str, pa.Array]:
    """Strings that identifiers are assembled from, indexed by integer codes."""
    time_of_day = []
    for second in range(86_400):
        hour, rest = divmod(second, 3600)
        half = "AM" if hour < 12 else "PM"
        time_of_day.append(
            f"{(hour - 1) % 12 + 1:02d}:{rest // 60:02d}:{rest % 60:02d} {half}"
        )
    days = pd.date_range(_FIRST_DAY, periods=_N_DAYS, freq="D")
    rng = np.random.default_rng(_STRUCTURE_SEED + 1)
    first = rng.choice([23, 31, 58, 61, 104, 110, 117, 121, 203, 210, 211, 222], 256)
    rest = rng.integers(1, 255, size=(256, 3))
    public = [f"{a}.{b}.{c}.{d}" for a, (b, c, d) in zip(first, rest, strict=True)]
    return {
        "time_of_day": pa.array(time_of_day),
        "day": pa.array(days.strftime("%d/%m/%Y").tolist()),
        "number": pa.array([str(number) for number in range(65_536)]),
        "address": pa.array([*_LOCAL_ADDRESSES, *public]),
        "sub_cat": pa.array(_SUBCATS),
        "cat": pa.array([_CAT_OF[name] for name in _SUBCATS]),
        "label": pa.array(
            ["Normal" if name == "Normal" else "Anomaly" for name in _SUBCATS]
        ),
    }


def _draw(column: str, slices: dict[str, slice], u: np.ndarray) -> np.ndarray:
    """Values of `column` for uniform `u`, rows laid out by class (`slices`)."""
    n_normal = slices["Normal"].stop  # Normal rows come first
    values = np.empty(len(u))
    values[:n_normal] = _inverse_cdf(column, _stats("Normal", column), u[:n_normal])
    values[n_normal:] = _inverse_cdf(column, _stats("Anomaly", column), u[n_normal:])
    return _finish(column, values)


def _features(
    slices: dict[str, slice], seed: int, copy_to: np.ndarray, copy_from: np.ndarray
) -> dict[str, np.ndarray]:
    """Numeric columns, identifiers and labels excluded, rows laid out by class."""
    n_rows = max(part.stop for part in slices.values())
    shared = _rng(seed, _STREAM_SHARED).random(n_rows)
    infinite = _rng(seed, _STREAM_INFINITE).random(n_rows) < _INFINITE_SHARE

    columns: dict[str, np.ndarray] = {}
    for column in FEATURES:
        if column in _COPIES or column == "Pkt_Len_Var":
            continue
        full = DESCRIBE_FULL[column]
        if full[_STAT["std"]] == 0.0:
            columns[column] = _finish(column, np.full(n_rows, full[_STAT["min"]]))
            continue
        rng = _rng(seed, _STREAM_COLUMN + OFFICIAL_COLUMNS.index(column))
        # One draw decides both whether the row's shared rank is used and, if
        # not, the column's own rank: r rescaled above the cut is uniform.
        r = rng.random(n_rows)
        u = np.where(
            r < _SHARED_RANK, shared, (r - _SHARED_RANK) / (1.0 - _SHARED_RANK)
        )
        for name in MIRAI_SUBCATS:
            start, width = _INTERVALS[column][name]
            rows = u[slices[name]]  # a view: edits land in u
            pulled = rng.random(len(rows)) < _SUBCAT_PULL
            rows[pulled] = start + width * rows[pulled]
        columns[column] = _draw(column, slices, u)

    columns["Flow_Duration"][infinite] = 0
    columns["Flow_Byts/s"][infinite] = np.inf
    columns["Flow_Pkts/s"][infinite] = np.inf
    for values in columns.values():
        values[copy_to] = values[copy_from]
    for column, source in _COPIES.items():
        values = columns[source]
        columns[column] = (
            values.astype(np.int64) if column in INTEGER_COLUMNS else values.copy()
        )
    columns["Pkt_Len_Var"] = np.round(columns["Pkt_Len_Std"] ** 2, 6)
    return columns


def _duplicates(
    slices: dict[str, slice], seed: int, duplicate_share: float | None
) -> tuple[np.ndarray, np.ndarray]:
    """Rows to overwrite and the rows whose values they receive."""
    rng = _rng(seed, _STREAM_DUPLICATES)
    targets, sources = [np.empty(0, np.intp)], [np.empty(0, np.intp)]
    for name, part in slices.items():
        n_class = part.stop - part.start
        if n_class == 0:
            continue
        if duplicate_share is None:
            kept = _kept_share(name)
        else:
            kept = 1.0 - duplicate_share
        # Rows of a class are later spread over the file in the order they
        # have here, so the copies must sit at random places of the slice.
        rows = part.start + rng.permutation(n_class)
        n_unique = max(1, round(n_class * kept))
        targets.append(rows[n_unique:])
        sources.append(rows[rng.integers(0, n_unique, size=n_class - n_unique)])
    return np.concatenate(targets), np.concatenate(sources)


def _identifiers(
    seed: int, src_port: np.ndarray, dst_port: np.ndarray, protocol: np.ndarray
) -> dict[str, pd.Series]:
    """Flow_ID, addresses and timestamps shaped like the release's."""
    n_rows = len(protocol)
    text = _text_tables()
    n_local = len(_LOCAL_ADDRESSES)
    n_public = len(text["address"]) - n_local

    # One end is a testbed device; the other another device or a public host.
    rng = _rng(seed, _STREAM_ADDRESSES)
    device = rng.choice(n_local, size=n_rows, p=_LOCAL_WEIGHTS)
    other_device = (device + rng.integers(1, n_local, size=n_rows)) % n_local
    public = n_local + rng.integers(0, n_public, size=n_rows)
    peer = np.where(rng.random(n_rows) < _LOCAL_PEER_SHARE, other_device, public)
    outgoing = rng.random(n_rows) < 0.5
    src_ip = np.where(outgoing, device, peer)
    dst_ip = np.where(outgoing, peer, device)

    # The release's Flow_ID starts with the address that sorts first as text.
    rank = np.argsort(np.argsort(np.asarray(text["address"].to_pylist(), dtype=str)))
    src_first = rank[src_ip] < rank[dst_ip]
    number = text["number"]
    flow_id = pc.binary_join_element_wise(
        SYNTHETIC_MARK.rstrip("-"),
        pc.take(text["address"], np.where(src_first, src_ip, dst_ip)),
        pc.take(text["address"], np.where(src_first, dst_ip, src_ip)),
        pc.take(number, np.where(src_first, src_port, dst_port)),
        pc.take(number, np.where(src_first, dst_port, src_port)),
        pc.take(number, protocol),
        "-",
    )

    rng = _rng(seed, _STREAM_TIME)
    timestamp = pc.binary_join_element_wise(
        pc.take(text["day"], rng.integers(0, _N_DAYS, size=n_rows)),
        pc.take(text["time_of_day"], rng.integers(0, 86_400, size=n_rows)),
        " ",
    )
    return {
        "Flow_ID": flow_id.to_pandas(),
        "Src_IP": pc.take(text["address"], src_ip).to_pandas(),
        "Dst_IP": pc.take(text["address"], dst_ip).to_pandas(),
        "Timestamp": timestamp.to_pandas(),
    }


def make_synthetic(
    n_rows: int = DEFAULT_ROWS,
    *,
    seed: int = 0,
    classes: str = "mirai",
    duplicate_share: float | None = None,
) -> pd.DataFrame:
    """Generate a synthetic IoTID20 sample in the official release format.

    See the module docstring for how values are drawn and for what the sample
    does not reproduce. The result depends only on the arguments: the same
    call gives the same frame, and the same bytes when written to CSV.

    Parameters
    ----------
    n_rows : int, default DEFAULT_ROWS
        Number of rows (flows), duplicates included.
    seed : int, default 0
        Seed of every random draw.
    classes : {"mirai", "all"}, default "mirai"
        ``"mirai"``: Normal and the four Mirai sub-categories, with Normal at
        40,073 / 228,683 of the rows as in the paper's subset (about 82 %
        Mirai) and the Mirai sub-categories in release proportions.
        ``"all"``: every ``Sub_Cat`` in release proportions
        (``facts.CLASS_COUNTS``); ``n_rows=625_783`` gives the release's exact
        class counts.
    duplicate_share : float, optional
        Share of each class's rows that repeat another row of the class on
        every non-identifier column. By default each class gets the share the
        release has (e.g. 32 % of Mirai rows, 4 % of Normal rows); 0 gives no
        duplicates.

    Returns
    -------
    pandas.DataFrame
        Shape (n_rows, 86), columns `mirai_gmm.schema.OFFICIAL_COLUMNS`, rows
        in random order. ``frame.attrs["source"]`` describes the sample.

    Raises
    ------
    ValueError
        If an argument is outside the ranges above.

    Examples
    --------
    >>> frame = make_synthetic(1_000, seed=1)
    >>> frame.shape
    (1000, 86)
    >>> sorted(frame["Cat"].unique())
    ['Mirai', 'Normal']
    """
    if isinstance(n_rows, bool) or not isinstance(n_rows, (int, np.integer)):
        raise ValueError(f"n_rows: expected a positive integer, got {n_rows!r}")
    if n_rows < 1:
        raise ValueError(f"n_rows: expected a positive integer, got {n_rows}")
    if classes not in CLASSES:
        raise ValueError(f"classes: expected one of {CLASSES}, got {classes!r}")
    if duplicate_share is not None and not 0.0 <= duplicate_share < 1.0:
        raise ValueError(
            "duplicate_share: expected None or a share in [0, 1), "
            f"got {duplicate_share}"
        )
    n_rows = int(n_rows)

    # Rows are made class by class (contiguous slices, cheap to address), then
    # shuffled once at the end.
    sizes = _class_sizes(n_rows, classes)
    bounds = np.cumsum([0] + [sizes.get(name, 0) for name in _SUBCATS])
    slices = {
        name: slice(int(bounds[i]), int(bounds[i + 1]))
        for i, name in enumerate(_SUBCATS)
    }
    copy_to, copy_from = _duplicates(slices, seed, duplicate_share)
    columns = _features(slices, seed, copy_to, copy_from)
    for column in ("Src_Port", "Dst_Port"):
        rng = _rng(seed, _STREAM_COLUMN + OFFICIAL_COLUMNS.index(column))
        columns[column] = _draw(column, slices, rng.random(n_rows))

    # Shuffle: draw the class of each final row, then hand each class's rows
    # out in their order of generation (rows of a class are exchangeable).
    # Scattering along the stable sort of the classes reads memory in a few
    # sequential streams, much faster than a random permutation of every column.
    codes = np.repeat(np.arange(len(_SUBCATS), dtype=np.int8), np.diff(bounds))
    codes = _rng(seed, _STREAM_ORDER).permutation(codes)
    destination = np.argsort(codes, kind="stable")
    for name, values in columns.items():
        shuffled = np.empty_like(values)
        shuffled[destination] = values
        columns[name] = shuffled
    columns.update(
        _identifiers(
            seed, columns["Src_Port"], columns["Dst_Port"], columns["Protocol"]
        )
    )
    text = _text_tables()
    for column, table in (("Label", "label"), ("Cat", "cat"), ("Sub_Cat", "sub_cat")):
        columns[column] = pc.take(text[table], codes).to_pandas()

    frame = pd.DataFrame({name: columns[name] for name in OFFICIAL_COLUMNS})
    frame.attrs["source"] = (
        f"IoTID20-synthetic (seed {seed}, classes={classes!r}, {n_rows} rows)"
    )
    logger.debug("made %s: %s", frame.attrs["source"], sizes)
    return frame


def write_synthetic(path: str | os.PathLike, **kwargs) -> Path:
    """Generate a sample with `make_synthetic` and write it as CSV.

    The file appears complete or not at all: it is written to a temporary file
    in the same folder and renamed into place. A name ending in ``.gz`` gives a
    gzip file whose header holds no name and no time, so that equal arguments
    give equal bytes.

    Parameters
    ----------
    path : str or os.PathLike
        Destination, ``.csv`` or ``.csv.gz``. Its folder is created if needed.
    **kwargs
        Passed to `make_synthetic` (``n_rows``, ``seed``, ``classes``,
        ``duplicate_share``).

    Returns
    -------
    Path
        `path`.
    """
    path = Path(path)
    frame = make_synthetic(**kwargs)
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as raw:
            if path.name.endswith(".gz"):
                # Level 6 instead of gzip's default 9: five times faster on
                # this data for a file 3 % larger.
                stream = gzip.GzipFile(
                    filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6
                )
            else:
                stream = raw
            with io.TextIOWrapper(stream, encoding="utf-8", newline="") as text:
                frame.to_csv(text, index=False, lineterminator="\n")
    return path
