"""The paper's detector: one normal density per feature, fitted on attack flows.

Symbols of the paper (Section III) and their names here:

========================  ===================  ==============================
paper                     here                 meaning
========================  ===================  ==============================
mu_f (Eq. 1)              ``means_[f]``        mean of feature f, attack rows
sigma_f^2 (Eq. 2)         ``variances_[f]``    population variance (ddof 0)
p(x) (Eq. 4)              ``score_samples``    log of the product of densities
epsilon (Eq. 5)           ``log_epsilon_``     natural log of the threshold
========================  ===================  ==============================
"""

from __future__ import annotations

import json
import math
import numbers
import warnings
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import check_is_fitted, validate_data

from mirai_gmm.threshold import best_threshold

__all__ = ["FORMAT_VERSION", "GaussianDetector", "ModelFileError"]

#: Version of the JSON model layout written by :meth:`GaussianDetector.save`.
FORMAT_VERSION = 1

_MODEL_FIELDS = (
    "format_version",
    "package_version",
    "feature_names",
    "means",
    "variances",
    "log10_epsilon",
    "log_epsilon",
    "var_floor",
    "n_train_rows",
    "classes",
)

# Rows scored per step. A block of 8,192 rows of nine features (576 KiB)
# stays in a core's cache, so the data is read from memory once.
_BLOCK_ROWS = 8192
_LN10 = math.log(10.0)
_LOG_2PI = math.log(2.0 * math.pi)


class ModelFileError(ValueError):
    """A model file that cannot be read as a GaussianDetector."""


class GaussianDetector(ClassifierMixin, BaseEstimator):
    """Flag a flow as an attack when its density under attack traffic is high.

    Each feature gets a normal density with the mean and population
    variance of the attack rows of the training data (the paper's Eqs. 1
    and 2). A flow's score is the sum over features of the log densities,
    the log of the paper's product (Eq. 4), which would underflow to zero
    on IoTID20. A flow is an attack when its score reaches ``log_epsilon_``
    (Eq. 5 in log space).

    Parameters
    ----------
    var_floor : float, default=1e-9
        Smallest variance allowed, as a share of each feature's own mean
        square over the attack rows (``var + mean**2``), or as an absolute
        value for a feature that is zero on every attack row. A feature
        that is constant among attack rows would otherwise divide by zero.
        The floor is per feature because IoTID20's features have different
        units: a share of the largest variance (GaussianNB's rule) would
        let a rate in bytes per second, with variances near 1e14, flatten
        a flag count whose variance is 0.25. The paper has no floor.
    log_epsilon : float or None, default=None
        Natural log of the threshold. None chooses one in :meth:`fit`:
        the F1-best value on the training rows when both classes are
        present, else the lowest training score (every training attack
        flow is flagged). Use :meth:`tune_threshold` to choose it on a
        validation split as the paper does.

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
        Class labels; ``classes_[1]`` is the attack class (1 for 0/1 labels).
    means_ : ndarray of shape (n_features,)
        Mean of each feature over the attack training rows.
    variances_ : ndarray of shape (n_features,)
        Population variance of each feature over those rows, after the floor.
    log_epsilon_ : float
        Natural log of the threshold in use. A threshold chosen from data
        is stored one floating-point step below the chosen flow's score,
        so that flow counts as an attack under both ``score >= log_epsilon_``
        and ``decision_function > 0``.
    n_train_rows_ : int
        Number of attack rows the parameters were estimated from.
    n_features_in_ : int
        Number of features seen in :meth:`fit`.
    feature_names_in_ : ndarray of shape (n_features,)
        Feature names, when `X` had string column names.

    See Also
    --------
    sklearn.naive_bayes.GaussianNB : per-class normal densities with priors.

    References
    ----------
    B. Boutra, K. Hamouid, M. Omar, M. Rahouti, H. Drid, "Towards a
    Lightweight and Efficient Gaussian Mixture Model for Detecting Mirai
    Botnet Attacks in IoT Environments".

    Examples
    --------
    >>> import numpy as np
    >>> from mirai_gmm import GaussianDetector
    >>> X = np.array([[1.0, 10.0], [2.0, 12.0], [3.0, 14.0], [50.0, 90.0]])
    >>> y = np.array([1, 1, 1, 0])
    >>> detector = GaussianDetector().fit(X, y)
    >>> detector.means_
    array([ 2., 12.])
    >>> detector.predict([[2.0, 12.0], [60.0, 95.0]])
    array([1, 0])
    """

    def __init__(self, var_floor: float = 1e-9, log_epsilon: float | None = None):
        self.var_floor = var_floor
        self.log_epsilon = log_epsilon

    # ------------------------------------------------------------------ fit

    def fit(self, X, y=None):
        """Estimate a mean and a variance per feature from the attack rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Flow features. Values must be finite.
        y : array-like of shape (n_samples,), optional
            Two class labels, the greater one being the attack class (1 for
            0/1 labels); only attack rows enter the means and variances.
            Other labels (text, say) warn, since the greater one may not be
            the attack class. None when every row of `X` is an attack flow.

        Returns
        -------
        self : GaussianDetector
            The fitted detector.
        """
        self._check_parameters()
        if y is None:
            X = validate_data(self, X, dtype=np.float64)
            self.classes_ = np.array([0, 1])
            is_attack = np.ones(X.shape[0], dtype=bool)
        else:
            X, y = validate_data(self, X, y, dtype=np.float64)
            check_classification_targets(y)
            target_type = type_of_target(y, input_name="y")
            if target_type != "binary":
                raise ValueError(
                    "Only binary classification is supported. The type of the "
                    f"target is {target_type}: y needs exactly two classes, "
                    "attack being the greater label (1 for 0/1 labels)"
                )
            self.classes_, encoded = np.unique(y, return_inverse=True)
            if len(self.classes_) != 2:
                raise ValueError(
                    f"y holds one class only ({self.classes_[0]!r}); pass y=None "
                    "when every row is an attack flow"
                )
            is_attack = encoded == 1
            _warn_unless_numeric(self.classes_)

        attack = X[is_attack]
        self.means_ = attack.mean(axis=0)
        self.variances_ = self._floored(attack.var(axis=0), self.means_)
        self.n_train_rows_ = int(attack.shape[0])
        self._cache_constants()

        if self.log_epsilon is not None:
            self.log_epsilon_ = float(self.log_epsilon)
        elif is_attack.all():
            self.log_epsilon_ = _just_below(self._log_density(X).min())
        else:
            chosen = best_threshold(is_attack, self._log_density(X))
            self.log_epsilon_ = _just_below(chosen.log_epsilon)
        return self

    def _check_parameters(self) -> None:
        floor, log_epsilon = self.var_floor, self.log_epsilon
        if not (_is_finite_number(floor) and floor >= 0):
            raise ValueError(f"var_floor must be a finite number >= 0; got {floor!r}")
        if log_epsilon is not None and not _is_finite_number(log_epsilon):
            raise ValueError(
                f"log_epsilon must be None or a finite number; got {log_epsilon!r}"
            )

    def _floored(self, variances: np.ndarray, means: np.ndarray) -> np.ndarray:
        floor = self.var_floor * (variances + means * means)
        # A feature that is zero on every attack row has no scale of its own.
        floor[floor == 0] = self.var_floor
        # var_floor=0 on a constant feature would still divide by zero.
        return np.maximum(variances, np.maximum(floor, np.finfo(np.float64).tiny))

    def _cache_constants(self) -> None:
        # Eq. 3 in log form: log N(x; mu, s2) = -0.5 log(2 pi s2) - (x - mu)^2 / (2 s2).
        self._half_precision = 0.5 / self.variances_
        self._log_norm = float(-0.5 * np.sum(_LOG_2PI + np.log(self.variances_)))
        self._means_list = self.means_.tolist()
        self._half_precision_list = self._half_precision.tolist()

    # -------------------------------------------------------------- scoring

    def score_samples(self, X) -> np.ndarray:
        """Log density of each flow: the log of the paper's p(x) (Eq. 4).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Flow features, finite, in the order (or with the names) seen in fit.

        Returns
        -------
        ndarray of shape (n_samples,)
            Natural-log densities. Finite input gives a number or ``-inf``
            (a value so far from the mean that its square overflows), never NaN.
        """
        check_is_fitted(self, "means_")
        return self._log_density(self._validated(X))

    def decision_function(self, X) -> np.ndarray:
        """Log density minus ``log_epsilon_``: positive means attack.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Flow features.

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        scores = self.score_samples(X)
        if self.log_epsilon_ == -math.inf:
            # A threshold of -inf flags every flow, even one scoring -inf,
            # where the difference would be NaN.
            return np.full_like(scores, math.inf)
        return scores - self.log_epsilon_

    def predict(self, X) -> np.ndarray:
        """Class of each flow: ``classes_[1]`` (attack) when the score reaches epsilon.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Flow features.

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        is_attack = self.score_samples(X) >= self.log_epsilon_
        return self.classes_[is_attack.astype(int)]

    def predict_one(self, flow) -> bool:
        """Whether one flow is an attack, without array validation.

        This is the path for a gateway that sees flows one by one: plain
        Python arithmetic over a few features costs microseconds, where
        building and checking a one-row array costs far more.

        Parameters
        ----------
        flow : mapping or sequence of float
            Feature name to value (every fitted feature must be present;
            others are ignored), or the values in fitted feature order.

        Returns
        -------
        bool
            True for attack.
        """
        check_is_fitted(self, "means_")
        values = self._flow_values(flow)
        squared = 0.0
        for position, (value, mean, half_precision) in enumerate(
            zip(values, self._means_list, self._half_precision_list, strict=True)
        ):
            # float is the common case; anything else is checked first, so
            # that a string or a boolean is refused rather than converted.
            if type(value) is not float:
                value = self._flow_number(value, position)
            if not math.isfinite(value):
                raise ValueError(
                    f"flow value {value} of {self._feature_label(position)} "
                    "is not finite"
                )
            squared += (value - mean) * (value - mean) * half_precision
        return self._log_norm - squared >= self.log_epsilon_

    def _flow_number(self, value, position: int) -> float:
        if not _is_real(value):
            raise TypeError(
                f"flow value {value!r} of {self._feature_label(position)} "
                "is not a number"
            )
        try:
            return float(value)
        except OverflowError:  # an int beyond the float range
            return math.inf if value > 0 else -math.inf

    def _feature_label(self, position: int) -> str:
        names = self._names_list
        return f"feature {position}" if names is None else repr(names[position])

    def _flow_values(self, flow):
        # A pandas Series (a DataFrame row, say) is read by its labels, like
        # a mapping: read by position, a reordered row would score wrongly.
        if isinstance(flow, Mapping | pd.Series):
            names = getattr(self, "feature_names_in_", None)
            if names is None:
                raise TypeError(
                    "this detector was fitted without feature names; "
                    "pass the values as a sequence in fitted order"
                )
            try:
                return [flow[name] for name in self._names_list]
            except KeyError as missing:
                raise ValueError(f"flow lacks feature {missing.args[0]!r}") from None
        if isinstance(flow, str | bytes):
            raise TypeError("a flow is a mapping or a sequence of numbers, not text")
        if len(flow) != self.n_features_in_:
            raise ValueError(
                f"flow has {len(flow)} values; the detector expects "
                f"{self.n_features_in_}"
            )
        return flow

    def _validated(self, X) -> np.ndarray:
        """Return `X` as a float64 array with the fitted columns.

        The fast path takes a DataFrame whose columns are exactly the fitted
        names, or a float64 array when no names were fitted; everything else
        goes through scikit-learn's full validation. Finiteness is checked
        after scoring (see `_log_density`), which saves a pass over the data.
        """
        names = getattr(self, "_names_list", None)
        if names is not None and isinstance(X, pd.DataFrame):
            if X.columns.tolist() == names and min(X.shape) and _all_numeric(X):
                return X.to_numpy(dtype=np.float64, copy=False)
        elif (
            names is None
            and isinstance(X, np.ndarray)
            and X.dtype == np.float64
            and X.ndim == 2
            and X.shape[0]
            and X.shape[1] == self.n_features_in_
        ):
            return X
        return validate_data(self, X, dtype=np.float64, reset=False)

    def _log_density(self, X: np.ndarray) -> np.ndarray:
        n_rows, n_features = X.shape
        squared = np.empty(n_rows)
        # The block is feature-major: each feature's values for the block's
        # rows lie side by side, so the per-feature sums below are
        # contiguous adds.
        block = np.empty((n_features, min(_BLOCK_ROWS, n_rows)))
        means = self.means_[:, np.newaxis]
        half_precision = self._half_precision[:, np.newaxis]
        for start in range(0, n_rows, _BLOCK_ROWS):
            rows = X[start : start + _BLOCK_ROWS]
            work = block[:, : rows.shape[0]]
            total = squared[start : start + rows.shape[0]]
            # A value far from the mean overflows to inf and scores -inf, by
            # design; NaN and inf in the input are refused below.
            with np.errstate(over="ignore", invalid="ignore"):
                np.subtract(rows.T, means, out=work)
                np.multiply(work, work, out=work)
                np.multiply(work, half_precision, out=work)
                # Features are added one at a time, in order, for every row.
                # A BLAS product is no faster here and may round differently
                # with the block's size or memory alignment; a flow must get
                # the same score alone, in a batch and in predict_one.
                np.copyto(total, work[0])
                for feature in range(1, n_features):
                    np.add(total, work[feature], out=total)
        if not np.isfinite(squared).all():
            self._refuse_non_finite(X)
        np.subtract(self._log_norm, squared, out=squared)
        return squared

    @staticmethod
    def _refuse_non_finite(X: np.ndarray) -> None:
        # Reached only when a sum is inf or NaN: either the input holds
        # NaN/inf, or a finite value is so far out that its square
        # overflows, which is a legitimate -inf score.
        bad = ~np.isfinite(X)
        if bad.any():
            row, column = np.argwhere(bad)[0]
            raise ValueError(
                f"Input X contains NaN or infinity (first at row {row}, "
                f"column {column}); clean or drop such flows before scoring"
            )

    # ------------------------------------------------------------ threshold

    def tune_threshold(self, X, y) -> GaussianDetector:
        """Set ``log_epsilon_`` to the F1-best threshold on labelled data.

        This is the paper's validation step (Algorithm 1, Step 6), done
        exactly over every distinct validation score.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Validation flows.
        y : array-like of shape (n_samples,)
            Their labels, ``classes_[1]`` for attack.

        Returns
        -------
        self : GaussianDetector
        """
        result = best_threshold(
            np.asarray(y) == self.classes_[1], self.score_samples(X)
        )
        self.log_epsilon_ = _just_below(result.log_epsilon)
        self.threshold_f1_ = result.f1
        return self

    @property
    def log10_epsilon(self) -> float:
        """Base-10 log of the threshold, the form the paper reports."""
        check_is_fitted(self, "log_epsilon_")
        return self.log_epsilon_ / _LN10

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        tags.input_tags.allow_nan = False
        return tags

    # --------------------------------------------------------------- saving

    def to_dict(self) -> dict:
        """The fitted state as plain JSON types (see :meth:`save`)."""
        from mirai_gmm import __version__

        check_is_fitted(self, "means_")
        names = getattr(self, "feature_names_in_", None)
        return {
            "format_version": FORMAT_VERSION,
            "package_version": __version__,
            "feature_names": None if names is None else [str(n) for n in names],
            "means": self.means_.tolist(),
            "variances": self.variances_.tolist(),
            # Known limit: a threshold of -inf (flag every flow, even one whose
            # score overflowed to -inf) has no JSON number, so save refuses
            # it with an OutputError naming log10_epsilon. It takes values
            # some 1e150 away from the mean to get there.
            "log10_epsilon": self.log10_epsilon,
            # The natural log is what predict compares with. Converting from
            # log10 back to it can move it by one float step, which would put
            # a flow sitting at the threshold on the other side of it.
            "log_epsilon": float(self.log_epsilon_),
            "var_floor": float(self.var_floor),
            "n_train_rows": self.n_train_rows_,
            "classes": self.classes_.tolist(),
        }

    def save(self, path) -> Path:
        """Write the fitted detector to a JSON file, atomically.

        JSON, never pickle: a model file is data, and reading one must not
        run code.

        Parameters
        ----------
        path : str or Path
            Destination; written to a temporary file and renamed into place.

        Returns
        -------
        Path
        """
        from mirai_gmm.atomic import write_json

        path = Path(path)
        write_json(path, self.to_dict())
        return path

    @classmethod
    def from_dict(cls, state: Mapping, source: str = "model") -> GaussianDetector:
        """Rebuild a detector from :meth:`to_dict` output, checking every field."""
        state = _checked_state(state, source)
        detector = cls(var_floor=state["var_floor"])
        detector.means_ = np.asarray(state["means"], dtype=np.float64)
        detector.variances_ = np.asarray(state["variances"], dtype=np.float64)
        detector.log_epsilon_ = float(state["log_epsilon"])
        detector.n_train_rows_ = state["n_train_rows"]
        detector.classes_ = np.asarray(state["classes"])
        detector.n_features_in_ = len(detector.means_)
        if state["feature_names"] is not None:
            detector.feature_names_in_ = np.asarray(
                state["feature_names"], dtype=object
            )
        detector._cache_constants()
        return detector

    @classmethod
    def load(cls, path) -> GaussianDetector:
        """Read a detector written by :meth:`save`.

        Raises
        ------
        ModelFileError
            When the file is not JSON, lacks or adds fields, has lengths
            that disagree, non-finite values, non-positive variances or an
            unknown format version. The message names the file and the field.
        """
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ModelFileError(f"{path}: no such model file") from None
        except (OSError, UnicodeDecodeError) as err:
            raise ModelFileError(f"{path}: cannot read model file ({err})") from None
        try:
            state = json.loads(text, object_pairs_hook=_unique_keys)
        except json.JSONDecodeError as err:
            raise ModelFileError(
                f"{path}: not a JSON model file ({err.msg} at line {err.lineno})"
            ) from None
        except _DuplicateKey as err:
            raise ModelFileError(
                f"{path}: field {err.args[0]!r} appears twice"
            ) from None
        except RecursionError:
            raise ModelFileError(
                f"{path}: not a model file (nested too deep)"
            ) from None
        return cls.from_dict(state, source=str(path))

    @property
    def _names_list(self):
        names = getattr(self, "feature_names_in_", None)
        return None if names is None else names.tolist()


class _DuplicateKey(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    # json.loads would keep the last of two equal keys without a word.
    state = {}
    for key, value in pairs:
        if key in state:
            raise _DuplicateKey(key)
        state[key] = value
    return state


def _just_below(score: float) -> float:
    """The float just below `score`.

    A chosen threshold sits on a data point's score. One step below it,
    that point is an attack under both the paper's rule (log p >= log
    epsilon) and scikit-learn's (decision_function > 0), so the two agree.
    """
    return float(np.nextafter(score, -np.inf))


def _warn_unless_numeric(classes: np.ndarray) -> None:
    """Warn when the attack class is not plainly the label 1 (or True).

    Labels are sorted as scikit-learn sorts them and the greater one is the
    attack class. For text labels that choice is alphabetical, so IoTID20's
    own 'Normal'/'Anomaly' would make 'Normal' the class fitted on. The same
    set of labels that scikit-learn's metrics accept without a `pos_label`
    passes silently.
    """
    if classes.dtype.kind in "biuf" and set(classes.tolist()) in ({0, 1}, {-1, 1}):
        return
    warnings.warn(
        f"y labels {classes.tolist()} are not 0/1: the attack class is taken to "
        f"be the greater label, {classes.tolist()[1]!r}; encode attack as 1 to be sure",
        UserWarning,
        stacklevel=3,
    )


def _checked_state(state, source: str) -> dict:
    """Return `state` when it is a complete, consistent model; else raise."""
    if not isinstance(state, Mapping):
        raise ModelFileError(f"{source}: a model file holds a JSON object")
    missing = [f for f in _MODEL_FIELDS if f not in state]
    if missing:
        raise ModelFileError(f"{source}: missing field(s) {', '.join(missing)}")
    extra = sorted(set(state) - set(_MODEL_FIELDS))
    if extra:
        raise ModelFileError(f"{source}: unknown field(s) {', '.join(extra)}")
    version = state["format_version"]
    if type(version) is not int or version != FORMAT_VERSION:
        raise ModelFileError(
            f"{source}: format_version {state['format_version']!r} is not "
            f"supported (this package reads {FORMAT_VERSION})"
        )
    means = _numbers(state, "means", source)
    variances = _numbers(state, "variances", source)
    if len(variances) != len(means) or not means:
        raise ModelFileError(
            f"{source}: 'means' has {len(means)} values and 'variances' "
            f"{len(variances)}; both need one per feature"
        )
    # Below the smallest normal float, 0.5 / variance overflows to infinity.
    if min(variances) < np.finfo(np.float64).tiny:
        raise ModelFileError(f"{source}: 'variances' must all be >= 2.2e-308")
    names = state["feature_names"]
    if names is not None and (
        not isinstance(names, list)
        or len(names) != len(means)
        or not all(isinstance(n, str) for n in names)
        or len(set(names)) != len(names)
    ):
        raise ModelFileError(
            f"{source}: 'feature_names' must be null or {len(means)} distinct strings"
        )
    if not isinstance(state["package_version"], str):
        raise ModelFileError(f"{source}: 'package_version' must be a string")
    for field in ("log10_epsilon", "log_epsilon", "var_floor"):
        if not _is_finite_number(state[field]):
            raise ModelFileError(f"{source}: '{field}' must be a finite number")
    log10, natural = float(state["log10_epsilon"]), float(state["log_epsilon"])
    if not math.isclose(log10 * _LN10, natural, rel_tol=1e-12, abs_tol=1e-300):
        raise ModelFileError(
            f"{source}: 'log10_epsilon' ({log10!r}) and 'log_epsilon' "
            f"({natural!r}) disagree; log_epsilon must be log10_epsilon * ln(10)"
        )
    if state["var_floor"] < 0:
        raise ModelFileError(f"{source}: 'var_floor' must be >= 0")
    count = state["n_train_rows"]
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ModelFileError(f"{source}: 'n_train_rows' must be a positive integer")
    classes = state["classes"]
    if (
        not isinstance(classes, list)
        or len(classes) != 2
        or len({type(label) for label in classes}) != 1
        or not isinstance(classes[0], int | str)
        or classes[0] == classes[1]
    ):
        raise ModelFileError(
            f"{source}: 'classes' must list two distinct labels, both integers "
            "or both strings"
        )
    return dict(state)


def _numbers(state, field: str, source: str) -> list[float]:
    values = state[field]
    if not isinstance(values, list) or not all(_is_real(v) for v in values):
        raise ModelFileError(f"{source}: '{field}' must be a list of numbers")
    if not all(_is_finite_number(v) for v in values):
        raise ModelFileError(f"{source}: '{field}' holds a non-finite value")
    return [float(v) for v in values]


def _is_finite_number(value) -> bool:
    """A number, not a bool, that is a finite float (a 400-digit int is not)."""
    if not _is_real(value):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int beyond the float range
        return False


def _all_numeric(frame: pd.DataFrame) -> bool:
    # Only plain numeric columns take the fast path; strings, booleans and
    # pandas' nullable types get scikit-learn's full checks and messages.
    return all(
        isinstance(dtype, np.dtype) and dtype.kind in "fiu" for dtype in frame.dtypes
    )


def _is_real(value) -> bool:
    # numbers.Real takes NumPy's floats and ints too; bool is an int to
    # Python but never a feature value or a parameter here.
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)
