"""``python -m mirai_gmm``: the same command line as ``mirai-gmm``."""

import sys

from mirai_gmm.cli import main

if __name__ == "__main__":
    sys.exit(main())
