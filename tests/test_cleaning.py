"""clean_flows: class selection, non-finite and duplicate rows, the report."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from mirai_gmm.cleaning import clean_flows
from mirai_gmm.loading import DataError, flows_from_frame, read_flows
from mirai_gmm.schema import IDENTIFIERS


def eight_flows() -> pd.DataFrame:
    """Eight flows whose fate can be checked by hand.

    0 Normal; 1 Normal, duplicate of 0 apart from its Flow_ID; 2 Normal;
    3 Mirai; 4 Mirai with an infinite rate; 5 Mirai with a NaN duration;
    6 Mirai, duplicate of 3 apart from ports; 7 DoS.
    """
    return pd.DataFrame(
        {
            "Flow_ID": [f"f{i}" for i in range(8)],
            "Src_Port": [1, 2, 3, 4, 5, 6, 99, 8],
            "Protocol": [6, 6, 17, 6, 6, 6, 6, 6],
            "Flow_Duration": [10, 10, 20, 30, 40, np.nan, 30, 50],
            "Flow_Byts/s": [1.0, 1.0, 2.0, 3.0, np.inf, 5.0, 3.0, 7.0],
            "Label": ["Normal"] * 3 + ["Anomaly"] * 5,
            "Cat": ["Normal"] * 3 + ["Mirai"] * 4 + ["DoS"],
            "Sub_Cat": ["Normal"] * 3 + ["Mirai-Ackflooding"] * 4 + ["DoS-Synflooding"],
        }
    )


def test_eight_flows_by_hand():
    clean = clean_flows(flows_from_frame(eight_flows(), path="eight.csv"))
    report = clean.report

    assert report["dropped"] == {
        "out_of_scope_class": 1,
        "non_finite": 2,
        "duplicate": 2,
    }
    assert report["rows_in"] == 8
    assert report["rows_kept"] == 3
    assert list(clean.features.index) == [0, 2, 3]
    assert clean.target.tolist() == [0, 0, 1]
    assert clean.groups.tolist() == ["Normal", "Normal", "Mirai-Ackflooding"]
    assert report["rows_per_class_before"] == {"Mirai": 4, "Normal": 3, "DoS": 1}
    assert report["rows_per_class_after"] == {"Normal": 2, "Mirai": 1}
    assert report["non_finite_by_column"] == {"Flow_Duration": 1, "Flow_Byts/s": 1}
    assert report["positive"] == "Cat == 'Mirai'"
    assert report["path"] == "eight.csv"


def test_features_targets_and_report_types():
    clean = clean_flows(flows_from_frame(eight_flows()))

    assert list(clean.features.columns) == ["Protocol", "Flow_Duration", "Flow_Byts/s"]
    assert not set(clean.features.columns) & set(IDENTIFIERS)
    assert (clean.features.dtypes == np.float64).all()
    assert np.isfinite(clean.features.to_numpy()).all()
    assert clean.target.dtype == np.int8
    assert clean.target.index.equals(clean.features.index)
    assert clean.groups.index.equals(clean.features.index)
    report = clean.report
    assert report["rows_in"] == report["rows_kept"] + sum(report["dropped"].values())
    assert json.loads(json.dumps(report)) == report


def test_another_cat_as_positive():
    frame = pd.concat([eight_flows(), eight_flows().iloc[[7]].assign(Flow_ID="g")])
    clean = clean_flows(flows_from_frame(frame), positive="dos")

    assert clean.report["positive"] == "Cat == 'DoS'"
    assert clean.report["positive_class"] == "DoS"
    assert clean.report["dropped"] == {
        "out_of_scope_class": 4,
        "non_finite": 0,
        "duplicate": 2,
    }
    assert clean.target.tolist() == [0, 0, 1]


def test_an_out_of_scope_row_is_not_counted_again():
    frame = eight_flows()
    frame.loc[7, "Flow_Duration"] = np.inf  # DoS: out of scope first
    report = clean_flows(flows_from_frame(frame)).report
    assert report["dropped"]["out_of_scope_class"] == 1
    assert report["dropped"]["non_finite"] == 2


def test_positive_the_file_does_not_hold():
    raw = flows_from_frame(eight_flows(), path="eight.csv")
    with pytest.raises(
        DataError,
        match=r"eight\.csv: positive class 'Scan' is not a Cat value of this file; "
        r"it holds DoS, Mirai, Normal",
    ):
        clean_flows(raw, positive="Scan")


def test_normal_cannot_be_positive():
    with pytest.raises(DataError, match="must be an attack, not Normal"):
        clean_flows(flows_from_frame(eight_flows()), positive="Normal")


def test_no_positive_rows_left():
    frame = eight_flows()
    frame.loc[[3, 6], "Flow_Byts/s"] = np.nan
    with pytest.raises(DataError, match=r"^x\.csv: no Mirai rows left after cleaning"):
        clean_flows(flows_from_frame(frame, path="x.csv"))


def test_no_normal_rows_left():
    frame = eight_flows().iloc[3:]
    with pytest.raises(DataError, match=r"^y\.csv: no Normal rows left after cleaning"):
        clean_flows(flows_from_frame(frame, path="y.csv"))


def test_without_cat_every_attack_is_positive():
    frame = eight_flows().drop(columns=["Cat", "Sub_Cat"])
    frame["Label"] = (frame["Label"] == "Anomaly").astype(int)
    clean = clean_flows(flows_from_frame(frame))

    assert clean.report["positive"] == "Label == 1 (any attack; the file has no Cat)"
    assert clean.report["dropped"] == {
        "out_of_scope_class": 0,
        "non_finite": 2,
        "duplicate": 2,
    }
    assert clean.groups.tolist() == ["Normal", "Normal", "Attack", "Attack"]
    with pytest.raises(DataError, match=r"'DoS' needs a Cat column"):
        clean_flows(flows_from_frame(frame), positive="DoS")


def test_text_label_without_cat():
    frame = eight_flows().drop(columns=["Cat", "Sub_Cat"])
    clean = clean_flows(flows_from_frame(frame), positive="Anomaly")
    assert clean.report["positive"] == (
        "Label == 'Anomaly' (any attack; the file has no Cat)"
    )


def test_duplicates_across_labels_are_kept():
    frame = eight_flows()
    frame.loc[2, ["Flow_Duration", "Flow_Byts/s", "Protocol"]] = [30, 3.0, 6]
    report = clean_flows(flows_from_frame(frame)).report
    # Row 2 (Normal) now has row 3's features but not its Cat: both stay.
    assert report["dropped"]["duplicate"] == 2
    assert report["rows_per_class_after"] == {"Normal": 2, "Mirai": 1}


def test_no_feature_columns():
    frame = eight_flows()[["Flow_ID", "Label", "Cat"]]
    with pytest.raises(DataError, match="no IoTID20 feature column"):
        clean_flows(flows_from_frame(frame))


def test_a_column_outside_the_release_is_ignored():
    # A row number, as a spreadsheet adds, must neither become a feature nor
    # make copies of one flow look distinct.
    frame = eight_flows().assign(id=np.arange(8.0))
    clean = clean_flows(flows_from_frame(frame))
    assert "id" not in clean.features.columns
    assert clean.report["ignored_columns"] == ["id"]
    assert (
        clean.report["dropped"]
        == clean_flows(flows_from_frame(eight_flows())).report["dropped"]
    )


def test_class_names_in_other_case():
    frame = eight_flows()
    frame["Cat"] = frame["Cat"].str.lower()
    clean = clean_flows(flows_from_frame(frame))
    assert clean.report["rows_per_class_after"] == {"Normal": 2, "mirai": 1}
    assert clean.target.tolist() == [0, 0, 1]


# --------------------------------------------------------------------------- #
# Real files


@pytest.mark.shared
def test_head5_has_no_normal_rows(head5_path):
    raw = read_flows(head5_path)
    with pytest.raises(
        DataError,
        match=r"head5_official\.csv: no Normal rows left after cleaning \(5 rows in; "
        r"dropped 2 out_of_scope_class, 0 non_finite, 0 duplicate\)",
    ):
        clean_flows(raw)


@pytest.mark.shared
def test_head5_with_one_normal_row(head5_path):
    frame = read_flows(head5_path).frame
    normal = frame.iloc[[0]].assign(Label="Normal", Cat="Normal", Sub_Cat="Normal")
    clean = clean_flows(flows_from_frame(pd.concat([frame, normal])))

    assert clean.report["dropped"] == {
        "out_of_scope_class": 2,
        "non_finite": 0,
        "duplicate": 0,
    }
    assert clean.report["rows_per_class_before"] == {
        "Mirai": 3,
        "DoS": 1,
        "Scan": 1,
        "Normal": 1,
    }
    assert clean.groups.tolist() == [
        "Mirai-Ackflooding",
        "Mirai-Hostbruteforceg",
        "Mirai-Hostbruteforceg",
        "Normal",
    ]
    assert clean.features.shape == (4, 77)


@pytest.mark.shared
def test_one_percent_sample(shared_dir):
    raw = read_flows(shared_dir / "real" / "iotid20_1pct_binary.csv")
    clean = clean_flows(raw)
    report = clean.report

    assert report["rows_in"] == 6252
    assert report["rows_per_class_before"] == {"Attack": 5891, "Normal": 361}
    assert report["dropped"] == {
        "out_of_scope_class": 0,
        "non_finite": 0,
        "duplicate": 1708,
    }
    assert report["rows_kept"] == 4544
    assert report["rows_per_class_after"] == {"Attack": 4193, "Normal": 351}
    assert report["variant"] == "binary-label"
    assert clean.features.shape == (4544, 25)


@pytest.mark.shared
def test_one_percent_sample_duplicates_against_the_readme(shared_dir):
    # The shared README counts 1,729 repeated rows with identifiers dropped;
    # that count ignores Label too. 21 of those rows repeat a flow of the other
    # label, so over all non-identifier columns (Label kept) 1,708 repeat.
    frame = read_flows(shared_dir / "real" / "iotid20_1pct_binary.csv").frame
    compared = [name for name in frame.columns if name not in IDENTIFIERS]
    assert frame[compared].duplicated().sum() == 1708
    assert frame[compared].drop(columns="Label").duplicated().sum() == 1729


def test_fast_duplicate_search_matches_pandas():
    from mirai_gmm.cleaning import _duplicated

    rng = np.random.default_rng(3)
    frame = pd.DataFrame(
        {
            "a": rng.integers(0, 3, 400).astype(float),
            "b": rng.choice([0.0, -0.0, 1.5], 400),
            "c": rng.choice(["x", "y", None], 400),
        }
    )
    expected = frame.duplicated(keep="first").to_numpy()
    np.testing.assert_array_equal(_duplicated(frame, ["a", "b", "c"]), expected)
