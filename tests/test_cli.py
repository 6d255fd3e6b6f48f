"""The command line: every subcommand's normal use and each user fault.

Commands run in-process through `main`, so output is captured by capsys; one
test starts ``python -m mirai_gmm`` as a user would. Every fault a user can
make must end with exit status 2 and a single line on stderr naming the file
(and the column or row where one is at fault), never a traceback.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from mirai_gmm import atomic
from mirai_gmm.cli import main
from mirai_gmm.detector import GaussianDetector
from mirai_gmm.synthetic import make_synthetic

REPO = Path(__file__).resolve().parents[1]
COMMANDS = ("check-data", "make-synthetic", "fit", "score", "reproduce")
FEATURES = "Flow_Duration,Flow_IAT_Mean,Fwd_IAT_Tot"


# --------------------------------------------------------------------------- #
# Fixtures and helpers


@pytest.fixture(scope="module")
def synthetic_frame():
    return make_synthetic(n_rows=3000)


@pytest.fixture
def flows(tmp_path, synthetic_frame):
    path = tmp_path / "flows.csv"
    synthetic_frame.to_csv(path, index=False)
    return path


@pytest.fixture
def model(tmp_path, flows, capsys):
    path = tmp_path / "model.json"
    assert main(["fit", str(flows), "-o", str(path), "--features", FEATURES]) == 0
    capsys.readouterr()
    return path


@pytest.fixture
def shared(shared_dir):
    """The real files of ../shared (the conftest fixture skips when absent)."""
    return shared_dir / "real"


def error_line(capsys):
    """Return the single stderr line of a failed command, checking its form."""
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("mirai-gmm: error: "), lines[0]
    assert "Traceback" not in captured.err
    return lines[0]


def fails(argv, capsys, *fragments):
    """Run `argv`, expect exit 2 and one error line holding every fragment."""
    assert main([str(a) for a in argv]) == 2
    line = error_line(capsys)
    for fragment in fragments:
        assert str(fragment) in line, line
    return line


def leftovers(folder):
    return [p.name for p in Path(folder).rglob(".tmp-*")]


# --------------------------------------------------------------------------- #
# Help


def test_module_help_runs_as_a_program():
    done = subprocess.run(
        [sys.executable, "-m", "mirai_gmm", "--help"],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    for command in COMMANDS:
        assert command in done.stdout


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("check-data", ["DATA", "--positive"]),
        ("make-synthetic", ["--output", "--rows", "--seed", "--classes"]),
        (
            "fit",
            [
                "--output",
                "--positive",
                "--seed",
                "--min-f1",
                "--n-candidates",
                "--features",
                "--log10-epsilon",
                "--fractions",
            ],
        ),
        ("score", ["MODEL.json", "FLOWS", "--output", "--invalid", "from 1"]),
        ("reproduce", ["--data", "--out", "--params"]),
    ],
)
def test_every_option_has_help(capsys, command, options):
    assert main([command, "--help"]) == 0
    text = capsys.readouterr().out
    for option in options:
        assert option in text


def test_option_errors_are_one_line(capsys):
    fails([], capsys, "COMMAND")
    fails(["fit", "x.csv", "-o", "m.json", "--fractions", "0.5,0.5"], capsys, "0.5")
    fails(["fit", "x.csv"], capsys, "--output", "mirai-gmm fit --help")
    fails(["make-synthetic", "-o", "s.csv", "--rows", "0"], capsys, "--rows")


@pytest.mark.parametrize("seed", ["-1", str(2**32), "1.5"])
@pytest.mark.parametrize("command", ["fit", "make-synthetic"])
def test_seed_out_of_range_is_an_option_error(capsys, command, seed):
    argv = [command, "-o", "x.json", "--seed", seed]
    if command == "fit":
        argv.insert(1, "x.csv")
    fails(argv, capsys, "--seed", seed)


def test_largest_seed_is_accepted(tmp_path, capsys):
    path = tmp_path / "s.csv"
    argv = ["make-synthetic", "-o", path, "--rows", "50", "--seed", 2**32 - 1]
    assert main([str(a) for a in argv]) == 0


@pytest.mark.parametrize(
    "features", ["Flow_Duration,Flow_Duration", "Flow_Duration,flow duration"]
)
def test_feature_given_twice(tmp_path, flows, capsys, features):
    argv = ["fit", flows, "-o", tmp_path / "m.json", "--features", features]
    fails(argv, capsys, "--features", "'Flow_Duration' is given twice")
    assert not (tmp_path / "m.json").exists()


# --------------------------------------------------------------------------- #
# Normal use


@pytest.mark.parametrize("name", ["s.csv", "s.csv.gz", "s.parquet"])
def test_make_synthetic(tmp_path, capsys, name):
    path = tmp_path / "sub" / name
    argv = ["make-synthetic", "-o", str(path), "--rows", "500", "--seed", "3"]
    assert main(argv) == 0
    assert "500 rows" in capsys.readouterr().out
    frame = pd.read_parquet(path) if name.endswith("parquet") else pd.read_csv(path)
    assert frame.shape == (500, 86)
    assert set(frame["Cat"]) == {"Normal", "Mirai"}
    assert leftovers(tmp_path) == []


def test_make_synthetic_unknown_format(tmp_path, capsys):
    fails(["make-synthetic", "-o", tmp_path / "s.xlsx"], capsys, "s.xlsx", "format")


def test_check_data_on_synthetic(flows, capsys):
    assert main(["check-data", str(flows)]) == 0
    out = capsys.readouterr().out
    assert "official" in out
    assert "3,000 rows" in out
    assert "Paper features (Table I): 9 of 9 present" in out
    assert "Official release: no" in out
    assert "SYNTHETIC: 3,000 of 3,000 rows" in out
    assert "Cat == 'Mirai'" in out
    assert "rows kept" in out


def test_a_renamed_synthetic_file_is_still_called_synthetic(flows, tmp_path, capsys):
    renamed = tmp_path / "iotid20.csv"
    renamed.write_bytes(flows.read_bytes())
    model = tmp_path / "m.json"
    assert main(["fit", str(renamed), "-o", str(model)]) == 0
    assert "SYNTHETIC, not IoTID20" in capsys.readouterr().out


def test_fit_then_score_round_trip(tmp_path, flows, capsys):
    model = tmp_path / "models" / "m.json"
    assert main(["fit", str(flows), "-o", str(model), "--seed", "1"]) == 0
    out = capsys.readouterr().out
    for heading in ("features", "log10 epsilon", "validation F1", "test:"):
        assert heading in out
    detector = GaussianDetector.load(model)

    assert main(["score", str(model), str(flows)]) == 0
    on_stdout = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out))
    predictions = tmp_path / "p.csv"
    assert main(["score", str(model), str(flows), "-o", str(predictions)]) == 0
    written = pd.read_csv(predictions)
    pd.testing.assert_frame_equal(written, on_stdout)

    assert written.columns.tolist() == ["row", "prediction", "log_density"]
    frame = pd.read_csv(flows)
    X = frame[detector.feature_names_in_.tolist()]
    # Data rows counted from 1, as in error messages.
    assert written["row"].tolist() == list(range(1, len(frame) + 1))
    np.testing.assert_array_equal(written["prediction"], detector.predict(X))
    np.testing.assert_allclose(written["log_density"], detector.score_samples(X))
    assert leftovers(tmp_path) == []


def test_fit_with_given_features_and_threshold(tmp_path, flows, capsys):
    model = tmp_path / "m.json"
    argv = ["fit", flows, "-o", model, "--features", "flow duration,Fwd_IAT_Tot"]
    argv += ["--log10-epsilon", "-7.5", "--fractions", "0.5,0.25,0.25"]
    assert main([str(a) for a in argv]) == 0
    state = json.loads(model.read_text())
    assert state["feature_names"] == ["Flow_Duration", "Fwd_IAT_Tot"]
    assert state["log10_epsilon"] == pytest.approx(-7.5)
    assert "(given)" in capsys.readouterr().out


def test_score_flows_without_labels(tmp_path, model, synthetic_frame, capsys):
    unlabelled = tmp_path / "unlabelled.csv"
    synthetic_frame.drop(columns=["Label", "Cat", "Sub_Cat"]).to_csv(
        unlabelled, index=False
    )
    assert main(["score", str(model), str(unlabelled)]) == 0
    scored = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out))
    assert len(scored) == len(synthetic_frame)
    assert set(scored["prediction"]) <= {0, 1}


def test_score_needs_only_the_model_features(tmp_path, model, synthetic_frame, capsys):
    few = tmp_path / "few.parquet"
    synthetic_frame[FEATURES.split(",")].to_parquet(few)
    assert main(["score", str(model), str(few)]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 1 + 3000


def test_fit_pipeline_result(synthetic_frame):
    from mirai_gmm.cleaning import clean_flows
    from mirai_gmm.loading import flows_from_frame
    from mirai_gmm.pipeline import fit_pipeline

    clean = clean_flows(flows_from_frame(synthetic_frame))
    result = fit_pipeline(clean, seed=0, min_f1=0.0, n_candidates=5)
    assert len(result.candidates.kept) == 5
    assert result.ranking["feature"].tolist()[: len(result.selected)] == (
        result.selected
    )
    assert len(result.selected) == 5  # every candidate reaches F1 >= 0
    assert result.detector.feature_names_in_.tolist() == result.selected
    assert set(result.test_metrics) >= {"precision", "recall", "f1", "accuracy"}
    assert 0 < result.val_f1 <= 1
    sizes = [len(y) for _, y in result.splits.values()]
    assert sum(sizes) == len(clean.target)


# --------------------------------------------------------------------------- #
# Faults in the data


@pytest.mark.parametrize("command", ["check-data", "fit"])
def test_missing_file(tmp_path, capsys, command):
    path = tmp_path / "nope.csv"
    extra = ["-o", str(tmp_path / "m.json")] if command == "fit" else []
    fails([command, path, *extra], capsys, "nope.csv")


@pytest.mark.parametrize(
    ("content", "expected"),
    [("", "empty"), ("Flow_Duration,Label\n", "no data rows")],
    ids=["empty", "header-only"],
)
def test_empty_and_header_only(tmp_path, capsys, content, expected):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    fails(["check-data", path], capsys, "bad.csv", expected)
    fails(["fit", path, "-o", tmp_path / "m.json"], capsys, "bad.csv")
    assert not (tmp_path / "m.json").exists()


def test_text_in_numeric_column_names_column_and_row(tmp_path, synthetic_frame, capsys):
    frame = synthetic_frame.head(50).copy()
    frame["Flow_Duration"] = frame["Flow_Duration"].astype(object)
    frame.loc[7, "Flow_Duration"] = "oops"
    path = tmp_path / "text.csv"
    frame.to_csv(path, index=False)
    line = fails(["fit", path, "-o", tmp_path / "m.json"], capsys, "text.csv")
    assert "Flow_Duration" in line
    assert "row 8" in line  # data rows counted from 1, as loading does


def test_given_feature_missing(tmp_path, flows, capsys):
    argv = ["fit", flows, "-o", tmp_path / "m.json", "--features", "Flow_Duration,Nope"]
    fails(argv, capsys, "flows.csv", "'Nope'")


@pytest.mark.parametrize(
    ("keep", "expected"),
    [("Normal", "Mirai"), ("Mirai", "no Normal rows")],
    ids=["no-attack", "no-normal"],
)
def test_one_class_only(tmp_path, synthetic_frame, capsys, keep, expected):
    path = tmp_path / "one.csv"
    synthetic_frame[synthetic_frame["Cat"] == keep].to_csv(path, index=False)
    fails(["fit", path, "-o", tmp_path / "m.json"], capsys, "one.csv", expected)


def test_one_row_only(tmp_path, synthetic_frame, capsys):
    path = tmp_path / "row.csv"
    synthetic_frame.head(1).to_csv(path, index=False)
    fails(["fit", path, "-o", tmp_path / "m.json"], capsys, "row.csv")


def test_too_few_rows_of_a_class(tmp_path, synthetic_frame, capsys):
    normal = synthetic_frame[synthetic_frame["Cat"] == "Normal"].head(3)
    mirai = synthetic_frame[synthetic_frame["Cat"] == "Mirai"].head(200)
    path = tmp_path / "few.csv"
    pd.concat([normal, mirai]).to_csv(path, index=False)
    fails(["fit", path, "-o", tmp_path / "m.json"], capsys, "few.csv", "at least")


def test_unknown_positive_class(tmp_path, flows, capsys):
    argv = ["fit", flows, "-o", tmp_path / "m.json", "--positive", "Zombies"]
    fails(argv, capsys, "flows.csv", "Zombies")


# --------------------------------------------------------------------------- #
# Faults in the model or the flows to score


@pytest.mark.parametrize(
    ("content", "expected"),
    [("{not json", "not a JSON model"), ('{"means": [1.0]}', "missing field")],
    ids=["bad-json", "missing-field"],
)
def test_bad_model_file(tmp_path, flows, capsys, content, expected):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    fails(["score", bad, flows], capsys, "bad.json", expected)


def test_missing_model_file(tmp_path, flows, capsys):
    fails(["score", tmp_path / "none.json", flows], capsys, "none.json")


def test_flows_lacking_a_model_feature(tmp_path, model, synthetic_frame, capsys):
    for name, frame in {
        "labelled.csv": synthetic_frame.drop(columns=["Fwd_IAT_Tot"]),
        "unlabelled.csv": synthetic_frame[["Flow_Duration", "Flow_IAT_Mean"]],
    }.items():
        path = tmp_path / name
        frame.to_csv(path, index=False)
        fails(["score", model, path], capsys, name, "Fwd_IAT_Tot")


def test_flows_with_non_finite_value(tmp_path, model, synthetic_frame, capsys):
    frame = synthetic_frame[FEATURES.split(",")].head(20).copy()
    frame.loc[4, "Flow_IAT_Mean"] = np.inf
    path = tmp_path / "inf.csv"
    frame.to_csv(path, index=False)
    fails(["score", model, path], capsys, "inf.csv", "Flow_IAT_Mean", "row 5")


def test_missing_flows_file(tmp_path, model, capsys):
    fails(["score", model, tmp_path / "gone.csv"], capsys, "gone.csv")


def test_non_finite_error_names_count_and_option(
    tmp_path, model, synthetic_frame, capsys
):
    frame = synthetic_frame.head(20).copy()
    frame.loc[[3, 9], "Fwd_IAT_Tot"] = np.nan
    path = tmp_path / "nan.csv"
    frame.to_csv(path, index=False)
    fails(["score", model, path], capsys, "'Fwd_IAT_Tot'", "row 4", "2 such rows")
    fails(["score", model, path], capsys, "--invalid mark")


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_invalid_mark_leaves_those_rows_unscored(
    tmp_path, model, synthetic_frame, capsys, suffix
):
    frame = synthetic_frame.head(20).astype({"Flow_Duration": "float64"})
    frame.loc[3, "Fwd_IAT_Tot"] = np.nan
    frame.loc[9, "Flow_Duration"] = -np.inf
    path = tmp_path / f"bad{suffix}"
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path)
    out = tmp_path / f"p{suffix}"
    assert (
        main(["score", str(model), str(path), "--invalid", "mark", "-o", str(out)]) == 0
    )
    assert "marked 2 of 20 flows" in capsys.readouterr().err
    scored = pd.read_csv(out) if suffix == ".csv" else pd.read_parquet(out)
    assert scored["row"].tolist() == list(range(1, 21))
    unscored = scored["prediction"].isna() & scored["log_density"].isna()
    assert scored.index[unscored].tolist() == [3, 9]
    good = frame.drop(index=[3, 9])[FEATURES.split(",")]
    detector = GaussianDetector.load(model)
    np.testing.assert_allclose(
        scored["log_density"].dropna(), detector.score_samples(good)
    )


def test_invalid_mark_on_stdout_writes_empty_cells(
    tmp_path, model, synthetic_frame, capsys
):
    frame = synthetic_frame.head(3).copy()
    frame.loc[1, "Flow_IAT_Mean"] = np.inf
    path = tmp_path / "inf.csv"
    frame.to_csv(path, index=False)
    assert main(["score", str(model), str(path), "--invalid", "mark"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[2] == "2,,"


@pytest.mark.parametrize("labelled", [True, False], ids=["labelled", "unlabelled"])
@pytest.mark.parametrize("where", ["first", "last"])
def test_score_refuses_a_row_with_extra_fields(
    tmp_path, model, synthetic_frame, capsys, labelled, where
):
    frame = synthetic_frame.head(10)
    if not labelled:
        frame = frame.drop(columns=["Label", "Cat", "Sub_Cat"])
    path = tmp_path / "ragged.csv"
    frame.to_csv(path, index=False)
    lines = path.read_text().splitlines()
    # Extra fields first shift every value of the row: it must not be scored.
    lines[5] = "1,2," + lines[5] if where == "first" else lines[5] + ",1,2"
    path.write_text("\n".join(lines) + "\n")
    fails(["score", model, path], capsys, "ragged.csv", "not well-formed", "line 6")
    fails(["check-data", path], capsys, "ragged.csv", "line 6")


def test_score_ignores_labels(tmp_path, model, synthetic_frame, capsys):
    frame = synthetic_frame.head(10).copy()
    frame["Label"] = frame["Label"].astype(object)
    frame.loc[4, "Label"] = "Benign"
    frame.loc[5, "Cat"] = np.nan
    path = tmp_path / "benign.csv"
    frame.to_csv(path, index=False)
    assert main(["score", str(model), str(path)]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1 + 10


# --------------------------------------------------------------------------- #
# Outputs


def test_output_over_input_is_refused(tmp_path, flows, model, capsys, monkeypatch):
    before = flows.read_bytes()
    fails(["fit", flows, "-o", flows], capsys, "refusing", "flows.csv")
    fails(["score", model, flows, "-o", flows], capsys, "refusing")
    fails(["score", model, flows, "-o", model], capsys, "refusing", "model.json")
    link = tmp_path / "link.csv"
    link.symlink_to(flows)
    fails(["fit", flows, "-o", link], capsys, "refusing")
    monkeypatch.chdir(tmp_path)
    fails(["fit", "flows.csv", "-o", "./sub/../flows.csv"], capsys, "refusing")
    assert flows.read_bytes() == before


def test_output_folder_checked_before_the_fit(tmp_path, flows, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("")
    fails(["fit", flows, "-o", blocker / "m.json"], capsys, "cannot write")
    fails(["fit", flows, "-o", tmp_path], capsys, "is a folder")
    assert "fit" not in capsys.readouterr().err  # no progress bar: nothing ran


def test_interrupted_fit_keeps_previous_model(
    tmp_path, flows, model, monkeypatch, capsys
):
    before = model.read_bytes()

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "replace", interrupted)
    argv = ["fit", flows, "-o", model, "--features", "Flow_Duration"]
    assert main([str(a) for a in argv]) == 130
    assert "interrupted" in capsys.readouterr().err
    assert model.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_failed_score_write_keeps_previous_predictions(
    tmp_path, flows, model, monkeypatch, capsys
):
    out = tmp_path / "p.csv"
    out.write_text("old\n")

    def broken(self, path, **kwargs):
        Path(path).write_text("row,pred")  # half a file
        raise KeyboardInterrupt

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken)
    assert main(["score", str(model), str(flows), "-o", str(out)]) == 130
    assert out.read_text() == "old\n"
    assert leftovers(tmp_path) == []


# --------------------------------------------------------------------------- #
# reproduce


def _notebook(path, code, declares=("data_path", "out_dir", "n_rows")):
    book = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(
        # Annotated, with quotes in the comment: papermill's own parser skips
        # such lines, the command line must not.
        "\n".join(f'{name}: str = "{name}"  # "" = the default' for name in declares)
    )
    params.metadata["tags"] = ["parameters"]
    book.cells = [params, nbformat.v4.new_code_cell(code)]
    book.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(book, path)


@pytest.fixture
def fake_repo(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    (root / "notebooks").mkdir(parents=True)
    _notebook(root / "notebooks" / "02-second.ipynb", "print(out_dir)", ("out_dir",))
    _notebook(root / "notebooks" / "01-first.ipynb", "print(data_path, out_dir)")
    (root / "notebooks" / "README.md").write_text("not a notebook")
    monkeypatch.setattr("mirai_gmm.paths.project_root", lambda start=None: root)
    return root


def test_reproduce_passes_parameters_in_order(
    tmp_path, fake_repo, flows, monkeypatch, capsys
):
    import papermill

    calls = []

    def execute(source, target, parameters, cwd, progress_bar):
        calls.append((Path(source).name, dict(parameters), cwd))
        Path(target).write_text(Path(source).read_text())

    monkeypatch.setattr(papermill, "execute_notebook", execute)
    params = tmp_path / "ci.yaml"
    params.write_text("n_rows: 3000\nout_dir: ignored\nn_row: 5\n")
    data = flows
    out = tmp_path / "run"
    argv = ["reproduce", "--data", data, "--out", out, "--params", params]
    assert main([str(a) for a in argv]) == 0

    assert [name for name, _, _ in calls] == ["01-first.ipynb", "02-second.ipynb"]
    assert calls[0][1] == {
        "n_rows": 3000,
        "out_dir": str(out.resolve()),
        "data_path": str(data.resolve()),
    }
    assert calls[1][1] == {"out_dir": str(out.resolve())}
    assert calls[0][2] == str(fake_repo / "notebooks")
    assert sorted(p.name for p in (out / "notebooks").iterdir()) == [
        "01-first.ipynb",
        "02-second.ipynb",
    ]
    err = capsys.readouterr().err
    assert "[2/2]" in err
    assert "warning: parameter 'n_row' is declared by no notebook" in err


def test_reproduce_failed_notebook_keeps_a_record(
    tmp_path, fake_repo, monkeypatch, capsys
):
    import papermill

    def execute(source, target, **kwargs):
        Path(target).write_text("{}")
        raise papermill.PapermillExecutionError(
            cell_index=1,
            exec_count=2,
            source="1/0",
            ename="ZeroDivisionError",
            evalue="division by zero",
            traceback=[],
        )

    monkeypatch.setattr(papermill, "execute_notebook", execute)
    out = tmp_path / "run"
    assert main(["reproduce", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "01-first.ipynb failed in cell 2: ZeroDivisionError" in err
    kept = sorted(p.name for p in (out / "notebooks").iterdir())
    assert kept == ["01-first.failed.ipynb"]


def test_reproduce_kernel_failure_is_one_line(tmp_path, fake_repo, monkeypatch, capsys):
    import papermill

    def execute(source, target, **kwargs):
        Path(target).write_text("{}")
        raise RuntimeError("Kernel died\nbefore replying")

    monkeypatch.setattr(papermill, "execute_notebook", execute)
    out = tmp_path / "run"
    assert main(["reproduce", "--out", str(out)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("mirai-gmm: [1/2]")
    assert len(err) == 2, err
    assert "01-first.ipynb failed: RuntimeError: Kernel died before replying" in err[1]
    assert str(out / "notebooks" / "01-first.failed.ipynb") in err[1]


@pytest.fixture
def no_papermill(monkeypatch):
    """Fail the test if a notebook is started."""
    import papermill

    def execute(*args, **kwargs):
        raise AssertionError("papermill started")

    monkeypatch.setattr(papermill, "execute_notebook", execute)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        ("", "empty"),
        ("Flow_Duration,Label\n1,Normal\nabc,Anomaly\n", "'Flow_Duration'"),
        ("Flow_Duration,Label\n1,Normal\n2,Anomaly,3\n", "not well-formed"),
    ],
    ids=["missing", "empty", "text", "ragged"],
)
def test_reproduce_checks_the_data_first(
    tmp_path, fake_repo, no_papermill, capsys, content, expected
):
    data = tmp_path / "bad.csv"
    if content is not None:
        data.write_text(content)
    argv = ["reproduce", "--data", data, "--out", tmp_path / "run"]
    fails(argv, capsys, "bad.csv", expected)
    assert not (tmp_path / "run").exists()


def test_reproduce_out_is_a_file(tmp_path, fake_repo, no_papermill, capsys):
    afile = tmp_path / "afile"
    afile.write_text("")
    fails(["reproduce", "--out", afile], capsys, "afile", "not a folder")
    fails(["reproduce", "--out", afile / "sub"], capsys, "not a folder")


def test_reproduce_never_overwrites_the_repository_notebooks(fake_repo, capsys):
    before = (fake_repo / "notebooks" / "01-first.ipynb").read_bytes()
    fails(["reproduce", "--out", fake_repo], capsys, "refusing", "01-first.ipynb")
    assert (fake_repo / "notebooks" / "01-first.ipynb").read_bytes() == before


def test_reproduce_bad_params_file(tmp_path, fake_repo, capsys):
    params = tmp_path / "p.yaml"
    params.write_text("- a list\n")
    fails(["reproduce", "--params", params, "--out", tmp_path], capsys, "p.yaml")
    fails(["reproduce", "--params", tmp_path / "none.yaml"], capsys, "none.yaml")


@pytest.mark.slow
def test_reproduce_runs_a_real_notebook(tmp_path, fake_repo, flows, capsys):
    for extra in (fake_repo / "notebooks").glob("02-*.ipynb"):
        extra.unlink()
    _notebook(
        fake_repo / "notebooks" / "01-first.ipynb",
        "from pathlib import Path\n"
        "Path(out_dir).mkdir(parents=True, exist_ok=True)\n"
        "Path(out_dir, 'done.txt').write_text(data_path)",
    )
    out = tmp_path / "run"
    data = flows
    assert main(["reproduce", "--out", str(out), "--data", str(data)]) == 0
    assert (out / "done.txt").read_text() == str(data.resolve())
    executed = nbformat.read(out / "notebooks" / "01-first.ipynb", as_version=4)
    assert "injected-parameters" in executed.cells[1].metadata["tags"]


# --------------------------------------------------------------------------- #
# compare


def test_compare_names_a_missing_folder(tmp_path, capsys):
    fails(["compare", tmp_path / "nonexistent"], capsys, "nonexistent: no such folder")
    afile = tmp_path / "afile"
    afile.write_text("")
    fails(["compare", afile], capsys, "afile: not a folder")
    (tmp_path / "run").mkdir()
    fails(["compare", tmp_path / "run"], capsys, "run: no metrics.json")


# --------------------------------------------------------------------------- #
# The real files in ../shared


@pytest.mark.shared
def test_check_data_on_the_real_binary_sample(shared, capsys):
    assert main(["check-data", str(shared / "iotid20_1pct_binary.csv")]) == 0
    out = capsys.readouterr().out
    assert "Variant:  binary-label" in out
    assert "6,252 rows, 32 columns" in out
    assert "0 (Normal)                         361" in out
    assert "1 (Anomaly)                      5,891" in out
    assert "missing: Fwd_IAT_Std, Fwd_IAT_Mean, Fwd_Header_Len" in out
    assert "Official release: no" in out


@pytest.mark.shared
def test_check_data_on_the_real_official_head(shared, capsys):
    assert main(["check-data", str(shared / "iotid20_head5_official.csv")]) == 0
    out = capsys.readouterr().out
    assert "Variant:  official" in out
    assert "5 rows, 86 columns" in out
    assert "Paper features (Table I): 9 of 9 present" in out
    assert "Official release: no" in out
    assert "5 rows, the release has 625,783" in out


@pytest.mark.shared
def test_fit_on_the_real_binary_sample_without_paper_features(shared, tmp_path, capsys):
    model = tmp_path / "m.json"
    argv = ["fit", str(shared / "iotid20_1pct_binary.csv"), "-o", str(model)]
    assert main(argv) == 0
    selected = GaussianDetector.load(model).feature_names_in_.tolist()
    assert "Fwd_Header_Len" not in selected
    assert "validation F1" in capsys.readouterr().out


@pytest.mark.slow
def test_check_data_recognises_a_file_of_the_release_shape(tmp_path, capsys):
    from mirai_gmm.facts import OFFICIAL_ROWS
    from mirai_gmm.synthetic import make_synthetic

    frame = make_synthetic(OFFICIAL_ROWS, seed=0, classes="all")
    path = tmp_path / "full.parquet"
    frame.to_parquet(path)
    assert main(["check-data", str(path)]) == 0
    out = capsys.readouterr().out
    assert "SYNTHETIC: 625,783 of 625,783 rows" in out
    assert "Official release: no" in out
    assert "625,783 rows are synthetic (see above); format and counts alone" in out
    # Without the mark, shape and counts are all the check can see.
    frame["Flow_ID"] = frame["Flow_ID"].str.removeprefix("synthetic-")
    frame.to_parquet(path)
    assert main(["check-data", str(path)]) == 0
    out = capsys.readouterr().out
    assert "SYNTHETIC" not in out
    assert "Official release: yes by format and counts" in out
    assert "values not checked" in out


# --------------------------------------------------------------------------- #
# Faults a tester found


def test_compare_names_an_incomplete_metrics_file(tmp_path, capsys):
    run = tmp_path / "run"
    run.mkdir()
    sections = {"dataset": {}, "features": {}, "model": {}, "test": {}}
    (run / "metrics.json").write_text(json.dumps(sections))
    fails(["compare", run], capsys, "metrics.json is incomplete", "reproduce again")


def test_reproduce_params_not_utf8(tmp_path, fake_repo, no_papermill, capsys):
    params = tmp_path / "p.yaml"
    params.write_bytes("seed: 1 # caf\xe9\n".encode("latin-1"))
    fails(["reproduce", "--params", params], capsys, "p.yaml", "not UTF-8")


def test_output_onto_a_pipe_is_refused_before_any_work(tmp_path, flows, capsys):
    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    fails(["fit", flows, "-o", pipe], capsys, "pipe.csv", "not a regular file")
    fails(["make-synthetic", "-o", pipe], capsys, "not a regular file")
    assert pipe.is_fifo()


def test_output_under_a_file_is_refused_before_any_work(tmp_path, flows, capsys):
    afile = tmp_path / "afile"
    afile.write_text("")
    line = fails(["fit", flows, "-o", afile / "m.json"], capsys, "afile/m.json")
    assert "is a file, not a folder" in line and ".tmp-" not in line


def test_output_through_a_link_replaces_its_target(tmp_path, flows, capsys):
    real = tmp_path / "models" / "real.json"
    real.parent.mkdir()
    real.write_text("{}")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert main(["fit", str(flows), "-o", str(link), "--features", FEATURES]) == 0
    assert link.is_symlink()
    assert GaussianDetector.load(real).n_features_in_ == 3


def test_score_table_formats(tmp_path, model, flows, capsys):
    fails(["score", model, flows, "-o", tmp_path / "p.xlsx"], capsys, "table format")
    assert main(["score", str(model), str(flows), "-o", str(tmp_path / "p.pq")]) == 0
    assert len(pd.read_parquet(tmp_path / "p.pq")) == 3000


def test_score_matches_model_names_in_any_spelling(tmp_path, model, flows, capsys):
    state = json.loads(model.read_text())
    state["feature_names"] = ["flow duration", "Flow IAT Mean", " Fwd_IAT_Tot"]
    spelled = tmp_path / "spelled.json"
    spelled.write_text(json.dumps(state))
    assert main(["score", str(spelled), str(flows)]) == 0
    by_spelling = capsys.readouterr().out
    assert main(["score", str(model), str(flows)]) == 0
    assert capsys.readouterr().out == by_spelling
    state["feature_names"] = ["Flow_Duration", "Flow Duration", "Fwd_IAT_Tot"]
    spelled.write_text(json.dumps(state))
    fails(["score", spelled, flows], capsys, "name the same column 'Flow_Duration'")


def test_check_data_refuses_a_class_the_file_lacks(flows, shared, capsys):
    fails(["check-data", flows, "--positive", "Foo"], capsys, "'Foo' is not a Cat")
    binary = shared / "iotid20_1pct_binary.csv"
    fails(["check-data", binary, "--positive", "DoS"], capsys, "needs a Cat column")


def test_fit_names_the_attack_class_and_warns_when_it_flags_all(
    tmp_path, shared, capsys
):
    sample = shared / "iotid20_1pct_binary.csv"
    assert main(["fit", str(sample), "-o", str(tmp_path / "m.json")]) == 0
    captured = capsys.readouterr()
    assert "attack class:   Label == 1 (any attack" in captured.out
    assert "flags every normal test flow (specificity 0)" in captured.err


def test_sigterm_leaves_no_temporary_file(tmp_path):
    out = tmp_path / "big.csv"
    argv = [sys.executable, "-m", "mirai_gmm", "make-synthetic", "-o", str(out)]
    process = subprocess.Popen(
        [*argv, "--rows", "2000000"], stderr=subprocess.PIPE, text=True, cwd=REPO
    )
    # Wait until the writer has its temporary file, then stop it.
    for _ in range(600):
        if leftovers(tmp_path) or process.poll() is not None:
            break
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGTERM, err
    assert "stopped by SIGTERM" in err and "Traceback" not in err
    assert leftovers(tmp_path) == [] and not out.exists()
