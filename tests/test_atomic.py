"""Atomic writes: a failed or interrupted write keeps the previous output."""

import json
import os

import numpy as np
import pandas as pd
import pytest

from mirai_gmm import atomic
from mirai_gmm.atomic import (
    OutputError,
    atomic_path,
    check_writable,
    refuse_overwrite_input,
    save_figure,
    write_frame,
    write_json,
    write_text,
)


def leftovers(folder):
    """Temporary files a writer left behind in `folder`."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".tmp-"))


def test_atomic_path_replaces_on_success_and_creates_parents(tmp_path):
    target = tmp_path / "a" / "b" / "out.txt"
    with atomic_path(target) as tmp:
        assert tmp.parent == target.parent
        assert tmp.name.endswith("out.txt")
        assert not target.exists()
        tmp.write_text("new")
    assert target.read_text() == "new"
    assert leftovers(target.parent) == []


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_failed_write_keeps_old_output_and_no_temp(tmp_path, error):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(error):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise error
    assert target.read_text() == "old"
    assert leftovers(tmp_path) == []


def test_failed_rename_keeps_old_output(tmp_path, monkeypatch):
    target = tmp_path / "out.json"
    write_json(target, {"v": 1})

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", broken_replace)
    with pytest.raises(OutputError, match=r"cannot write .*out\.json: disk full"):
        write_json(target, {"v": 2})
    assert json.loads(target.read_text()) == {"v": 1}
    assert leftovers(tmp_path) == []


def test_a_device_or_pipe_is_never_replaced(tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(OutputError, match="pipe.*not a regular file"):
        write_json(pipe, {"v": 1})
    with pytest.raises(OutputError, match="not a regular file"):
        check_writable(pipe)
    assert pipe.is_fifo()
    assert leftovers(tmp_path) == []


def test_a_link_is_followed_and_kept(tmp_path):
    real = tmp_path / "models" / "real.json"
    write_json(real, {"v": 1})
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_json(link, {"v": 2})
    assert link.is_symlink()
    assert json.loads(real.read_text()) == {"v": 2}
    assert leftovers(tmp_path) == [] and leftovers(real.parent) == []


def test_an_unwritable_folder_is_named_by_the_users_path(tmp_path):
    blocked = tmp_path / "afile"
    blocked.write_text("")
    with pytest.raises(
        OutputError, match=r"cannot write .*afile/m\.json: .*afile is a file"
    ):
        check_writable(blocked / "m.json")
    check_writable(tmp_path / "new" / "m.json")
    assert leftovers(tmp_path / "new") == []


def test_interrupted_frame_writer_keeps_old_file(tmp_path, monkeypatch):
    target = tmp_path / "t.csv"
    write_frame(pd.DataFrame({"x": [1, 2]}), target)
    before = target.read_text()

    def interrupted(self, path, **kwargs):
        with open(path, "w") as handle:
            handle.write("x\n9\n")  # half a file, then Ctrl-C
        raise KeyboardInterrupt

    monkeypatch.setattr(pd.DataFrame, "to_csv", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_frame(pd.DataFrame({"x": [3]}), target)
    assert target.read_text() == before
    assert leftovers(tmp_path) == []


def test_write_text_and_permissions_follow_umask(tmp_path):
    target = write_text(tmp_path / "t.txt", "hello\n")
    assert target.read_text() == "hello\n"
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_write_json_keeps_key_order_and_converts_numpy(tmp_path):
    target = write_json(
        tmp_path / "m.json",
        {"z": np.float64(0.5), "a": np.int64(3), "v": np.array([1.0, 2.0])},
    )
    text = target.read_text()
    assert text.endswith("}\n")
    assert '\n  "z": 0.5' in text
    assert list(json.loads(text)) == ["z", "a", "v"]
    assert json.loads(text)["v"] == [1.0, 2.0]


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), np.float64("-inf")])
def test_write_json_refuses_non_finite_and_names_where(tmp_path, bad):
    target = tmp_path / "m.json"
    write_json(target, {"ok": 1})
    with pytest.raises(OutputError, match=r"m\.json.*metrics\.f1"):
        write_json(target, {"metrics": {"f1": bad}})
    assert json.loads(target.read_text()) == {"ok": 1}
    assert leftovers(tmp_path) == []


def test_write_json_refuses_unknown_objects(tmp_path):
    with pytest.raises(OutputError, match="object is not JSON serialisable"):
        write_json(tmp_path / "m.json", {"x": object()})


@pytest.mark.parametrize("name", ["t.csv", "t.csv.gz", "t.parquet"])
def test_write_frame_round_trip(tmp_path, name):
    frame = pd.DataFrame({"a": [1.5, 2.5], "b": ["x", "y"]})
    path = write_frame(frame, tmp_path / name)
    back = pd.read_parquet(path) if name.endswith("parquet") else pd.read_csv(path)
    pd.testing.assert_frame_equal(back, frame)


@pytest.mark.parametrize("name", ["t.xlsx", "t.gz", "t"])
def test_write_frame_unknown_suffix(tmp_path, name):
    with pytest.raises(OutputError, match="unknown table format"):
        write_frame(pd.DataFrame({"a": [1]}), tmp_path / name)


def test_save_figure_png(tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    path = save_figure(fig, tmp_path / "figs" / "01-line.png", dpi=50)
    plt.close(fig)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert leftovers(path.parent) == []


def test_refuse_overwrite_input_same_relative_and_symlink(tmp_path, monkeypatch):
    data = tmp_path / "data" / "flows.csv"
    data.parent.mkdir()
    data.write_text("x\n1\n")
    link = tmp_path / "link.csv"
    link.symlink_to(data)
    monkeypatch.chdir(tmp_path)

    for output in (data, "data/../data/flows.csv", link):
        expected = r"refusing to write .*: it is the input file data/flows\.csv"
        with pytest.raises(OutputError, match=expected):
            refuse_overwrite_input(output, "other.csv", None, "data/flows.csv")

    refuse_overwrite_input(tmp_path / "out.csv", data, None)  # no error
    refuse_overwrite_input(tmp_path / "new" / "x.csv", tmp_path / "missing.csv")


def test_atomic_path_refuses_a_folder(tmp_path):
    with pytest.raises(OutputError, match="is a folder"):
        with atomic_path(tmp_path):
            pass
