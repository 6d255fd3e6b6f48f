"""Fixtures shared by the test modules."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

#: Real IoTID20 samples live beside the repository, never inside it: in
#: ../shared/data/iotid20, or wherever MIRAI_GMM_SHARED_DATA points.
SHARED_DIR = Path(
    os.environ.get("MIRAI_GMM_SHARED_DATA")
    or Path(__file__).resolve().parents[1].parent / "shared" / "data" / "iotid20"
)


@pytest.fixture
def shared_dir() -> Path:
    """The shared IoTID20 folder, or skip when this checkout has none."""
    if not SHARED_DIR.is_dir():
        pytest.skip(
            f"no shared IoTID20 data at {SHARED_DIR} (set MIRAI_GMM_SHARED_DATA)"
        )
    return SHARED_DIR


@pytest.fixture
def head5_path(shared_dir: Path) -> Path:
    """The five official rows of IoTID20, all 86 columns as released."""
    path = shared_dir / "real" / "iotid20_head5_official.csv"
    if not path.is_file():
        pytest.skip(f"missing {path}")
    return path
