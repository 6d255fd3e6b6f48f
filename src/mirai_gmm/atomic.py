"""Write outputs so that a failed run never leaves a half-written file.

Every writer here fills a temporary file in the destination folder and renames
it over the destination with :func:`os.replace` only once it is complete. A
rename within one folder (one file system) is atomic on POSIX and Windows, so a
reader sees either the previous file or the new one, and a run stopped by an
error or by Ctrl-C leaves the previous result in place.
"""

from __future__ import annotations

import json
import logging
import math
import os
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "OutputError",
    "atomic_path",
    "check_writable",
    "refuse_overwrite_input",
    "save_figure",
    "write_frame",
    "write_json",
    "write_text",
]

logger = logging.getLogger(__name__)

#: Suffixes :func:`write_frame` understands, mapped to the writer used.
FRAME_FORMATS = {".csv": "csv", ".gz": "csv", ".parquet": "parquet", ".pq": "parquet"}


class OutputError(ValueError):
    """An output cannot be written where or as asked (one line, names the file)."""


def _temp_name(path: Path) -> Path:
    # The random part goes first and the real name last, so every suffix
    # (".csv.gz", ".png", ".ipynb") survives: pandas, matplotlib and papermill
    # pick the format or compression from it. The leading dot hides the file.
    return path.with_name(f".tmp-{secrets.token_hex(4)}-{path.name}")


@contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path that replaces `path` when the block succeeds.

    The parent folder is created when missing. The temporary file lives in
    the same folder as `path` and ends with the same suffixes, so writers that
    choose a format from the file name behave as they would on `path`.

    Parameters
    ----------
    path : str or os.PathLike
        The file to write in the end.

    Yields
    ------
    Path
        An empty, freshly created file to write to (writers may overwrite or
        recreate it).

    Raises
    ------
    OutputError
        When `path` is a folder or a device, pipe or socket (renaming over
        one would silently replace it), or when its folder cannot be written.

    Notes
    -----
    On any exception, including :class:`KeyboardInterrupt`, the temporary file
    is removed, `path` keeps its previous content and the exception goes on.
    A symbolic link is followed: the file it points to is replaced and the
    link stays a link.

    Examples
    --------
    >>> with atomic_path("out/result.txt") as tmp:  # doctest: +SKIP
    ...     tmp.write_text("done\\n")
    """
    given = Path(path)
    path = _destination(given)
    tmp = _create_temp(path, given)
    try:
        yield tmp
        try:
            os.replace(tmp, path)
        except OSError as error:
            reason = error.strerror or str(error)
            raise OutputError(f"cannot write {given}: {reason}") from None
    except BaseException:
        # BaseException, not Exception: Ctrl-C must not leave the temp file.
        try:
            tmp.unlink()
        except FileNotFoundError:
            pass
        raise
    logger.debug("wrote %s", path)


def check_writable(path: str | os.PathLike) -> None:
    """Raise OutputError now if `path` could not be written by `atomic_path`.

    Commands call this before long work, so that a folder without write
    permission is reported at once rather than after the work is done.
    """
    given = Path(path)
    _create_temp(_destination(given), given).unlink()


def _destination(given: Path) -> Path:
    """The file to replace: `given`, or the file a symbolic link points to."""
    path = Path(os.path.realpath(given)) if given.is_symlink() else given
    if path.is_dir():
        raise OutputError(f"cannot write {given}: it is a folder")
    if path.exists() and not path.is_file():
        raise OutputError(
            f"cannot write {given}: it is not a regular file (a device, pipe or "
            "socket), and replacing it would destroy it; name a file instead"
        )
    return path


def _create_temp(path: Path, given: Path) -> Path:
    """Create an empty temporary file beside `path`; errors name `given`."""
    blocking = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise OutputError(f"cannot write {given}: {blocking} is a file, not a folder")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            tmp = _temp_name(path)
            try:
                # O_EXCL: never reuse a name another run is writing; mode
                # 0o666 lets the umask decide permissions, as open() would.
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            except FileExistsError:
                continue
            os.close(fd)
            return tmp
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise OutputError(f"cannot write {given}: {reason}") from None


def write_text(path: str | os.PathLike, text: str, *, encoding: str = "utf-8") -> Path:
    """Write `text` to `path` atomically and return `path` as a Path."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding=encoding)
    return Path(path)


def _to_builtin(value: Any) -> Any:
    # json.dumps calls this for objects it does not know: NumPy scalars and
    # arrays, pandas objects and paths appear in metrics and reports.
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, pd.Series):
        return value.to_dict()
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _non_finite_at(obj: Any, where: str = "") -> str | None:
    """Return the key path of the first NaN or infinity in `obj`, else None."""
    if isinstance(obj, Mapping):
        for key, value in obj.items():
            found = _non_finite_at(value, f"{where}.{key}" if where else str(key))
            if found is not None:
                return found
    elif isinstance(obj, list | tuple | np.ndarray | pd.Series):
        for i, value in enumerate(list(obj)):
            found = _non_finite_at(value, f"{where}[{i}]")
            if found is not None:
                return found
    elif isinstance(obj, float | np.floating) and not math.isfinite(obj):
        return where or "<top level>"
    return None


def write_json(path: str | os.PathLike, obj: Any, *, indent: int = 2) -> Path:
    """Write `obj` as JSON to `path` atomically, keys in their given order.

    Parameters
    ----------
    path : str or os.PathLike
        Destination file.
    obj : object
        JSON-ready data; NumPy scalars and arrays and paths are converted.
    indent : int, default 2
        Indentation of the written file.

    Returns
    -------
    Path
        `path`.

    Raises
    ------
    OutputError
        When `obj` holds NaN or infinity (JSON has neither; writing them would
        give a file other readers reject), or an object JSON cannot hold. The
        previous file is left untouched.
    """
    try:
        text = json.dumps(
            obj, indent=indent, sort_keys=False, allow_nan=False, default=_to_builtin
        )
    except ValueError as error:
        where = _non_finite_at(obj)
        detail = f"the value at {where} is not finite" if where else str(error)
        raise OutputError(
            f"cannot write {path}: {detail} (JSON has no NaN or Infinity)"
        ) from error
    except TypeError as error:
        raise OutputError(f"cannot write {path}: {error}") from error
    return write_text(path, text + "\n")


def write_frame(
    frame: pd.DataFrame, path: str | os.PathLike, *, index: bool = False
) -> Path:
    """Write a DataFrame atomically as CSV or Parquet, chosen by the suffix.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table to write.
    path : str or os.PathLike
        Ends with ``.csv``, ``.csv.gz`` or ``.parquet``.
    index : bool, default False
        Whether to write the index as well.

    Returns
    -------
    Path
        `path`.
    """
    path = Path(path)
    kind = frame_format(path)
    with atomic_path(path) as tmp:
        if kind == "csv":
            frame.to_csv(tmp, index=index)
        else:
            frame.to_parquet(tmp, index=index)
    return path


def frame_format(path: str | os.PathLike) -> str:
    """``"csv"`` or ``"parquet"``, from the suffix; OutputError for any other."""
    path = Path(path)
    kind = FRAME_FORMATS.get(path.suffix.lower())
    suffixes = [suffix.lower() for suffix in path.suffixes]
    if kind is None or (path.suffix.lower() == ".gz" and ".csv" not in suffixes):
        raise OutputError(
            f"cannot write {path}: unknown table format "
            "(use .csv, .csv.gz, .parquet or .pq)"
        )
    return kind


def save_figure(fig: Any, path: str | os.PathLike, *, dpi: int = 150, **kwargs) -> Path:
    """Save a Matplotlib figure atomically; the format comes from the suffix.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    path : str or os.PathLike
        Destination, e.g. ``figures/03-f1-vs-epsilon.png``.
    dpi : int, default 150
        Resolution for raster formats, in dots per inch.
    **kwargs
        Passed to :meth:`matplotlib.figure.Figure.savefig`
        (``bbox_inches="tight"`` unless given).

    Returns
    -------
    Path
        `path`.
    """
    path = Path(path)
    fmt = path.suffix.lstrip(".").lower()
    if not fmt:
        raise OutputError(f"cannot write {path}: the figure file needs a suffix")
    kwargs.setdefault("bbox_inches", "tight")
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=dpi, format=fmt, **kwargs)
    return path


def _same_file(a: Path, b: Path) -> bool:
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)  # hard links, bind mounts
    except OSError:
        return False


def refuse_overwrite_input(
    output: str | os.PathLike, *inputs: str | os.PathLike | None
) -> None:
    """Raise OutputError when `output` is one of `inputs`.

    Paths are compared after resolving symbolic links and relative parts, and
    by file identity when both exist, so ``./data/../data/x.csv`` or a link to
    an input is caught as well.

    Parameters
    ----------
    output : str or os.PathLike
        The file about to be written.
    *inputs : str or os.PathLike or None
        Files the run reads; None entries are ignored.

    Raises
    ------
    OutputError
        Naming both paths.
    """
    out = Path(output).expanduser()
    for given in inputs:
        if given is None:
            continue
        source = Path(given).expanduser()
        if _same_file(out, source):
            raise OutputError(
                f"refusing to write {output}: it is the input file {given}"
            )
