"""read_flows and flows_from_frame: the shapes accepted and the faults named."""

from __future__ import annotations

import gzip
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mirai_gmm.cleaning import clean_flows
from mirai_gmm.loading import (
    VARIANTS,
    DataError,
    flows_from_frame,
    read_features,
    read_flows,
)
from mirai_gmm.schema import ALIASES, FEATURES, LABELS, OFFICIAL_COLUMNS

LONG_NAMES = {target: alias for alias, target in ALIASES.items()}


def official_frame(n_rows: int = 6) -> pd.DataFrame:
    """A small frame in the release format: Normal and Mirai rows alternate."""
    rng = np.random.default_rng(0)
    data: dict[str, object] = {
        name: rng.integers(0, 400, n_rows) / 4 for name in FEATURES
    }
    data["Flow_ID"] = [
        f"192.168.0.13-192.168.0.16-{9000 + i}-80-6" for i in range(n_rows)
    ]
    data["Src_IP"] = ["192.168.0.13"] * n_rows
    data["Src_Port"] = np.arange(9000, 9000 + n_rows)
    data["Dst_IP"] = ["192.168.0.16"] * n_rows
    data["Dst_Port"] = [80] * n_rows
    data["Timestamp"] = ["25/07/2019 03:25:53 AM"] * n_rows
    attack = np.arange(n_rows) % 2 == 1
    data["Label"] = np.where(attack, "Anomaly", "Normal")
    data["Cat"] = np.where(attack, "Mirai", "Normal")
    data["Sub_Cat"] = np.where(attack, "Mirai-Ackflooding", "Normal")
    return pd.DataFrame(data)[list(OFFICIAL_COLUMNS)]


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    frame.to_csv(path, index=False)
    return path


def assert_same_flows(raw, frame: pd.DataFrame) -> None:
    for name in FEATURES:
        if name in frame.columns:
            np.testing.assert_array_equal(raw.frame[name].to_numpy(), frame[name])
    assert raw.frame["Label"].tolist() == frame["Label"].tolist()


# --------------------------------------------------------------------------- #
# Real files


@pytest.mark.shared
def test_head5_reads_as_official(head5_path):
    raw = read_flows(head5_path)

    assert raw.variant == "official"
    assert raw.has_cat
    assert raw.path == str(head5_path)
    assert raw.frame.shape == (5, 86)
    assert set(raw.frame.columns) == set(OFFICIAL_COLUMNS)
    assert raw.frame["Label"].tolist() == ["Anomaly"] * 5
    assert raw.frame["Cat"].value_counts().to_dict() == {
        "Mirai": 3,
        "DoS": 1,
        "Scan": 1,
    }
    assert raw.frame["Sub_Cat"].tolist() == [
        "Mirai-Ackflooding",
        "DoS-Synflooding",
        "Scan Port OS",
        "Mirai-Hostbruteforceg",
        "Mirai-Hostbruteforceg",
    ]
    assert all(raw.frame[name].dtype == np.float64 for name in FEATURES)
    assert raw.frame["Flow_Duration"].tolist() == [75, 5310, 141, 151, 153]
    assert raw.frame["Flow_ID"].iloc[0] == "192.168.0.13-192.168.0.16-10000-10101-17"


@pytest.mark.shared
def test_one_percent_sample_reads_as_binary_label(shared_dir):
    raw = read_flows(shared_dir / "real" / "iotid20_1pct_binary.csv")

    assert raw.variant == "binary-label"
    assert not raw.has_cat
    assert raw.frame.shape == (6252, 32)
    assert raw.frame["Label"].dtype == np.int8
    assert raw.frame["Label"].value_counts().to_dict() == {1: 5891, 0: 361}
    features = [name for name in raw.frame.columns if name in FEATURES]
    assert len(features) == 25
    assert all(raw.frame[name].dtype == np.float64 for name in features)


@pytest.mark.shared
def test_reading_named_columns_reads_them_and_the_labels(shared_dir):
    path = shared_dir / "real" / "iotid20_1pct_binary.csv"
    raw = read_flows(path, columns=["Flow Duration", "bwd_iat_std"])

    assert list(raw.frame.columns) == ["Flow_Duration", "Bwd_IAT_Std", "Label"]
    assert raw.variant == "binary-label"
    assert len(raw.frame) == 6252


@pytest.mark.shared
def test_a_partial_read_of_the_release_is_still_official(head5_path):
    raw = read_flows(head5_path, columns=["Fwd_IAT_Std"])

    assert raw.variant == "official"
    assert list(raw.frame.columns) == ["Fwd_IAT_Std", "Label", "Cat", "Sub_Cat"]


# --------------------------------------------------------------------------- #
# Variants made here


def test_variants_are_documented():
    assert set(VARIANTS) == {
        "official",
        "official-subset",
        "binary-label",
        "text-label",
        "cicflowmeter",
    }


@pytest.mark.parametrize("suffix", [".csv", ".csv.gz", ".parquet"])
def test_formats_read_the_same_flows(tmp_path, suffix):
    frame = official_frame()
    path = tmp_path / f"flows{suffix}"
    if suffix == ".parquet":
        frame.to_parquet(path, index=False)
    else:
        frame.to_csv(path, index=False)  # compression inferred from the suffix

    raw = read_flows(path)

    assert raw.variant == "official"
    assert raw.frame.shape == (6, 86)
    assert_same_flows(raw, frame)


def test_gzip_is_really_compressed_and_read(tmp_path):
    path = tmp_path / "flows.csv.gz"
    path.write_bytes(gzip.compress(official_frame().to_csv(index=False).encode()))
    assert read_flows(path).frame.shape == (6, 86)


def test_byte_order_mark_and_crlf(tmp_path):
    frame = official_frame()
    text = frame.to_csv(index=False, lineterminator="\r\n")
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))

    raw = read_flows(path)

    assert raw.frame.columns[0] == "Flow_ID"
    assert raw.variant == "official"
    assert raw.frame["Sub_Cat"].iloc[-1] == "Mirai-Ackflooding"  # no stray '\r'
    assert_same_flows(raw, frame)


def test_columns_in_any_order(tmp_path):
    frame = official_frame()
    shuffled = frame[list(np.random.default_rng(1).permutation(frame.columns))]
    raw = read_flows(write_csv(shuffled, tmp_path / "shuffled.csv"))

    assert raw.variant == "official"
    assert_same_flows(raw, frame)


def test_cicflowmeter_names_are_renamed(tmp_path):
    frame = official_frame()
    renamed = frame.rename(
        columns=lambda name: LONG_NAMES.get(name, name.replace("_", " "))
    )
    assert "Total Length of Fwd Packets" in renamed.columns

    raw = read_flows(write_csv(renamed, tmp_path / "cic.csv"))

    assert raw.variant == "cicflowmeter"
    assert set(raw.frame.columns) == set(OFFICIAL_COLUMNS)
    assert_same_flows(raw, frame)


def test_infinity_nan_and_empty_cells_parse_to_floats(tmp_path):
    path = tmp_path / "inf.csv"
    path.write_text(
        "Flow_Duration,Flow_Byts/s,Flow_Pkts/s,Label\n"
        "1,Infinity,NaN,Normal\n"
        "2,inf,,Anomaly\n"
        "3,-inf, ,Normal\n"
        "4,-Infinity,5.5,Anomaly\n"
    )
    frame = read_flows(path).frame

    assert frame["Flow_Byts/s"].tolist() == [np.inf, np.inf, -np.inf, -np.inf]
    assert np.isnan(frame["Flow_Pkts/s"].iloc[:3]).all()
    assert frame["Flow_Pkts/s"].iloc[3] == 5.5
    assert len(frame) == 4  # nothing dropped while reading


def test_integer_identifiers_and_binary_label(tmp_path):
    frame = official_frame().drop(columns=["Cat", "Sub_Cat"])
    frame["Label"] = (frame["Label"] == "Anomaly").astype(int)
    for name in ("Flow_ID", "Src_IP", "Dst_IP", "Timestamp"):
        frame[name] = np.arange(len(frame)) * 7

    raw = read_flows(write_csv(frame, tmp_path / "binary.csv"))

    assert raw.variant == "binary-label"
    assert not raw.has_cat
    assert raw.frame["Label"].tolist() == [0, 1, 0, 1, 0, 1]


def test_text_label_without_cat(tmp_path):
    frame = official_frame().drop(columns=["Cat", "Sub_Cat"])
    frame["Label"] = frame["Label"].str.upper()  # case is not significant
    raw = read_flows(write_csv(frame, tmp_path / "text.csv"))

    assert raw.variant == "text-label"
    assert raw.frame["Label"].tolist() == ["Normal", "Anomaly"] * 3


def test_a_subset_of_columns(tmp_path):
    frame = official_frame()[["Flow_IAT_Mean", "Label", "Cat", "Flow_Duration"]]
    raw = read_flows(write_csv(frame, tmp_path / "subset.csv"))

    assert raw.variant == "official-subset"
    assert list(raw.frame.columns) == list(frame.columns)  # file order kept


def test_a_written_row_index_is_ignored(tmp_path):
    path = tmp_path / "indexed.csv"
    official_frame().to_csv(path)  # index=True adds an unnamed first column
    raw = read_flows(path)

    assert raw.frame.shape == (6, 86)
    assert raw.variant == "official"


def test_extra_text_column_is_kept_as_text(tmp_path):
    frame = official_frame()
    frame["Note"] = "seen at night"
    raw = read_flows(write_csv(frame, tmp_path / "note.csv"))

    assert raw.frame["Note"].dtype != np.float64
    assert raw.variant == "official-subset"


def test_flows_from_frame_copies_and_checks():
    frame = official_frame()
    frame["Label"] = (frame["Label"] == "Anomaly").astype(int)
    before = frame.copy()

    raw = flows_from_frame(frame, path="made here")

    pd.testing.assert_frame_equal(frame, before)
    assert raw.path == "made here"
    assert raw.variant == "binary-label"
    assert raw.frame["Label"].dtype == np.int8


# --------------------------------------------------------------------------- #
# Faults: one DataError naming the file and the column or row


def test_missing_file(tmp_path):
    path = tmp_path / "absent.csv"
    with pytest.raises(DataError, match=r"absent\.csv: no such file"):
        read_flows(path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(DataError, match=r"empty\.csv: empty file"):
        read_flows(path)


def test_blank_lines_only(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text("\n\n  \n")
    with pytest.raises(DataError, match=r"blank\.csv: empty file"):
        read_flows(path)


def test_header_only(tmp_path):
    path = write_csv(official_frame().iloc[:0], tmp_path / "header.csv")
    with pytest.raises(DataError, match=r"header\.csv: a header but no data rows"):
        read_flows(path)


def test_no_label_column(tmp_path):
    path = write_csv(official_frame().drop(columns=["Label"]), tmp_path / "nolabel.csv")
    with pytest.raises(DataError, match=r"nolabel\.csv: no 'Label' column"):
        read_flows(path)


def test_text_in_a_feature_column_names_column_and_row(tmp_path):
    frame = official_frame().astype({"Flow_IAT_Std": object})
    frame.loc[2, "Flow_IAT_Std"] = "fast"
    frame.loc[4, "Flow_IAT_Std"] = "slow"
    path = write_csv(frame, tmp_path / "text.csv")

    pattern = r"text\.csv: column 'Flow_IAT_Std' holds text 'fast' at data row 3 "
    with pytest.raises(DataError, match=pattern):
        read_flows(path)


def test_unknown_label_values(tmp_path):
    frame = official_frame()
    frame.loc[3, "Label"] = "Attack"
    path = write_csv(frame, tmp_path / "labels.csv")
    with pytest.raises(
        DataError,
        match=r"labels\.csv: column 'Label' holds unknown values \('Attack'\), "
        r"first at data row 4",
    ):
        read_flows(path)


def test_missing_label_value_is_unknown(tmp_path):
    frame = official_frame()
    frame.loc[0, "Label"] = None
    with pytest.raises(DataError, match=r"holds unknown values \(<empty>\), first at"):
        read_flows(write_csv(frame, tmp_path / "gap.csv"))


def test_duplicate_names_after_normalisation(tmp_path):
    frame = official_frame()
    frame.insert(8, "flow duration", frame["Flow_Duration"])
    path = write_csv(frame, tmp_path / "twice.csv")
    with pytest.raises(
        DataError,
        match=r"twice\.csv: columns 8 \('Flow_Duration'\) and 9 \('flow duration'\) "
        r"both normalise to 'Flow_Duration'",
    ):
        read_flows(path)


def test_same_name_twice(tmp_path):
    path = tmp_path / "same.csv"
    path.write_text("Label,A,A\nNormal,1,2\n")
    with pytest.raises(DataError, match=r"same\.csv: columns 2 \('A'\) and 3 \('A'\)"):
        read_flows(path)


def test_row_with_too_many_fields(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("Flow_Duration,Label\n1,Normal\n2,Anomaly,7\n")
    with pytest.raises(DataError, match=r"ragged\.csv: not well-formed CSV: .*line 3"):
        read_flows(path)


@pytest.mark.parametrize("columns", [None, ["Flow_Duration"]], ids=["all", "some"])
@pytest.mark.parametrize("line", ["2,Anomaly,7", "7,2,Anomaly"], ids=["last", "first"])
def test_row_with_too_many_fields_when_reading_some_columns(tmp_path, columns, line):
    path = tmp_path / "ragged.csv"
    path.write_text(f"Flow_Duration,Label\n1,Normal\n{line}\n")
    with pytest.raises(DataError, match=r"ragged\.csv: not well-formed CSV: .*line 3"):
        read_flows(path, columns=columns)
    with pytest.raises(DataError, match=r"ragged\.csv: not well-formed CSV: .*line 3"):
        read_features(path, ["Flow_Duration"])


def test_reading_some_columns_keeps_values_and_order(tmp_path):
    frame = official_frame()
    path = write_csv(frame, tmp_path / "f.csv")
    raw = read_flows(path, columns=["Bwd_IAT_Std", "Flow_Duration"])
    assert list(raw.frame.columns) == ["Flow_Duration", "Bwd_IAT_Std", *LABELS]
    for name in ["Flow_Duration", "Bwd_IAT_Std", *LABELS]:
        assert raw.frame[name].tolist() == frame[name].tolist(), name


def test_read_features_ignores_labels(tmp_path):
    frame = official_frame().astype({"Label": object})
    frame.loc[2, "Label"] = "Benign"
    path = write_csv(frame, tmp_path / "f.csv")
    read = read_features(path, ["Fwd IAT Std", "Flow_Duration"])
    assert list(read.columns) == ["Fwd_IAT_Std", "Flow_Duration"]
    assert (read.dtypes == np.float64).all()
    np.testing.assert_array_equal(read["Flow_Duration"], frame["Flow_Duration"])
    unlabelled = write_csv(frame[["Flow_Duration"]], tmp_path / "u.csv")
    assert len(read_features(unlabelled, ["Flow_Duration"])) == len(frame)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_read_features_faults(tmp_path, suffix):
    frame = pd.DataFrame({"Flow_Duration": [1.0, 2.0], "Extra": ["3", "x"]})
    path = tmp_path / f"f{suffix}"
    frame.to_csv(path, index=False) if suffix == ".csv" else frame.to_parquet(path)
    with pytest.raises(DataError, match=r"no column 'Fwd_IAT_Std'"):
        read_features(path, ["Fwd_IAT_Std"])
    # Not a release feature, but asked for as a number: text is an error.
    with pytest.raises(DataError, match=r"column 'Extra' holds text 'x' at data row 2"):
        read_features(path, ["Extra"])
    header_only = tmp_path / "h.csv"
    header_only.write_text("Flow_Duration\n")
    with pytest.raises(DataError, match=r"h\.csv: a header but no data rows"):
        read_features(header_only, ["Flow_Duration"])


def test_synthetic_rows_are_counted_by_their_mark(tmp_path):
    from mirai_gmm.synthetic import make_synthetic

    frame = make_synthetic(40, seed=1)
    frame.loc[:9, "Flow_ID"] = "192.168.0.13-192.168.0.16-1-2-6"
    raw = read_flows(write_csv(frame, tmp_path / "mixed.csv"))
    assert raw.synthetic_rows == 30 and raw.synthetic
    assert not read_flows(write_csv(official_frame(), tmp_path / "o.csv")).synthetic


def test_not_utf8(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("Flow_Duration,Label\n1,Normal\xe9\n".encode("latin-1"))
    with pytest.raises(DataError, match=r"latin\.csv: not UTF-8 text"):
        read_flows(path)


def test_not_parquet(tmp_path):
    path = tmp_path / "fake.parquet"
    path.write_text("Flow_Duration,Label\n1,Normal\n")
    with pytest.raises(DataError, match=r"fake\.parquet: cannot read the file"):
        read_flows(path)


def test_not_gzip(tmp_path):
    path = tmp_path / "fake.csv.gz"
    path.write_text("Flow_Duration,Label\n1,Normal\n")
    with pytest.raises(DataError, match=r"fake\.csv\.gz: cannot read the file"):
        read_flows(path)


def test_asked_for_a_column_the_file_lacks(tmp_path):
    path = write_csv(official_frame().drop(columns=["Fwd_IAT_Std"]), tmp_path / "f.csv")
    with pytest.raises(DataError, match=r"f\.csv: no column 'Fwd_IAT_Std'"):
        read_flows(path, columns=["Fwd IAT Std"])


def test_in_memory_faults_say_so():
    with pytest.raises(DataError, match=r"^<in-memory frame>: no 'Label' column"):
        flows_from_frame(pd.DataFrame({"Flow_Duration": [1.0]}))


def test_messages_are_one_line(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text('Flow_Duration,Label\n"1\n2",Normal\n3,Anomaly,4\n')
    with pytest.raises(DataError) as caught:
        read_flows(path)
    assert "\n" not in str(caught.value)


# --------------------------------------------------------------------------- #
# Arbitrary input: DataError or success, never another exception

_TOKENS = st.sampled_from(
    [
        "Label",
        "Cat",
        "Sub_Cat",
        "Flow_Duration",
        "Flow Duration",
        "Fwd IAT Std",
        "Flow_ID",
        "Protocol",
        "Normal",
        "Anomaly",
        "Mirai",
        "DoS",
        "0",
        "1",
        "2.5",
        "-inf",
        "Infinity",
        "NaN",
        "",
        " ",
        "abc",
        '"',
        '"a,b"',
        "\ufeff",
        "é",
    ]
)
_LINES = st.lists(st.lists(_TOKENS, max_size=6).map(",".join), max_size=8)
_TEXT = st.tuples(_LINES, st.sampled_from(["\n", "\r\n"])).map(
    lambda parts: parts[1].join(parts[0]).encode("utf-8")
)
_CONTENT = st.one_of(_TEXT, st.binary(max_size=300))


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(content=_CONTENT, suffix=st.sampled_from([".csv", ".csv.gz", ".parquet"]))
def test_arbitrary_files_succeed_or_raise_data_error(content, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(gzip.compress(content) if suffix == ".csv.gz" else content)
        try:
            clean_flows(read_flows(path))
        except DataError as err:
            message = str(err)
            assert message.startswith(str(path))
            assert "\n" not in message


def test_every_row_longer_than_the_header(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("Flow_Duration,Label\n1,Normal,5\n2,Anomaly,6\n")
    with pytest.raises(DataError, match=r"wide\.csv: .*more fields than the header"):
        read_flows(path)


@pytest.mark.parametrize("first", ["Label", "Flow_Duration"])
def test_row_with_too_few_fields(tmp_path, first):
    # pandas fills a cut-off row with empty cells; it must be refused, not
    # dropped as non-finite or blamed on an empty label.
    other = "Flow_Duration" if first == "Label" else "Label"
    cell = {"Label": "Normal", "Flow_Duration": "1"}
    path = tmp_path / "short.csv"
    row = f"{cell[first]},{cell[other]},2\n"
    header = f"{first},{other},Fwd_IAT_Tot\n"
    path.write_text(header + row * 3 + f"{cell[first]}\n" + row)
    with pytest.raises(DataError, match=r"short\.csv: .*data row 4 has 1 fields"):
        read_flows(path)


def test_an_empty_last_cell_is_not_a_short_row(tmp_path):
    path = tmp_path / "empty-last.csv"
    path.write_text("Label,Flow_Duration\nNormal,1\nAnomaly,\n\nAnomaly,3\n")
    raw = read_flows(path)
    assert raw.frame["Flow_Duration"].isna().tolist() == [False, True, False]
