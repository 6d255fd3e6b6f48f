"""mirai-gmm: a per-feature Gaussian density detector for Mirai botnet flows.

The method follows Boutra et al., "Towards a Lightweight and Efficient Gaussian
Mixture Model for Detecting Mirai Botnet Attacks in IoT Environments": fit a
normal density per feature on attack flows, score a flow by the product of the
densities (a sum of logs here) and call it an attack when the score reaches a
threshold chosen on validation data.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mirai-gmm")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0.0.0+unknown"

from mirai_gmm.detector import GaussianDetector  # noqa: E402

__all__ = ["GaussianDetector", "__version__"]
