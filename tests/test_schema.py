"""Column names: the release list, the paper's features, name normalisation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mirai_gmm.schema import (
    ALIASES,
    FEATURES,
    IDENTIFIERS,
    LABELS,
    OFFICIAL_COLUMNS,
    PAPER_FEATURES,
    canonical_name,
    fold_name,
)


def test_official_columns_are_86_unique_names():
    assert len(OFFICIAL_COLUMNS) == 86
    assert len(set(OFFICIAL_COLUMNS)) == 86
    assert OFFICIAL_COLUMNS[:7] == IDENTIFIERS[:5] + ("Protocol", "Timestamp")
    assert OFFICIAL_COLUMNS[-3:] == LABELS


def test_features_are_the_other_77_with_protocol():
    assert len(FEATURES) == 86 - len(IDENTIFIERS) - len(LABELS) == 77
    assert "Protocol" in FEATURES
    assert not set(FEATURES) & set(IDENTIFIERS + LABELS)


def test_paper_features_follow_table_one():
    assert PAPER_FEATURES == (
        "Flow_Duration",
        "Fwd_IAT_Std",
        "Fwd_IAT_Mean",
        "Fwd_IAT_Tot",
        "Flow_IAT_Mean",
        "Flow_IAT_Std",
        "Bwd_IAT_Mean",
        "Bwd_IAT_Std",
        "Fwd_Header_Len",
    )
    assert set(PAPER_FEATURES) <= set(FEATURES)


@pytest.mark.shared
def test_official_columns_match_the_release_header(head5_path):
    header = head5_path.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert tuple(header) == OFFICIAL_COLUMNS


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Flow Duration", "Flow_Duration"),
        (" Fwd IAT Std", "Fwd_IAT_Std"),
        ("flow_duration", "Flow_Duration"),
        ("FLOW  DURATION ", "Flow_Duration"),
        ("Tot Fwd Pkts", "Tot_Fwd_Pkts"),
        ("Total Fwd Packets", "Tot_Fwd_Pkts"),
        ("Fwd Header Length", "Fwd_Header_Len"),
        ("Fwd Header Len", "Fwd_Header_Len"),
        ("Flow Bytes/s", "Flow_Byts/s"),
        ("Flow Byts/s", "Flow_Byts/s"),
        ("flow_byts_s", "Flow_Byts/s"),
        ("Total Length of Fwd Packets", "TotLen_Fwd_Pkts"),
        ("Label", "Label"),
        (" Label", "Label"),
        ("Src IP", "Src_IP"),
        ("Source IP", "Src_IP"),
        ("Destination Port", "Dst_Port"),
        ("Init_Win_bytes_forward", "Init_Fwd_Win_Byts"),
        ("Down/Up Ratio", "Down/Up_Ratio"),
        ("\ufeffFlow_ID", "Flow_ID"),
    ],
)
def test_canonical_name_maps_known_spellings(raw, expected):
    assert canonical_name(raw) == expected


def test_unknown_names_are_only_stripped():
    assert canonical_name("  My Extra Column\t") == "My Extra Column"
    assert canonical_name("Fwd Header Length.1") == "Fwd Header Length.1"


def test_release_names_map_to_themselves():
    assert [canonical_name(name) for name in OFFICIAL_COLUMNS] == list(OFFICIAL_COLUMNS)


def test_folding_tells_every_release_column_apart():
    assert len({fold_name(name) for name in OFFICIAL_COLUMNS}) == 86


def test_aliases_point_at_release_columns_without_clashing():
    folded = {fold_name(name): name for name in OFFICIAL_COLUMNS}
    for alias, target in ALIASES.items():
        assert target in OFFICIAL_COLUMNS
        # An alias that folds onto a release name must agree with it.
        assert folded.get(fold_name(alias), target) == target


@given(st.text(max_size=40))
def test_canonical_name_is_idempotent(raw):
    once = canonical_name(raw)
    assert canonical_name(once) == once
