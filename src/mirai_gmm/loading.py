"""Read IoTID20 flow records into one checked frame with release column names.

`read_flows` accepts the official release and the shapes it circulates in:

- the official CSV (86 columns, string ``Label``/``Cat``/``Sub_Cat``), plain or
  compressed (``.csv.gz`` and any other compression pandas infers from the
  suffix), or as Parquet (``.parquet``, ``.pq``);
- published variants: a binary ``Label`` (0 = Normal, 1 = Anomaly) or a
  Normal/Anomaly ``Label`` without ``Cat``, identifiers replaced by integer
  codes, any subset of the columns in any order;
- CICFlowMeter's own column names (``Flow Duration``, ``Flow Bytes/s``), mapped
  with `mirai_gmm.schema.canonical_name`;
- a UTF-8 byte-order mark, CRLF line ends, and ``Infinity``, ``inf``,
  ``-inf``, ``NaN`` or empty cells in feature columns. These are parsed to
  float infinities and NaN and kept: dropping them is `mirai_gmm.cleaning`'s
  job, so that it can count them.

Every problem a user can cause (a missing or malformed file, text in a number
column, an unknown label) raises `DataError` with a one-line message naming the
file and the column or row; data rows are counted from 1, the header excluded.
"""

from __future__ import annotations

import csv
import logging
import re
import warnings
import zlib
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from mirai_gmm.schema import (
    FEATURES,
    IDENTIFIERS,
    LABELS,
    OFFICIAL_COLUMNS,
    SYNTHETIC_MARK,
    strip_name,
)
from mirai_gmm.schema import canonical_name as _canonical

__all__ = [
    "VARIANTS",
    "DataError",
    "RawFlows",
    "flows_from_frame",
    "read_features",
    "read_flows",
]

logger = logging.getLogger(__name__)

#: The shapes `read_flows` recognises, as reported in `RawFlows.variant`. When
#: several apply, the first in this order wins; ``has_cat`` and the ``Label``
#: column of the frame still tell the label shape of a ``cicflowmeter`` file.
VARIANTS: dict[str, str] = {
    "cicflowmeter": "at least one column had a CICFlowMeter spelling and was renamed",
    "binary-label": "Label is 0 (Normal) or 1 (Anomaly)",
    "text-label": "Label is Normal or Anomaly and there is no Cat column",
    "official": "the 86 release columns, release names, Normal/Anomaly Label, Cat",
    "official-subset": "release names, Normal/Anomaly Label and Cat, not the 86",
}

_PARQUET_SUFFIXES = (".parquet", ".pq")
_CHUNK_ROWS = 50_000
_IN_MEMORY = "<in-memory frame>"
# Columns with an empty header, or the names pandas gives them, hold a row index
# written by `DataFrame.to_csv`; they are not flow data.
_INDEX_NAME = re.compile(r"(Unnamed: \d+(_level_\d+)?)?")
_BINARY = {"0": 0, "1": 1, "0.0": 0, "1.0": 1}
_TEXT = {"normal": "Normal", "anomaly": "Anomaly"}


class DataError(ValueError):
    """A data file, or frame, that cannot be used as it is.

    The message is one line that names the file (``<in-memory frame>`` for a
    frame without a path) and the column or data row at fault, so that a
    command-line tool can print ``str(err)`` and stop.
    """


@dataclass(frozen=True)
class RawFlows:
    """Flow records as read, with release column names and checked labels.

    Attributes
    ----------
    frame : pandas.DataFrame
        One row per flow, index ``0..n-1``, columns named as in the release
        (`mirai_gmm.schema.OFFICIAL_COLUMNS` order is not imposed). Release
        feature columns are float64 and may hold NaN and +-inf; other columns
        are float64 when every value parses as a number and text otherwise.
        ``Label`` is int8 0/1 for binary files, else the strings
        ``'Normal'``/``'Anomaly'``; ``Cat`` and ``Sub_Cat`` are stripped
        strings. Identifiers read from CSV are text.
    path : str
        The path as given to `read_flows`, ``""`` for an in-memory frame.
    variant : str
        Which shape was recognised: a key of `VARIANTS`.
    has_cat : bool
        Whether the frame has a ``Cat`` column.
    synthetic_rows : int
        Rows whose ``Flow_ID`` carries `mirai_gmm.schema.SYNTHETIC_MARK`, the
        mark of `mirai_gmm.synthetic`; 0 when ``Flow_ID`` was not read.
    """

    frame: pd.DataFrame
    path: str
    variant: str
    has_cat: bool
    synthetic_rows: int = 0

    @property
    def synthetic(self) -> bool:
        """Whether any row was made by `mirai_gmm.synthetic` (not IoTID20)."""
        return self.synthetic_rows > 0


def read_flows(path: str | Path, *, columns: Iterable[str] | None = None) -> RawFlows:
    """Read an IoTID20 file (CSV, compressed CSV or Parquet) and check it.

    Parameters
    ----------
    path : str or Path
        The file. ``.parquet`` and ``.pq`` are read as Parquet, anything else
        as CSV with the compression pandas infers from the suffix.
    columns : iterable of str, optional
        Read only these columns (any spelling `canonical_name` understands)
        plus whichever of ``Label``, ``Cat`` and ``Sub_Cat`` the file has. This
        is smaller on the full release, but later steps then judge duplicates
        on these columns only. Every field of a CSV is still parsed, so a row
        with more fields than the header is refused as in a full read.

    Returns
    -------
    RawFlows

    Raises
    ------
    DataError
        When the file is missing, empty, has a header but no rows, is not
        well-formed CSV or Parquet, has no ``Label`` column, has two columns
        with the same name once normalised, holds text in a feature column,
        holds a ``Label`` other than Normal/Anomaly or 0/1, or lacks a column
        named in `columns`.

    Examples
    --------
    >>> raw = read_flows("data/raw/IoT Network Intrusion Dataset.csv")  # doctest: +SKIP
    >>> raw.variant, raw.frame.shape  # doctest: +SKIP
    ('official', (625783, 86))
    """
    where = str(path)
    frame, header = _read_file(Path(path), where, columns, labels=True)
    return _finish(frame, path=where, where=where, header=header)


def read_features(path: str | Path, columns: Iterable[str]) -> pd.DataFrame:
    """Read the numeric columns `columns` of a flow file; labels are not read.

    For flows to score: ``Label``, ``Cat`` and ``Sub_Cat`` may be absent or
    hold anything. The file itself is checked as `read_flows` checks it.

    Parameters
    ----------
    path : str or Path
        The file, CSV (compressed or not) or Parquet as for `read_flows`.
    columns : iterable of str
        The columns to read, in any spelling `canonical_name` understands.

    Returns
    -------
    pandas.DataFrame
        float64 columns with release names in the order of `columns`, index
        ``0..n-1``; cells may be NaN or +-inf.

    Raises
    ------
    DataError
        For the faults of the file `read_flows` reports, a missing column, or
        text in any of `columns`.
    """
    where = str(path)
    wanted = [_canonical(name) for name in columns]
    frame, _ = _read_file(Path(path), where, wanted, labels=False)
    if len(frame) == 0:
        raise DataError(f"{where}: a header but no data rows")
    for name in wanted:
        if frame[name].dtype != np.float64:
            frame[name] = _as_float(frame[name], name, where, strict=True)
    return frame[wanted]


def _read_file(
    file: Path, where: str, columns: Iterable[str] | None, *, labels: bool
) -> tuple[pd.DataFrame, list[str]]:
    """Read a CSV or Parquet file: the frame and the raw names of its columns."""
    if not file.exists():
        raise DataError(f"{where}: no such file")
    if file.is_dir():
        raise DataError(f"{where}: is a folder, expected a CSV or Parquet file")
    with _reading(where):
        if file.stat().st_size == 0:
            raise DataError(f"{where}: empty file (0 bytes)")
        if file.name.lower().endswith(_PARQUET_SUFFIXES):
            return _read_parquet(file, where, columns, labels=labels)
        return _read_csv(file, where, columns, labels=labels)


def flows_from_frame(frame: pd.DataFrame, *, path: str = "") -> RawFlows:
    """Check an in-memory frame exactly as `read_flows` checks a file.

    Parameters
    ----------
    frame : pandas.DataFrame
        Flow records with IoTID20 or CICFlowMeter column names. It is not
        modified; the result holds a copy with index ``0..n-1``.
    path : str, default ""
        Where the frame came from, used in error messages and kept in
        `RawFlows.path`.

    Returns
    -------
    RawFlows

    Raises
    ------
    DataError
        For the same faults as `read_flows`.
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame, got {type(frame).__name__}")
    where = path or _IN_MEMORY
    header = [str(name) for name in frame.columns]
    names, keep = _plan_columns(header, where)
    frame = frame.iloc[:, keep].copy()
    frame.columns = names
    frame = frame.reset_index(drop=True)
    return _finish(frame, path=path, where=where, header=[header[i] for i in keep])


# --------------------------------------------------------------------------- #
# Reading


@contextmanager
def _reading(where: str):
    """Turn the exceptions of a failed read into one-line `DataError`s."""
    try:
        with warnings.catch_warnings():
            # pandas only warns when every row has more fields than the header
            # and then drops the surplus: refuse rather than guess which went.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            yield
    except DataError:
        raise
    except pd.errors.ParserWarning as err:
        raise DataError(
            f"{where}: not well-formed CSV: the data rows have more fields than "
            "the header line"
        ) from err
    except pd.errors.EmptyDataError as err:
        raise DataError(f"{where}: empty file (no header line)") from err
    except pd.errors.ParserError as err:
        raise DataError(f"{where}: not well-formed CSV: {_one_line(err)}") from err
    except UnicodeDecodeError as err:
        raise DataError(
            f"{where}: not UTF-8 text (undecodable byte at offset {err.start}); "
            "save it as UTF-8 CSV, or decompress it if it is compressed under a "
            "name without .gz"
        ) from err
    except (OSError, EOFError, zlib.error) as err:
        raise DataError(f"{where}: cannot read the file: {_one_line(err)}") from err
    except ImportError as err:  # pragma: no cover - pyarrow is a dependency
        raise DataError(f"{where}: cannot read the file: {_one_line(err)}") from err
    except ValueError as err:
        # Parquet readers raise ValueError subclasses (pyarrow.ArrowInvalid) for
        # files that are not Parquet; report them as the user's file at fault.
        raise DataError(f"{where}: cannot read the file: {_one_line(err)}") from err


def _read_csv(
    file: Path, where: str, columns: Iterable[str] | None, *, labels: bool = True
) -> tuple[pd.DataFrame, list[str]]:
    """Read a CSV with the C engine, features straight into float64."""
    options = {"encoding": "utf-8-sig", "compression": "infer", "engine": "c"}
    # Header first, unparsed: pandas would rename duplicate names ('A', 'A.1')
    # and hide the clash that normalisation must report.
    first = pd.read_csv(
        file, header=None, nrows=1, dtype=str, keep_default_na=False, **options
    )
    header = ["" if pd.isna(cell) else str(cell) for cell in first.iloc[0]]
    names, keep = _plan_columns(header, where)
    wanted = _wanted(names, where, columns, labels=labels)
    # Unique placeholders for the columns dropped as row indexes.
    all_names = [f"__dropped_{i}" for i in range(len(header))]
    for position, name in zip(keep, names, strict=True):
        all_names[position] = name
    dtype = {name: ("float64" if name in FEATURES else str) for name in all_names}
    # No usecols: with it pandas skips the field count check and a row with
    # surplus fields is read shifted. Every column is parsed instead and the
    # unwanted ones dropped block by block, so memory stays that of the wanted.
    read = {"header": 0, "names": all_names, "index_col": False, **options}
    try:
        frame = _read_chunks(file, wanted, dtype=dtype, **read)
    except pd.errors.ParserError:
        raise
    except ValueError:
        # Text in a feature column: read everything as text so that the checks
        # of `_finish` can say which column and row.
        frame = _read_chunks(file, wanted, dtype=str, **read)
    last = all_names[-1]
    if last in frame.columns and frame[last].isna().any():
        empty_last = np.flatnonzero(frame[last].isna().to_numpy())
        _refuse_short_rows(file, where, len(header), empty_last, options)
    return frame, [header[i] for i in keep]


def _refuse_short_rows(
    file: Path, where: str, n_fields: int, rows: np.ndarray, options: dict
) -> None:
    """Raise DataError if any of `rows` has fewer fields than the header.

    pandas fills a cut-off row with empty cells without a word; its last
    cell is then empty, which is how `rows` were found. An empty last cell
    can also be honest, so the rows are counted again here, with Python's
    csv module, which this slower pass costs only for such files.
    """
    wanted = set(rows.tolist())
    handles = pd.io.common.get_handle(
        file, "r", encoding=options["encoding"], compression=options["compression"]
    )
    with handles:
        records = (fields for fields in csv.reader(handles.handle) if fields)
        next(records, None)  # the header
        for row, fields in enumerate(records):
            if row in wanted and len(fields) < n_fields:
                raise DataError(
                    f"{where}: not well-formed CSV: data row {row + 1} has "
                    f"{len(fields)} fields, the header {n_fields}"
                )
            if row >= rows[-1]:
                return


def _read_chunks(file: Path, wanted: list[str], **options) -> pd.DataFrame:
    """Read the `wanted` columns of a CSV in blocks of rows.

    The float64 columns go into one block, the other wanted columns into a
    frame; the rest of each block of rows is dropped as soon as it is parsed.

    Joining per-block frames would hold every block and the joined copy at
    once. The float64 columns are instead copied, block by block, into one
    array that grows by half when full, so the peak stays near one copy of the
    data: reading a 625,783-row, 86-column test file peaked at 1.05 GB this way
    against 1.4 GB for one `read_csv` call. Spare rows of the array are never
    written, so the operating system does not back them with memory.
    """
    dtype = options.get("dtype")
    floats = (
        [n for n, kind in dtype.items() if kind == "float64" and n in wanted]
        if isinstance(dtype, dict)
        else []
    )
    capacity = _guess_rows(file)
    block: np.ndarray | None = None
    others: list[pd.DataFrame] = []
    filled = 0
    with pd.read_csv(file, chunksize=_CHUNK_ROWS, **options) as reader:
        for chunk in reader:
            present = [name for name in floats if name in chunk.columns]
            if block is None:
                block = np.empty((capacity, len(present)), order="F")
            if filled + len(chunk) > len(block):
                grown = max(len(block) * 3 // 2, filled + len(chunk))
                block = _grow(block, grown, filled)
            block[filled : filled + len(chunk)] = chunk[present].to_numpy(np.float64)
            others.append(chunk[[name for name in wanted if name not in present]])
            filled += len(chunk)
    if block is None:
        return pd.read_csv(file, nrows=0, **options)[wanted]
    frame = pd.DataFrame(block[:filled], columns=present, copy=False)
    rest = pd.concat(others, ignore_index=True) if len(others) > 1 else others[0]
    # Insert the other columns at their places in the file: unlike selecting
    # the columns in file order, inserting does not copy the float block.
    order = [name for name in wanted if name in frame or name in rest]
    for name in rest.columns:  # both indexes are 0..filled-1
        frame.insert(order.index(name), name, rest[name])
    return frame


def _grow(block: np.ndarray, rows: int, filled: int) -> np.ndarray:
    """Return `block` with room for `rows` rows, the first `filled` kept."""
    grown = np.empty((rows, block.shape[1]), order="F")
    grown[:filled] = block[:filled]
    return grown


def _guess_rows(file: Path) -> int:
    """Rows a CSV probably holds, from its size and its first lines.

    A guess too small costs one copy of the array read so far; too large, the
    spare rows (the guess adds 2 %).
    """
    size = file.stat().st_size
    with open(file, "rb") as handle:
        sample = handle.read(1 << 20)
    if sample[:2] == b"\x1f\x8b" or sample.count(b"\n") < 2:
        # Compressed or one long line: start small and let the array grow.
        return _CHUNK_ROWS
    return int(size / (len(sample) / sample.count(b"\n")) * 1.02) + 1_000


def _read_parquet(
    file: Path, where: str, columns: Iterable[str] | None, *, labels: bool = True
) -> tuple[pd.DataFrame, list[str]]:
    """Read a Parquet file, only the wanted columns when `columns` is given."""
    import pyarrow.parquet as pq

    # pandas stores a non-trivial index as '__index_level_N__' columns.
    header = [
        name
        for name in pq.read_schema(file).names
        if not re.fullmatch(r"__index_level_\d+__", name)
    ]
    names, keep = _plan_columns(header, where)
    wanted = _wanted(names, where, columns, labels=labels)
    raw = [header[i] for i, name in zip(keep, names, strict=True) if name in wanted]
    frame = pd.read_parquet(file, columns=raw).reset_index(drop=True)
    frame.columns = [_canonical(name) for name in raw]
    return frame, [header[i] for i in keep]


def _plan_columns(header: list[str], where: str) -> tuple[list[str], list[int]]:
    """Return release names and positions of the columns to keep.

    Drops row-index columns and rejects two columns that normalise to one name.
    """
    names: list[str] = []
    keep: list[int] = []
    seen: dict[str, int] = {}
    for position, raw in enumerate(header):
        name = _canonical(raw)
        if _INDEX_NAME.fullmatch(name):
            logger.info(
                "%s: column %d (%r) ignored as a row index", where, position, raw
            )
            continue
        if name in seen:
            first = seen[name]
            raise DataError(
                f"{where}: columns {first + 1} ({header[first]!r}) and "
                f"{position + 1} ({raw!r}) both normalise to {name!r}; keep one"
            )
        seen[name] = position
        names.append(name)
        keep.append(position)
    return names, keep


def _wanted(
    names: list[str], where: str, columns: Iterable[str] | None, *, labels: bool
) -> list[str]:
    """Return the release names to read: all, or `columns` (plus the labels)."""
    if columns is None:
        return list(names)
    if isinstance(columns, str):
        columns = [columns]
    asked = [_canonical(name) for name in columns]
    for name in asked:
        if name not in names:
            raise DataError(
                f"{where}: no column {name!r} among its {len(names)} columns"
            )
    wanted = set(asked) | (set(LABELS) if labels else set())
    return [name for name in names if name in wanted]


# --------------------------------------------------------------------------- #
# Checking


def _finish(
    frame: pd.DataFrame, *, path: str, where: str, header: list[str]
) -> RawFlows:
    """Check labels, make features float64 and name the variant."""
    if len(frame) == 0:
        raise DataError(f"{where}: a header but no data rows")
    if "Label" not in frame.columns:
        raise DataError(
            f"{where}: no 'Label' column among its {frame.shape[1]} columns "
            "(expected Normal/Anomaly or 0/1)"
        )
    frame["Label"], binary = _parse_label(frame["Label"], where)
    for name in ("Cat", "Sub_Cat"):
        if name in frame.columns:
            frame[name] = frame[name].astype("str").str.strip()
    for name in frame.columns:
        if name in IDENTIFIERS or name in LABELS:
            continue
        if frame[name].dtype != np.float64:  # assigning would copy the block
            frame[name] = _as_float(frame[name], name, where)
    has_cat = "Cat" in frame.columns
    variant = _variant(header, binary=binary, has_cat=has_cat)
    return RawFlows(
        frame=frame,
        path=path,
        variant=variant,
        has_cat=has_cat,
        synthetic_rows=_synthetic_rows(frame),
    )


def _synthetic_rows(frame: pd.DataFrame) -> int:
    if "Flow_ID" not in frame.columns:
        return 0
    flow_id = frame["Flow_ID"].astype("string")
    return int(flow_id.str.startswith(SYNTHETIC_MARK).sum())


def _parse_label(label: pd.Series, where: str) -> tuple[pd.Series, bool]:
    """Return ``Label`` as int8 0/1 or 'Normal'/'Anomaly', and whether binary."""
    folded = label.astype("string").str.strip().str.casefold()
    if folded.isin(list(_BINARY)).all():
        return folded.map(_BINARY).astype("int8"), True
    if folded.isin(list(_TEXT)).all():
        return folded.map(_TEXT).astype("str"), False
    # Judge against the shape most of the column has, so that one stray value
    # is reported rather than every valid one.
    text = folded.isin(list(_TEXT)).sum() >= folded.isin(list(_BINARY)).sum()
    bad = ~folded.isin(list(_TEXT if text else _BINARY))
    position = int(np.flatnonzero(bad.to_numpy())[0])
    values = label[bad].drop_duplicates().head(5)
    shown = ", ".join(_short(value) for value in values)
    raise DataError(
        f"{where}: column 'Label' holds unknown values ({shown}), first at data "
        f"row {position + 1}; expected {'Normal/Anomaly' if text else '0/1'}"
    )


def _as_float(
    column: pd.Series, name: str, where: str, *, strict: bool = False
) -> pd.Series:
    """Return `column` as float64; text is an error in a feature or when `strict`."""
    if pd.api.types.is_numeric_dtype(column):
        return column.astype("float64")
    parsed = pd.to_numeric(column.astype("string").str.strip(), errors="coerce")
    bad = parsed.isna() & column.notna() & ~_blank(column)
    if not bad.any():
        return parsed.astype("float64")
    if name in FEATURES or strict:
        position = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(
            f"{where}: column {name!r} holds text {_short(column.iloc[position])} "
            f"at data row {position + 1} ({int(bad.sum())} such cells); expected "
            "numbers, 'inf', 'NaN' or empty cells"
        )
    # An extra column of text (a note, a file name) is kept but is no feature.
    logger.info("%s: column %r holds text; it is not used as a feature", where, name)
    return column


def _blank(column: pd.Series) -> pd.Series:
    """Cells that are empty or whitespace once read as text."""
    return column.astype("string").str.strip().fillna("").eq("")


def _variant(header: list[str], *, binary: bool, has_cat: bool) -> str:
    """Return the `VARIANTS` key that describes a file from its full header.

    `header` holds the raw names of every column kept, including those not
    read because of ``columns``, so a partial read of the release is still
    ``official``.
    """
    names = [_canonical(raw) for raw in header]
    renamed = any(
        name != strip_name(raw) for raw, name in zip(header, names, strict=True)
    )
    if renamed:
        return "cicflowmeter"
    if binary:
        return "binary-label"
    if not has_cat:
        return "text-label"
    if sorted(names) == sorted(OFFICIAL_COLUMNS):
        return "official"
    return "official-subset"


def _short(value: object, limit: int = 40) -> str:
    """Quote a cell for a one-line message."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "<empty>"
    text = repr(value) if isinstance(value, str) else repr(str(value))
    return text if len(text) <= limit else text[: limit - 4] + "...'"


def _one_line(err: BaseException) -> str:
    """An exception's message on one line."""
    return " ".join(str(err).split()) or type(err).__name__
