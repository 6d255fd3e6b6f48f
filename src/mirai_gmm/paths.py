"""Where the repository and its default outputs live."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DEFAULT_OUT", "RUNS_ROOT_VARIABLE", "project_root", "resolve", "run_folder"]

#: Folder, relative to the repository root, that a default run writes to.
DEFAULT_OUT = Path("reports") / "default"

#: Environment variable naming another folder for relative run folders.
#: ``make test`` sets it, so that nbval's re-run of the committed notebooks
#: writes under ``reports/nbval/`` and leaves ``reports/default`` as
#: ``make reproduce`` made it.
RUNS_ROOT_VARIABLE = "MIRAI_GMM_RUNS_ROOT"


def project_root(start: str | Path | None = None) -> Path:
    """Return the repository root: the nearest folder above `start` with pyproject.toml.

    Notebooks run with their own folder as the working directory, the Makefile
    with the root; resolving every relative path against the root lets both
    name the same files.

    Parameters
    ----------
    start : str or Path, optional
        Where to start looking. Defaults to the current working directory.

    Returns
    -------
    Path
        The root, or the package's own checkout when nothing is found above
        `start` (an installed copy run from elsewhere).
    """
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() and (folder / "src").is_dir():
            return folder
    return Path(__file__).resolve().parents[2]


def resolve(path: str | Path, root: Path | None = None) -> Path:
    """Return `path` unchanged when absolute, else joined to the repository root."""
    path = Path(path).expanduser()
    if path.is_absolute():
        return path
    return (root or project_root()) / path


def run_folder(path: str | Path) -> Path:
    """Resolve a notebook's `out_dir`, as `resolve` does unless redirected.

    A relative `path` is joined to the folder that the environment variable
    ``MIRAI_GMM_RUNS_ROOT`` names, when it is set, and to the repository
    root otherwise. An absolute `path` is used as it is.
    """
    redirected = os.environ.get(RUNS_ROOT_VARIABLE)
    return resolve(path, root=resolve(redirected) if redirected else None)
