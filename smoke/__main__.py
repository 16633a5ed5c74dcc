"""`python -m smoke` (make smoke): the post-deploy checks against a deployment or `make up`."""

import sys

from smoke.checks import main

sys.exit(main())
