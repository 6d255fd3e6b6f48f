"""Command line: ``mirai-gmm`` and ``python -m mirai_gmm``.

Subcommands check a data file, write a synthetic sample, fit and save a
detector, score flows with a saved detector, and re-run the notebooks. A fault
the user can make (a missing file, a bad column, a model file that is not a
model, an output path that names an input) ends with one line on stderr,
``mirai-gmm: error: <message>``, and exit status 2; Ctrl-C ends with 130.
Outputs are written atomically, so a failed run leaves earlier ones intact.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import shutil
import signal
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from mirai_gmm.atomic import (
    OutputError,
    atomic_path,
    check_writable,
    frame_format,
    refuse_overwrite_input,
    write_frame,
)

__all__ = ["main", "build_parser"]

PROG = "mirai-gmm"

#: Exit status for faults in the user's input, as argparse uses for bad options.
EXIT_USAGE = 2
#: Exit status after Ctrl-C (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130
#: Exit status when a notebook fails during ``reproduce``.
EXIT_FAILED = 1

#: Fewest rows of each class a fit accepts: the stratified three-way split
#: needs at least one row of each class in each split.
MIN_ROWS_PER_CLASS = 5
#: Largest seed NumPy's legacy generator, which scikit-learn uses, accepts.
MAX_SEED = 2**32 - 1


class UserError(ValueError):
    """A fault in the user's input found by the command line itself."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, like every other error."""

    def error(self, message: str):
        self.exit(EXIT_USAGE, f"{PROG}: error: {message} (see '{self.prog} --help')\n")


# --------------------------------------------------------------------------- #
# Argument types


def _fractions(text: str) -> tuple[float, float, float]:
    try:
        values = tuple(float(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected three numbers such as 0.6,0.2,0.2; got {text!r}"
        ) from None
    if len(values) != 3 or min(values) <= 0 or not math.isclose(sum(values), 1.0):
        raise argparse.ArgumentTypeError(
            f"expected three positive shares summing to 1; got {text!r}"
        )
    return values


def _feature_list(text: str) -> list[str]:
    from mirai_gmm.schema import canonical_name, first_repeat

    names = [part.strip() for part in text.split(",") if part.strip()]
    if not names:
        raise argparse.ArgumentTypeError("expected comma-separated column names")
    repeat = first_repeat(names)
    if repeat is not None:
        earlier, name = repeat
        spellings = f" (as {earlier!r} and {name!r})" if earlier != name else ""
        raise argparse.ArgumentTypeError(
            f"feature {canonical_name(name)!r} is given twice{spellings}"
        )
    return names


def _unit_interval(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number; got {text!r}") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"expected a value in [0, 1]; got {text}")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer; got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1; got {value}")
    return value


def _seed(text: str) -> int:
    # The range NumPy and scikit-learn accept for a seed.
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer; got {text!r}") from None
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(
            f"expected an integer from 0 to {MAX_SEED}; got {value}"
        )
    return value


def _finite(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number; got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number; got {text}")
    return value


# --------------------------------------------------------------------------- #
# Parser


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``mirai-gmm`` with every subcommand."""
    from mirai_gmm import __version__

    parser = _Parser(
        prog=PROG,
        description=(
            "Detect Mirai botnet flows in IoTID20 with a per-feature Gaussian "
            "density model (a reproduction of Boutra et al.)."
        ),
        epilog=f"Run '{PROG} COMMAND --help' for the options of a command.",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    positive_help = (
        "class counted as attack (1): a Cat value such as 'Mirai' or 'DoS' (case "
        "ignored). Default: 'Mirai' when the file has Cat, else every attack "
        "(Label Anomaly or 1). Rows of other attack classes are dropped as out "
        "of scope"
    )

    check = commands.add_parser(
        "check-data",
        help="describe a flow file and what cleaning would keep",
        description=(
            "Read DATA and report its format variant, rows per class, which of the "
            "paper's nine features are missing, whether it is the complete official "
            "IoTID20 release (and how it differs if not), and the rows cleaning "
            "would keep and drop, per reason. Writes nothing."
        ),
    )
    check.add_argument(
        "data", metavar="DATA", help="flow file: .csv, .csv.gz or .parquet"
    )
    check.add_argument("--positive", metavar="CLASS", help=positive_help)
    check.set_defaults(run=_check_data)

    synth = commands.add_parser(
        "make-synthetic",
        help="write a synthetic sample in the official IoTID20 format",
        description=(
            "Write a seeded synthetic sample with the 86 columns of the official "
            "release, for trying the pipeline without the real data."
        ),
    )
    synth.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        required=True,
        help="file to write; .csv, .csv.gz or .parquet decides the format",
    )
    synth.add_argument(
        "--rows",
        metavar="N",
        type=_positive_int,
        default=None,
        help="number of flows (default: 228,683, the size of the paper's subset)",
    )
    synth.add_argument(
        "--seed",
        metavar="S",
        type=_seed,
        default=0,
        help=f"random seed, 0 to {MAX_SEED} (default: 0)",
    )
    synth.add_argument(
        "--classes",
        choices=("mirai", "all"),
        default="mirai",
        help=(
            "'mirai': Normal and the four Mirai sub-categories, as in the paper; "
            "'all': every IoTID20 class in release proportions (default: mirai)"
        ),
    )
    synth.set_defaults(run=_make_synthetic)

    fit = commands.add_parser(
        "fit",
        help="select features and threshold, fit and save a detector",
        description=(
            "Clean DATA, split it 60/20/20 (stratified), choose features and the "
            "threshold epsilon on the training and validation splits as the "
            "notebooks do, report test metrics once, and save the detector as JSON."
        ),
    )
    fit.add_argument("data", metavar="DATA", help="labelled flow file")
    fit.add_argument(
        "-o",
        "--output",
        metavar="MODEL.json",
        required=True,
        help="model file to write (JSON); must not be DATA",
    )
    fit.add_argument("--positive", metavar="CLASS", help=positive_help)
    fit.add_argument(
        "--seed",
        metavar="S",
        type=_seed,
        default=0,
        help=f"seed of the split, 0 to {MAX_SEED} (default: 0)",
    )
    fit.add_argument(
        "--min-f1",
        metavar="F1",
        type=_unit_interval,
        default=0.91,
        help="keep features whose one-feature validation F1 reaches this "
        "(default: 0.91, the paper's cut-off)",
    )
    fit.add_argument(
        "--n-candidates",
        metavar="N",
        type=_positive_int,
        default=23,
        help="features ranked after the ANOVA pre-filter (default: 23)",
    )
    fit.add_argument(
        "--features",
        metavar="A,B,C",
        type=_feature_list,
        default=None,
        help="use these comma-separated columns (each once) and skip feature selection",
    )
    fit.add_argument(
        "--log10-epsilon",
        metavar="X",
        type=_finite,
        default=None,
        help="use this threshold (base-10 log of the density) instead of tuning "
        "it on the validation split; write a negative value with '=', as in "
        "--log10-epsilon=-27.95",
    )
    fit.add_argument(
        "--fractions",
        metavar="TR,VA,TE",
        type=_fractions,
        default=(0.6, 0.2, 0.2),
        help="train, validation and test shares (default: 0.6,0.2,0.2)",
    )
    fit.set_defaults(run=_fit)

    score = commands.add_parser(
        "score",
        help="score flows with a saved detector",
        description=(
            "Score each flow of FLOWS with the detector in MODEL.json. Output: CSV "
            "with one row per flow, in order, and columns row (data row of FLOWS, "
            "counted from 1 with the header excluded, as in error messages), "
            "prediction (1 attack, 0 normal) and log_density (natural log of "
            "p(x)). FLOWS needs the model's feature columns only; other columns, "
            "Label, Cat and Sub_Cat included, are neither read nor checked."
        ),
    )
    score.add_argument("model", metavar="MODEL.json", help="model written by 'fit'")
    score.add_argument(
        "flows", metavar="FLOWS", help="flow file: .csv, .csv.gz, .parquet"
    )
    score.add_argument(
        "-o",
        "--output",
        metavar="PREDICTIONS.csv",
        default=None,
        help="write the predictions here (.csv, .csv.gz or .parquet) instead of "
        "standard output",
    )
    score.add_argument(
        "--invalid",
        choices=("error", "mark"),
        default="error",
        help="flows with an empty, NaN or infinite value in a model feature: "
        "'error' refuses the file, naming the first such cell; 'mark' scores "
        "the other flows and leaves prediction and log_density empty on those "
        "rows, with their count on standard error (default: error)",
    )
    score.set_defaults(run=_score)

    reproduce = commands.add_parser(
        "reproduce",
        help="run notebooks 01-05 with papermill, as 'make reproduce' does",
        description=(
            "Execute notebooks/0*.ipynb in order with papermill, passing data_path "
            "and out_dir as parameters, and write the executed copies to "
            "OUT/notebooks/. The notebooks in the repository are never overwritten."
        ),
    )
    reproduce.add_argument(
        "--data",
        metavar="PATH",
        default=None,
        help="flow file passed as data_path (default: the notebooks' own, the "
        "synthetic sample)",
    )
    reproduce.add_argument(
        "--out",
        metavar="DIR",
        default=None,
        help="run folder passed as out_dir (default: reports/default under the "
        "repository root)",
    )
    reproduce.add_argument(
        "--params",
        metavar="YAML",
        default=None,
        help="YAML file of further notebook parameters (e.g. the quick CI values); "
        "--data and --out take precedence",
    )
    reproduce.set_defaults(run=_reproduce)

    compare = commands.add_parser(
        "compare",
        help="print the results of run folders side by side with the paper's",
        description=(
            "Read OUT/metrics.json of each run folder and print one Markdown "
            "table: data, selection, threshold, test scores and latency ratio, "
            "with the paper's values (and the values its numbers imply) last."
        ),
    )
    compare.add_argument(
        "runs", nargs="+", metavar="OUT", help="run folders written by reproduce"
    )
    compare.set_defaults(run=_compare)
    return parser


# --------------------------------------------------------------------------- #
# Entry point


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``mirai-gmm`` with `argv` (default: ``sys.argv[1:]``); return the status."""
    from mirai_gmm.detector import ModelFileError
    from mirai_gmm.loading import DataError

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, --version, or an option error
        return int(stop.code or 0)

    user_faults = (DataError, ModelFileError, OutputError, UserError)
    try:
        with warnings.catch_warnings(), _stopped_by_signals():
            warnings.showwarning = _show_warning
            return int(args.run(args) or 0)
    except _Stopped as stop:
        print(f"{PROG}: stopped by {stop.name}", file=sys.stderr)
        return 128 + stop.signum
    except user_faults as error:
        return _fail(str(error))
    except (
        FileNotFoundError,
        IsADirectoryError,
        NotADirectoryError,
        PermissionError,
    ) as error:
        name = error.filename or ""
        return _fail(f"{name}: {error.strerror}" if name else str(error))
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `mirai-gmm score ... | head` closes the pipe early: not an error.
        # Point stdout at /dev/null so the interpreter's final flush is quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


class _Stopped(BaseException):
    """SIGTERM or SIGHUP, raised like Ctrl-C so that temporary files go."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum
        self.name = signal.Signals(signum).name


@contextlib.contextmanager
def _stopped_by_signals():
    # Python ends on SIGTERM and SIGHUP without unwinding, which would leave
    # a half-written temporary file beside every output in progress.
    def stop(signum, frame):
        raise _Stopped(signum)

    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP")]
    wanted = [s for s in wanted if s is not None]
    try:
        previous = {s: signal.signal(s, stop) for s in wanted}
    except ValueError:  # not the main thread: leave the handlers alone
        yield
        return
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _fail(message: str) -> int:
    message = " ".join(message.split())  # one line, whatever the source
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _show_warning(message, category, filename, lineno, file=None, line=None):
    print(f"{PROG}: warning: {message}", file=sys.stderr)


def _out(text: str = "") -> None:
    print(text, file=sys.stdout)


def _count(n: int) -> str:
    return f"{int(n):,}"


# --------------------------------------------------------------------------- #
# check-data


def _class_name(column: str, value) -> str:
    if column == "Label" and not isinstance(value, str):
        return f"{int(value)} ({'Anomaly' if int(value) == 1 else 'Normal'})"
    return str(value)


def _check_data(args) -> int:
    from mirai_gmm import facts
    from mirai_gmm.cleaning import PositiveClassError, clean_flows
    from mirai_gmm.loading import VARIANTS, DataError, read_flows
    from mirai_gmm.schema import (
        LABELS,
        OFFICIAL_COLUMNS,
        PAPER_FEATURES,
        SYNTHETIC_MARK,
    )

    raw = read_flows(args.data)
    frame = raw.frame
    _out(f"File:     {args.data}")
    _out(f"Variant:  {raw.variant} ({VARIANTS.get(raw.variant, 'unknown')})")
    _out(f"Size:     {_count(len(frame))} rows, {frame.shape[1]} columns")
    if raw.synthetic:
        _out(
            f"SYNTHETIC: {_count(raw.synthetic_rows)} of {_count(len(frame))} rows "
            "carry the mark of mirai_gmm.synthetic (a Flow_ID starting "
            f"{SYNTHETIC_MARK!r}): generated flows, not IoTID20"
        )

    _out()
    _out("Rows per class:")
    for column in LABELS:
        if column not in frame.columns:
            _out(f"  {column}: (no such column)")
            continue
        counts = frame[column].value_counts(sort=True)
        _out(f"  {column}:")
        for value, n in counts.items():
            _out(f"    {_class_name(column, value):<28}{_count(n):>10}")

    missing = [name for name in PAPER_FEATURES if name not in frame.columns]
    _out()
    present = len(PAPER_FEATURES) - len(missing)
    _out(f"Paper features (Table I): {present} of {len(PAPER_FEATURES)} present")
    if missing:
        _out(f"  missing: {', '.join(missing)}")

    differences = []
    if raw.variant != "official":
        absent = [name for name in OFFICIAL_COLUMNS if name not in frame.columns]
        extra = [name for name in frame.columns if name not in OFFICIAL_COLUMNS]
        detail = f"format is {raw.variant}, not official"
        if absent:
            shown = ", ".join(absent[:5]) + (", ..." if len(absent) > 5 else "")
            detail += f"; {len(absent)} release columns missing ({shown})"
        if extra:
            detail += (
                f"; {len(extra)} columns not in the release ({', '.join(extra[:5])})"
            )
        differences.append(detail)
    if len(frame) != facts.OFFICIAL_ROWS:
        differences.append(
            f"{_count(len(frame))} rows, the release has {_count(facts.OFFICIAL_ROWS)}"
        )
    if "Sub_Cat" in frame.columns:
        compared = facts.compare_counts(frame["Sub_Cat"].value_counts())
        differences.extend(line for line in compared if not line.startswith("total"))
    else:
        differences.append("no Sub_Cat column, so per-class counts cannot be compared")
    if raw.synthetic:
        differences.append(
            f"{_count(raw.synthetic_rows)} rows are synthetic (see above)"
            + ("; format and counts alone would match" if not differences else "")
        )
    _out()
    if differences:
        _out("Official release: no")
        for line in differences:
            _out(f"  - {line}")
    else:
        # Only the shape and the counts are compared: a synthetic file made
        # with --classes all matches too. Checking values would need the
        # release's checksum, which is not published with it.
        _out(
            f"Official release: yes by format and counts ({raw.variant}, "
            f"{_count(len(frame))} rows, every Sub_Cat count matches; "
            "values not checked)"
        )

    try:
        clean = clean_flows(raw, positive=args.positive)
    except PositiveClassError:
        raise  # the class asked for on the command line: a usage fault
    except DataError as error:
        # Not a failure of the check: the file is readable, but unusable for
        # a fit, and saying why is this command's job.
        _out()
        _out("Cleaning: the file cannot be used for a fit as it is:")
        _out(f"  {error}")
        return 0
    report = clean.report
    _out()
    _out(f"Cleaning (attack class: {report.get('positive', '?')}):")
    _out(f"  {'rows in':<30}{_count(report['rows_in']):>10}")
    for reason, n in report["dropped"].items():
        _out(f"  {'dropped, ' + reason.replace('_', ' '):<30}{_count(n):>10}")
    _out(f"  {'rows kept':<30}{_count(report['rows_kept']):>10}")
    for when in ("before", "after"):
        per_class = report.get(f"rows_per_class_{when}", {})
        shown = ", ".join(f"{_count(n)} {name}" for name, n in per_class.items())
        _out(f"  {'per class ' + when + ':':<30}{shown}")
    target = clean.target
    n_attack = int((target == 1).sum())
    _out(
        f"  {'kept normal / attack:':<30}{_count(len(target) - n_attack)} / "
        f"{_count(n_attack)}"
    )
    return 0


# --------------------------------------------------------------------------- #
# make-synthetic


def _make_synthetic(args) -> int:
    from mirai_gmm import synthetic

    output = str(args.output)
    parquet = output.lower().endswith(".parquet")
    if not parquet and not output.lower().endswith((".csv", ".csv.gz")):
        raise OutputError(
            f"cannot write {output}: unknown table format "
            "(use .csv, .csv.gz or .parquet)"
        )
    _prepare_output(output)
    rows = synthetic.DEFAULT_ROWS if args.rows is None else args.rows
    print(
        f"{PROG}: writing {_count(rows)} synthetic flows to {output}", file=sys.stderr
    )
    if parquet:
        frame = synthetic.make_synthetic(rows, seed=args.seed, classes=args.classes)
        write_frame(frame, output)
    else:
        synthetic.write_synthetic(
            output, n_rows=rows, seed=args.seed, classes=args.classes
        )
    _out(
        f"wrote {output}: {_count(rows)} rows, classes={args.classes}, seed={args.seed}"
    )
    return 0


# --------------------------------------------------------------------------- #
# fit


def _fit(args) -> int:
    from mirai_gmm.cleaning import clean_flows
    from mirai_gmm.loading import read_flows
    from mirai_gmm.pipeline import fit_pipeline
    from mirai_gmm.schema import canonical_name

    _prepare_output(args.output, args.data)
    raw = read_flows(args.data)
    clean = clean_flows(raw, positive=args.positive)
    synthetic = raw.synthetic
    del raw  # the cleaned copy is all a fit needs; the raw table is the largest
    _check_fittable(clean, args.data, args.fractions)

    features = None
    if args.features is not None:
        features = [canonical_name(name) for name in args.features]
        for name in features:
            if name not in clean.features.columns:
                raise UserError(
                    f"{args.data}: no numeric feature column {name!r} after cleaning "
                    f"(given in --features)"
                )

    result = fit_pipeline(
        clean,
        seed=args.seed,
        fractions=args.fractions,
        min_f1=args.min_f1,
        n_candidates=args.n_candidates,
        features=features,
        log10_epsilon=args.log10_epsilon,
        progress=True,
    )
    result.detector.save(args.output)

    detector = result.detector
    sizes = ", ".join(
        f"{name} {_count(len(y))}" for name, (_, y) in result.splits.items()
    )
    _out(
        f"data:           {args.data} ({_count(len(clean.target))} rows after cleaning"
        + ("; SYNTHETIC, not IoTID20)" if synthetic else ")")
    )
    _out(f"attack class:   {clean.report['positive']}")
    _out(f"splits:         {sizes} (seed {args.seed})")
    _out(f"features ({len(result.selected)}):  {', '.join(result.selected)}")
    how = "given" if args.log10_epsilon is not None else "tuned on validation"
    _out(f"log10 epsilon:  {detector.log10_epsilon:.4f} ({how})")
    _out(f"validation F1:  {result.val_f1:.4f}")
    shown = ", ".join(
        f"{name} {value:.4f}" for name, value in result.test_metrics.items()
    )
    _out(f"test:           {shown}")
    _out(f"model:          {args.output}")
    if result.test_metrics.get("specificity", 1.0) == 0.0:
        warnings.warn(
            "the detector flags every normal test flow (specificity 0): on this "
            "data no threshold beats flagging everything on F1; see the README, "
            "'Results beside the paper'",
            UserWarning,
            stacklevel=1,
        )
    return 0


def _prepare_output(output: str, *inputs: str) -> None:
    """Fail before any long work when `output` cannot be written or is an input."""
    refuse_overwrite_input(output, *inputs)
    check_writable(output)


def _check_fittable(clean, data: str, fractions: Sequence[float]) -> None:
    """Raise UserError when too few rows of a class are left to split and fit."""
    target = clean.target
    n_attack = int((target == 1).sum())
    n_normal = int(len(target) - n_attack)
    positive = clean.report.get("positive", "the attack class")
    need = max(MIN_ROWS_PER_CLASS, math.ceil(2 / min(fractions)))
    for n, name in ((n_attack, "attack"), (n_normal, "normal")):
        if n == 0:
            raise UserError(
                f"{data}: no {name} rows left after cleaning (attack class: "
                f"{positive}); a fit needs both classes"
            )
    if min(n_attack, n_normal) < need:
        raise UserError(
            f"{data}: {_count(n_attack)} attack and {_count(n_normal)} normal rows "
            f"after cleaning; a fit needs at least {need} of each"
        )


# --------------------------------------------------------------------------- #
# score


def _score(args) -> int:
    from mirai_gmm.detector import GaussianDetector, ModelFileError
    from mirai_gmm.loading import read_features

    if args.output is not None:
        _prepare_output(args.output, args.model, args.flows)
        frame_format(args.output)  # an unknown suffix is refused before scoring
    detector = GaussianDetector.load(args.model)
    names = getattr(detector, "feature_names_in_", None)
    if names is None:
        raise ModelFileError(f"{args.model}: the model has no feature names")
    names = _model_columns(args.model, names)
    X = read_features(args.flows, names)
    # The file's columns are matched by their release names; the detector
    # checks the names it was fitted with.
    X.columns = names

    invalid = ~np.isfinite(X.to_numpy(dtype=np.float64))
    if invalid.any() and args.invalid == "error":
        raise UserError(_invalid_message(args.flows, X.columns, invalid))
    predictions = _predict(detector, X, valid=~invalid.any(axis=1))
    n_marked = int(predictions["prediction"].isna().sum())
    if n_marked:
        print(
            f"{PROG}: marked {_count(n_marked)} of {_count(len(X))} flows unscored "
            "(empty, NaN or infinite model feature): prediction and log_density "
            "left empty",
            file=sys.stderr,
        )
    if args.output is None:
        predictions.to_csv(sys.stdout, index=False)
    else:
        write_frame(predictions, args.output)
        n_attack = int(predictions["prediction"].sum())
        print(
            f"{PROG}: scored {_count(len(predictions) - n_marked)} flows, "
            f"{_count(n_attack)} predicted attack; wrote {args.output}",
            file=sys.stderr,
        )
    return 0


def _model_columns(model: str, names) -> list[str]:
    """The model's feature names, refused when two name one column of a file."""
    from mirai_gmm.detector import ModelFileError
    from mirai_gmm.schema import canonical_name, first_repeat

    names = [str(name) for name in names]
    repeat = first_repeat(names)
    if repeat is not None:
        earlier, name = repeat
        raise ModelFileError(
            f"{model}: features {earlier!r} and {name!r} name the same column "
            f"{canonical_name(name)!r}"
        )
    return names


def _invalid_message(flows: str, columns, invalid: np.ndarray) -> str:
    """Name the first non-finite cell, how many rows have one, and the way out."""
    row, column = np.argwhere(invalid)[0]
    return (
        f"{flows}: column {columns[column]!r} is empty, NaN or infinite at data "
        f"row {row + 1} ({_count(invalid.any(axis=1).sum())} such rows); the model "
        "cannot score such flows: use --invalid mark to leave them unscored"
    )


def _predict(detector, X: pd.DataFrame, valid: np.ndarray) -> pd.DataFrame:
    """One row per flow of `X`; flows not `valid` get empty (NA) scores."""
    prediction = pd.array([pd.NA] * len(X), dtype="Int8")
    log_density = np.full(len(X), np.nan)
    if valid.any():
        scored = X[valid]
        log_density[valid] = detector.score_samples(scored)
        prediction[valid] = (detector.predict(scored) == detector.classes_[1]).astype(
            "int8"
        )
    return pd.DataFrame(
        {
            # Counted from 1, header excluded, as data rows in error messages.
            "row": np.arange(1, len(X) + 1),
            "prediction": prediction,
            "log_density": log_density,
        }
    )


# --------------------------------------------------------------------------- #
# reproduce


def _reproduce(args) -> int:
    from mirai_gmm.paths import DEFAULT_OUT, project_root

    try:
        import papermill
        import yaml
    except ImportError as error:
        raise UserError(
            f"reproduce needs the notebooks extra ({error.name} is not installed): "
            "pip install -e '.[notebooks]'"
        ) from None

    root = project_root()
    notebooks = sorted((root / "notebooks").glob("0*.ipynb"))
    if not notebooks:
        raise UserError(f"{root / 'notebooks'}: no notebooks 0*.ipynb to run")

    parameters = {}
    if args.params is not None:
        try:
            loaded = yaml.safe_load(Path(args.params).read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            raise UserError(f"{args.params}: not valid YAML ({error})") from None
        except UnicodeDecodeError as error:
            raise UserError(
                f"{args.params}: not UTF-8 text (byte {error.start}); expected a "
                "YAML file of notebook parameters"
            ) from None
        if loaded is not None and not isinstance(loaded, dict):
            raise UserError(f"{args.params}: expected a mapping of parameter names")
        parameters.update(loaded or {})
    # Absolute paths: papermill runs each notebook in its own folder.
    out_dir = Path(args.out).resolve() if args.out else root / DEFAULT_OUT
    parameters["out_dir"] = str(out_dir)
    if args.data is not None:
        _check_reproduce_data(args.data)
        parameters["data_path"] = str(Path(args.data).resolve())

    # Each notebook gets only the parameters it declares: papermill would
    # inject the others too, with a warning per notebook, and a name no
    # notebook declares is most likely a typo in the YAML file.
    declared = {source: _declared_parameters(source) for source in notebooks}
    for name in parameters:
        if not any(name in names for names in declared.values()):
            warnings.warn(
                f"parameter {name!r} is declared by no notebook; it is ignored",
                UserWarning,
                stacklevel=1,
            )

    target_dir = out_dir / "notebooks"
    for source in notebooks:
        _prepare_output(target_dir / source.name, *notebooks)
    for number, source in enumerate(notebooks, start=1):
        target = target_dir / source.name
        print(
            f"{PROG}: [{number}/{len(notebooks)}] {source.relative_to(root)} -> "
            f"{target}",
            file=sys.stderr,
        )
        failed = target.with_name(f"{target.stem}.failed.ipynb")
        failed.unlink(missing_ok=True)  # a stale record from an earlier run
        chosen = {k: v for k, v in parameters.items() if k in declared[source]}
        try:
            _execute(papermill, source, target, failed, chosen)
        except (OutputError, UserError):
            raise
        except Exception as error:  # noqa: BLE001 - a kernel can fail in many ways
            message = " ".join(_notebook_failure(source, error, failed).split())
            print(f"{PROG}: error: {message}", file=sys.stderr)
            return EXIT_FAILED
    _out(f"executed {len(notebooks)} notebooks; results in {out_dir}")
    return 0


def _compare(args) -> int:
    from mirai_gmm.compare import compare_runs, to_markdown
    from mirai_gmm.report import METRICS_FILE

    # compare_runs reads a missing metrics.json as empty and would report its
    # sections missing; a wrong folder deserves its own message.
    for run in args.runs:
        if not Path(run).is_dir():
            problem = "not a folder" if Path(run).exists() else "no such folder"
            raise UserError(f"{run}: {problem}")
        if not (Path(run) / METRICS_FILE).is_file():
            raise UserError(
                f"{run}: no {METRICS_FILE}; run 'mirai-gmm reproduce --out {run}' first"
            )
    try:
        table = compare_runs(args.runs)
    except ValueError as error:
        raise UserError(str(error)) from None
    except (KeyError, TypeError, AttributeError) as error:
        raise UserError(
            f"{' or '.join(args.runs)}: {METRICS_FILE} is incomplete or not written "
            f"by 'mirai-gmm reproduce' ({type(error).__name__}: {error}); run "
            "reproduce again"
        ) from None
    _out(to_markdown(table))
    return 0


def _check_reproduce_data(data: str) -> None:
    """Read `data` as the notebooks will, so a bad file fails before any run."""
    from mirai_gmm.loading import read_flows

    # Fully, not just the header: text in a number column or a ragged row
    # would otherwise stop notebook 01 only after its kernel started.
    read_flows(data)


def _execute(papermill, source: Path, target: Path, failed: Path, parameters) -> None:
    """Run one notebook into `target`; on failure keep what ran as `failed`."""
    import logging

    # papermill warns about parameter lines its own parser cannot read, such
    # as 'x: str = ""  # comment'; the parameters were matched with each
    # notebook already, so these warnings are noise.
    log = logging.getLogger("papermill")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        with atomic_path(target) as tmp:
            try:
                papermill.execute_notebook(
                    str(source),
                    str(tmp),
                    parameters=parameters,
                    cwd=str(source.parent),
                    progress_bar=True,
                )
            except Exception:
                # Keep the executed copy with the traceback for the reader: it
                # is the only record of what went wrong.
                if tmp.stat().st_size > 0:
                    with atomic_path(failed) as kept:
                        shutil.copyfile(tmp, kept)
                raise
    finally:
        log.setLevel(level)


def _notebook_failure(source: Path, error: Exception, failed: Path) -> str:
    """Say where and why notebook `source` stopped, and where its copy is."""
    if hasattr(error, "ename"):  # papermill.PapermillExecutionError
        why = f"failed in cell {error.exec_count}: {error.ename}: {error.evalue}"
    else:  # the kernel died, timed out or never started
        why = f"failed: {type(error).__name__}: {error}"
    if failed.exists():
        return f"{source.name} {why}; executed copy with the error: {failed}"
    return f"{source.name} {why}; no executed copy was written"


def _declared_parameters(notebook: Path) -> set[str]:
    """Names assigned in the notebook's cell tagged ``parameters``.

    Read with `ast` rather than `papermill.inspect_notebook`, whose parser
    skips a line such as ``x: str = ""  # "" = default`` (quotes in the
    comment) and would make the parameter look undeclared.
    """
    import ast

    import nbformat

    try:
        book = nbformat.read(notebook, as_version=4)
    except Exception as error:  # noqa: BLE001 - any unreadable notebook
        raise UserError(f"{notebook}: not a readable notebook ({error})") from None
    names: set[str] = set()
    for cell in book.cells:
        if cell.cell_type != "code" or "parameters" not in cell.metadata.get(
            "tags", []
        ):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError as error:
            raise UserError(
                f"{notebook}: the parameters cell is not valid Python ({error.msg}, "
                f"line {error.lineno})"
            ) from None
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else []
            if isinstance(node, ast.AnnAssign):
                targets = [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names
