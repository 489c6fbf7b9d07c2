"""``python -m xiangcun_eval.cli``."""

import sys

from . import main

sys.exit(main())
