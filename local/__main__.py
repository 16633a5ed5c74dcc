"""`python -m local`: bring the local stack up (see local/up.py)."""

import sys

from local.up import main

sys.exit(main())
