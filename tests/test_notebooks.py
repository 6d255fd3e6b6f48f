"""Execute notebooks 01..05 with the quick CI parameters and check what they write.

The notebooks run in order with papermill, in the venv's own ``python3``
kernel, on the default synthetic data and ``notebooks/params/quick.yaml``,
writing into a temporary run folder. The checks follow the metrics.json
specification (issue 2) and the run layout of the team contract.
"""

import json
import sys
from pathlib import Path

import pytest

papermill = pytest.importorskip("papermill")
yaml = pytest.importorskip("yaml")

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("0[1-5]-*.ipynb"))
QUICK = NOTEBOOK_DIR / "params" / "quick.yaml"

TEST_ROWS = (
    "with_selection",
    "without_selection",
    "all_mirai_baseline",
    "decision_tree",
)
TEST_METRICS = (
    "precision",
    "recall",
    "f1",
    "accuracy",
    "specificity",
    "predict_seconds",
)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """Execute the five notebooks once; return the run folder."""
    out = tmp_path_factory.mktemp("quick-run")
    parameters = yaml.safe_load(QUICK.read_text(encoding="utf-8"))
    parameters["out_dir"] = str(out)
    (out / "notebooks").mkdir()
    for notebook in NOTEBOOKS:
        papermill.execute_notebook(
            str(notebook),
            str(out / "notebooks" / notebook.name),
            parameters=parameters,
            kernel_name="python3",
            cwd=str(NOTEBOOK_DIR),
            progress_bar=False,
        )
    return out


@pytest.fixture(scope="module")
def metrics(run):
    return json.loads((run / "metrics.json").read_text(encoding="utf-8"))


def test_the_five_notebooks_are_there():
    assert [nb.name[:2] for nb in NOTEBOOKS] == ["01", "02", "03", "04", "05"]


def test_kernel_is_the_one_of_this_environment():
    # papermill starts "python3"; jupyter_client swaps "python" in the kernel
    # command for the interpreter running the tests, i.e. the venv's.
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec("python3")
    assert spec.argv[0] in {"python", "python3", sys.executable}


def test_dataset_section(metrics):
    dataset = metrics["dataset"]
    for key in (
        "name",
        "path",
        "synthetic",
        "rows_per_class_before",
        "rows_per_class_after",
        "dropped",
        "positive",
    ):
        assert key in dataset, key
    assert dataset["synthetic"] is True
    n_rows = yaml.safe_load(QUICK.read_text(encoding="utf-8"))["n_rows"]
    assert sum(dataset["rows_per_class_before"].values()) == n_rows


def test_features_section(metrics):
    features = metrics["features"]
    assert set(features) >= {"candidates", "ranking", "selected"}
    assert all(set(row) == {"feature", "f1"} for row in features["ranking"])
    assert [row["feature"] for row in features["ranking"]] != []
    assert set(features["selected"]) <= set(features["candidates"])


def test_model_section(metrics):
    model = metrics["model"]
    assert set(model) >= {"means", "variances", "log10_epsilon"}
    assert set(model["means"]) == set(metrics["features"]["selected"])
    assert isinstance(model["log10_epsilon"], float)


def test_test_section_has_every_row_and_metric(metrics):
    for row in TEST_ROWS:
        assert set(metrics["test"][row]) >= set(TEST_METRICS), row
    baseline = metrics["test"]["all_mirai_baseline"]
    assert baseline["recall"] == 1.0
    assert baseline["specificity"] == 0.0


def test_latency_section_covers_one_and_2000_flows(metrics):
    rows = metrics["latency"]
    assert all(set(row) == {"batch", "gmm_mean_s", "tree_mean_s"} for row in rows)
    assert {1, 2000} <= {row["batch"] for row in rows}
    assert all(row["gmm_mean_s"] > 0 and row["tree_mean_s"] > 0 for row in rows)


def test_run_folder_follows_the_layout(run):
    expected = [
        "data/train.parquet",
        "data/val.parquet",
        "data/test.parquet",
        "cleaning.json",
        "features.json",
        "models/gmm-selected.json",
        "models/gmm-all.json",
        "models/gmm-selected-tuned.json",
        "figures/02-feature-ranking.png",
        "figures/03-densities-selected.png",
        "figures/04-f1-vs-epsilon.png",
        "figures/05-latency-vs-batch-size.png",
        "latency.csv",
    ]
    missing = [name for name in expected if not (run / name).is_file()]
    assert missing == []


def test_every_notebook_prints_the_synthetic_banner(run):
    for notebook in NOTEBOOKS:
        executed = json.loads((run / "notebooks" / notebook.name).read_text())
        printed = "".join(
            "".join(output.get("text", ""))
            for cell in executed["cells"]
            if cell["cell_type"] == "code"
            for output in cell.get("outputs", [])
        )
        assert "DATA: synthetic sample" in printed, notebook.name
        assert "not IoTID20" in printed, notebook.name


def test_each_notebook_has_exactly_one_parameters_cell():
    for notebook in NOTEBOOKS:
        cells = json.loads(notebook.read_text())["cells"]
        tagged = [c for c in cells if "parameters" in c["metadata"].get("tags", [])]
        assert len(tagged) == 1, notebook.name


def test_compare_lays_the_run_beside_the_paper(run, capsys):
    from mirai_gmm.cli import main

    assert main(["compare", str(run)]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0] == f"|  | {run.name} | paper |"
    rows = {line.split(" | ")[0].strip("| "): line for line in table[2:]}
    assert "0.9498" in rows["with selection: f1"]
    assert "0.6002 (implied)" in rows["with selection: specificity"]
    assert len(rows) == 24


def test_compare_refuses_an_unfinished_run(tmp_path, capsys):
    from mirai_gmm.cli import main

    (tmp_path / "metrics.json").write_text('{"dataset": {}}')
    assert main(["compare", str(tmp_path)]) == 2
    assert "run all five notebooks first" in capsys.readouterr().err
