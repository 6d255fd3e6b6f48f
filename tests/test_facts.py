"""Tests of the published figures in mirai_gmm.facts and of compare_counts."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from mirai_gmm.facts import (
    CLASS_COUNTS,
    DEDUPLICATED_COUNTS,
    DEDUPLICATED_ROWS,
    DESCRIBE_1PCT_BY_LABEL,
    DESCRIBE_FULL,
    DESCRIBE_STATS,
    OFFICIAL_ROWS,
    PAPER,
    SAMPLE_1PCT_ROWS,
    compare_counts,
)
from mirai_gmm.schema import IDENTIFIERS, LABELS, OFFICIAL_COLUMNS, PAPER_FEATURES


def test_compare_counts_is_empty_for_the_official_counts():
    assert compare_counts(CLASS_COUNTS["Sub_Cat"]) == []


def test_compare_counts_accepts_a_value_counts_series():
    frame = pd.Series(CLASS_COUNTS["Sub_Cat"]).rename_axis("Sub_Cat")
    assert compare_counts(frame) == []


def test_compare_counts_names_the_differing_sub_cat():
    counts = dict(CLASS_COUNTS["Sub_Cat"], **{"Mirai-Ackflooding": 55_000})
    lines = compare_counts(counts)
    assert (
        lines[0] == "Sub_Cat 'Mirai-Ackflooding': 55,000 rows, official 55,124 (-124)"
    )
    assert lines[-1] == "total: 625,659 rows, official 625,783"
    assert len(lines) == 2


def test_compare_counts_reports_missing_and_unknown_classes():
    counts = dict(CLASS_COUNTS["Sub_Cat"])
    counts["Mirai-Hostbruteforce"] = counts.pop("Mirai-Hostbruteforceg")
    lines = compare_counts(counts)
    assert lines == [
        "Sub_Cat 'Mirai-Hostbruteforceg': missing, official 121,181 rows",
        "Sub_Cat 'Mirai-Hostbruteforce': 121,181 rows, not in the official release",
    ]


@pytest.mark.parametrize("level", ["Label", "Cat", "Sub_Cat"])
def test_every_level_of_the_class_counts_adds_up_to_the_release(level):
    assert sum(CLASS_COUNTS[level].values()) == OFFICIAL_ROWS


def test_deduplicated_counts_are_consistent():
    assert sum(DEDUPLICATED_COUNTS["Cat"].values()) == DEDUPLICATED_ROWS
    assert sum(DEDUPLICATED_COUNTS["Label"].values()) == DEDUPLICATED_ROWS
    mirai = [n for name, n in DEDUPLICATED_COUNTS["Sub_Cat"].items() if "Mirai" in name]
    assert sum(mirai) == DEDUPLICATED_COUNTS["Cat"]["Mirai"] == 281_102
    for level, counts in DEDUPLICATED_COUNTS.items():
        for name, count in counts.items():
            assert count <= CLASS_COUNTS[level][name], (level, name)


def test_paper_figures_agree_with_the_schema():
    assert PAPER["features"] == PAPER_FEATURES
    assert len(PAPER["features"]) == 9
    assert sum(PAPER["split"]) == pytest.approx(1.0)
    # The paper's subset is every Normal flow plus about 188,600 Mirai flows.
    assert PAPER["subset_rows"] - CLASS_COUNTS["Sub_Cat"]["Normal"] == 188_610
    for row in PAPER["table2"].values():
        f1 = 2 * row["precision"] * row["recall"] / (row["precision"] + row["recall"])
        assert f1 == pytest.approx(row["f1"], abs=5e-4)


def test_describe_tables_cover_the_numeric_release_columns():
    numeric = set(OFFICIAL_COLUMNS) - set(LABELS) - {"Flow_ID", "Src_IP", "Dst_IP"}
    assert set(DESCRIBE_FULL) == numeric - {"Timestamp"}
    for side in ("Normal", "Anomaly"):
        assert set(DESCRIBE_1PCT_BY_LABEL[side]) < set(DESCRIBE_FULL)
        assert len(DESCRIBE_1PCT_BY_LABEL[side]) == 27
    for stats in [*DESCRIBE_FULL.values(), *DESCRIBE_1PCT_BY_LABEL["Anomaly"].values()]:
        assert len(stats) == len(DESCRIBE_STATS)
        low, q25, q50, q75, high = stats[2:]
        assert low <= q25 <= q50 <= q75 <= high
    assert set(IDENTIFIERS) - set(DESCRIBE_FULL) == {
        "Flow_ID",
        "Src_IP",
        "Dst_IP",
        "Timestamp",
    }


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


@pytest.mark.shared
def test_class_counts_match_the_shared_file(shared_dir):
    table = pd.read_csv(shared_dir / "facts" / "class_counts_full.csv")
    found = {
        level: dict(zip(part["class"], part["count"], strict=True))
        for level, part in table.groupby("level")
    }
    assert found == CLASS_COUNTS


@pytest.mark.shared
def test_describe_full_matches_the_shared_file(shared_dir):
    table = pd.read_csv(
        shared_dir / "facts" / "describe_full_all_classes.csv", index_col=0
    )
    assert list(table.columns) == list(DESCRIBE_FULL)
    assert (table.loc["count"] == OFFICIAL_ROWS).all()
    for column, stats in DESCRIBE_FULL.items():
        for name, value in zip(DESCRIBE_STATS, stats, strict=True):
            assert _same(float(table.loc[name, column]), value), (column, name)


@pytest.mark.shared
def test_describe_by_label_matches_the_shared_file(shared_dir):
    table = pd.read_csv(
        shared_dir / "facts" / "describe_1pct_by_label.csv", header=0, index_col=[0, 1]
    )
    for side, source in (("Normal", "Label0_Normal"), ("Anomaly", "Label1_Anomaly")):
        for column, stats in DESCRIBE_1PCT_BY_LABEL[side].items():
            assert table.loc[(column, "count"), source] == SAMPLE_1PCT_ROWS[side]
            for name, value in zip(DESCRIBE_STATS, stats, strict=True):
                assert table.loc[(column, name), source] == value, (side, column)


def test_compare_counts_says_one_row():
    counts = dict(CLASS_COUNTS["Sub_Cat"], Normal=1, Extra=1)
    lines = compare_counts(counts)
    assert "Sub_Cat 'Normal': 1 row, official 40,073 (-40,072)" in lines
    assert "Sub_Cat 'Extra': 1 row, not in the official release" in lines
