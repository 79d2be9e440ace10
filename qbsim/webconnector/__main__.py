"""`python -m qbsim.webconnector`, the same command as `python -m qbsim webconnector`."""

import sys

from .cli import main

sys.exit(main())
