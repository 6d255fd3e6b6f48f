"""Tests of the synthetic IoTID20 generator."""

from __future__ import annotations

import gzip
import re
import time

import numpy as np
import pandas as pd
import pytest

from mirai_gmm.facts import (
    CLASS_COUNTS,
    DEDUPLICATED_COUNTS,
    DESCRIBE_1PCT_BY_LABEL,
    DESCRIBE_FULL,
    OFFICIAL_ROWS,
    compare_counts,
)
from mirai_gmm.schema import IDENTIFIERS, OFFICIAL_COLUMNS
from mirai_gmm.synthetic import (
    DEFAULT_ROWS,
    INTEGER_COLUMNS,
    MIRAI_SUBCATS,
    make_synthetic,
    write_synthetic,
)

NON_IDENTIFIERS = [name for name in OFFICIAL_COLUMNS if name not in IDENTIFIERS]
QUARTILES = [0.25, 0.5, 0.75]


@pytest.fixture(scope="module")
def default():
    return make_synthetic()


def _kept(frame: pd.DataFrame) -> pd.Series:
    """Rows per Sub_Cat left by drop_duplicates over non-identifier columns."""
    return frame.drop_duplicates(subset=NON_IDENTIFIERS)["Sub_Cat"].value_counts()


def _near(found, published, stats) -> bool:
    # Generous: 3 % of the column's published range, or 2 % relative.
    scale = 0.03 * (stats[6] - stats[2]) if np.isfinite(stats[6]) else 0.0
    return bool(np.all(np.isclose(found, published, rtol=0.02, atol=max(scale, 1.0))))


def test_same_seed_gives_the_same_csv_bytes():
    first = make_synthetic(3_000, seed=7).to_csv(index=False)
    second = make_synthetic(3_000, seed=7).to_csv(index=False)
    assert first == second
    assert make_synthetic(3_000, seed=8).to_csv(index=False) != first


def test_write_synthetic_is_byte_for_byte_reproducible(tmp_path):
    one = write_synthetic(tmp_path / "a.csv.gz", n_rows=2_000, seed=3)
    two = write_synthetic(tmp_path / "sub" / "b.csv.gz", n_rows=2_000, seed=3)
    assert one.read_bytes() == two.read_bytes()
    assert gzip.decompress(one.read_bytes()).startswith(b"Flow_ID,Src_IP,Src_Port,")
    assert sorted(p.name for p in tmp_path.rglob("*")) == [
        "a.csv.gz",
        "b.csv.gz",
        "sub",
    ]
    back = pd.read_csv(one)
    assert list(back.columns) == list(OFFICIAL_COLUMNS)
    assert len(back) == 2_000


def test_plain_csv_reads_back_with_the_same_values(tmp_path):
    frame = make_synthetic(1_000, seed=2)
    back = pd.read_csv(write_synthetic(tmp_path / "s.csv", n_rows=1_000, seed=2))
    pd.testing.assert_frame_equal(back, frame, check_dtype=False)


def test_columns_are_the_release_columns_in_release_order(default):
    assert tuple(default.columns) == OFFICIAL_COLUMNS
    assert default.shape == (DEFAULT_ROWS, 86)
    for column in INTEGER_COLUMNS:
        assert default[column].dtype == np.int64, column
    assert default["Flow_Duration"].dtype == np.int64
    assert default["Flow_IAT_Mean"].dtype == np.float64


def test_labels_are_spelled_as_released(default):
    assert set(default["Label"].unique()) == {"Normal", "Anomaly"}
    assert set(default["Cat"].unique()) == {"Normal", "Mirai"}
    assert set(default["Sub_Cat"].unique()) == {"Normal", *MIRAI_SUBCATS}
    assert "Mirai-Hostbruteforceg" in MIRAI_SUBCATS
    normal = default["Label"] == "Normal"
    assert (normal == (default["Cat"] == "Normal")).all()


def test_identifiers_look_like_the_release(default):
    rows = default.iloc[:2_000]
    ip = r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}"
    assert rows["Src_IP"].str.fullmatch(ip).all()
    assert rows["Timestamp"].str.fullmatch(r"\d\d/\d\d/2019 \d\d:\d\d:\d\d [AP]M").all()
    parsed = pd.to_datetime(rows["Timestamp"], format="%d/%m/%Y %I:%M:%S %p")
    assert parsed.notna().all()
    for row in rows.head(200).itertuples(index=False):
        pattern = rf"synthetic-({ip})-({ip})-(\d+)-(\d+)-(\d+)"
        parts = re.fullmatch(pattern, row.Flow_ID)
        assert parts is not None, row.Flow_ID
        a, b, port_a, port_b, protocol = parts.groups()
        assert int(protocol) == row.Protocol
        assert a <= b
        ends = {(row.Src_IP, row.Src_Port), (row.Dst_IP, row.Dst_Port)}
        assert ends == {(a, int(port_a)), (b, int(port_b))}


def test_default_class_shares_follow_the_paper_subset(default):
    counts = default["Sub_Cat"].value_counts()
    assert counts["Normal"] == CLASS_COUNTS["Sub_Cat"]["Normal"]
    assert (default["Cat"] == "Mirai").mean() == pytest.approx(0.8248, abs=0.001)
    mirai_total = sum(CLASS_COUNTS["Sub_Cat"][name] for name in MIRAI_SUBCATS)
    for name in MIRAI_SUBCATS:
        share = counts[name] / counts[list(MIRAI_SUBCATS)].sum()
        assert share == pytest.approx(
            CLASS_COUNTS["Sub_Cat"][name] / mirai_total, abs=1e-4
        )


def test_all_classes_in_release_proportions():
    frame = make_synthetic(20_000, seed=1, classes="all")
    counts = frame["Sub_Cat"].value_counts()
    assert set(counts.index) == set(CLASS_COUNTS["Sub_Cat"])
    for name, count in CLASS_COUNTS["Sub_Cat"].items():
        assert counts[name] / 20_000 == pytest.approx(count / OFFICIAL_ROWS, abs=1e-3)


def test_duplicates_leave_the_release_share_of_each_class(default):
    kept = _kept(default)
    before = default["Sub_Cat"].value_counts()
    assert kept["Normal"] == DEDUPLICATED_COUNTS["Sub_Cat"]["Normal"]
    for name in MIRAI_SUBCATS:
        target = DEDUPLICATED_COUNTS["Sub_Cat"][name] / CLASS_COUNTS["Sub_Cat"][name]
        assert kept[name] / before[name] == pytest.approx(target, abs=0.002), name
    assert 0.25 < 1 - kept.sum() / len(default) < 0.30


def test_duplicate_share_can_be_chosen():
    frame = make_synthetic(5_000, seed=4, duplicate_share=0.0)
    assert _kept(frame).sum() == 5_000
    frame = make_synthetic(5_000, seed=4, duplicate_share=0.5)
    assert _kept(frame).sum() == pytest.approx(2_500, abs=3)


def test_infinite_rates_exist_where_duration_is_zero(default):
    infinite = np.isinf(default["Flow_Byts/s"])
    assert 0 < infinite.sum() < 0.002 * len(default)
    assert np.isinf(default.loc[infinite, "Flow_Pkts/s"]).all()
    assert (default.loc[infinite, "Flow_Duration"] == 0).all()
    assert default.drop(columns=["Flow_Byts/s", "Flow_Pkts/s"]).notna().all().all()


def test_constant_and_whole_valued_columns(default):
    for column, stats in DESCRIBE_FULL.items():
        if stats[1] == 0.0:  # constant in the release
            assert (default[column] == stats[2]).all(), column
    for column in ("TotLen_Fwd_Pkts", "Fwd_IAT_Tot", "Idle_Max"):
        assert (default[column] % 1 == 0).all(), column
    assert (default["Subflow_Fwd_Byts"] == default["TotLen_Fwd_Pkts"]).all()
    assert np.allclose(default["Pkt_Len_Var"], default["Pkt_Len_Std"] ** 2, atol=1e-5)


@pytest.mark.parametrize(
    ("side", "column"),
    [
        ("Normal", "Flow_Duration"),
        ("Normal", "Flow_IAT_Mean"),
        ("Normal", "Bwd_Pkts/s"),
        ("Anomaly", "Flow_Duration"),
        ("Anomaly", "Flow_IAT_Mean"),
        ("Anomaly", "Bwd_IAT_Tot"),
        ("Anomaly", "Init_Bwd_Win_Byts"),
    ],
)
def test_quartiles_follow_the_1pct_sample(default, side, column):
    values = default.loc[default["Label"] == side, column]
    stats = DESCRIBE_1PCT_BY_LABEL[side][column]
    assert _near(values.quantile(QUARTILES), stats[3:6], stats)


@pytest.mark.parametrize(
    "column", ["Fwd_IAT_Mean", "Fwd_Header_Len", "Pkt_Len_Mean", "Tot_Fwd_Pkts"]
)
def test_quartiles_of_pooled_columns_follow_the_full_release(default, column):
    stats = DESCRIBE_FULL[column]
    assert _near(default[column].quantile(QUARTILES), stats[3:6], stats)


def test_mean_of_a_long_tailed_column_is_matched(default):
    values = default.loc[default["Label"] == "Normal", "Flow_IAT_Mean"]
    published = DESCRIBE_1PCT_BY_LABEL["Normal"]["Flow_IAT_Mean"][0]
    assert values.mean() == pytest.approx(published, rel=0.05)


def test_flags_and_protocol_follow_published_means(default):
    assert default["ACK_Flag_Cnt"].mean() == pytest.approx(0.5305, abs=0.01)
    assert set(default["Protocol"]) <= {0, 6, 17}
    assert default["Protocol"].mean() == pytest.approx(9.97, abs=0.1)


def test_mirai_sub_categories_differ(default):
    columns = ["Sub_Cat", "Flow_Duration", "Flow_IAT_Mean"]
    mirai = default.loc[default["Cat"] == "Mirai", columns]
    medians = mirai.groupby("Sub_Cat").median()
    # Anomaly quartiles of Flow_Duration are 76, 126, 200: sub-categories
    # shifted into different parts of that range must not share a median.
    assert medians["Flow_Duration"].max() - medians["Flow_Duration"].min() > 50
    assert medians["Flow_IAT_Mean"].nunique() == 4


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_rows": 0}, "n_rows: expected a positive integer"),
        ({"n_rows": 2.5}, "n_rows: expected a positive integer"),
        ({"classes": "dos"}, "classes: expected one of"),
        ({"duplicate_share": 1.0}, r"duplicate_share: expected None or a share"),
    ],
)
def test_bad_arguments_are_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_synthetic(**kwargs)


@pytest.mark.slow
def test_full_size_sample_has_the_release_class_counts():
    start = time.perf_counter()
    frame = make_synthetic(OFFICIAL_ROWS, classes="all")
    seconds = time.perf_counter() - start
    assert frame.shape == (OFFICIAL_ROWS, 86)
    assert compare_counts(frame["Sub_Cat"].value_counts()) == []
    kept = _kept(frame)
    for name, count in DEDUPLICATED_COUNTS["Sub_Cat"].items():
        assert kept[name] == pytest.approx(count, abs=2), name
    assert seconds < 60  # a few seconds on a laptop; generous for CI
