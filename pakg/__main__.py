"""python -m pakg …: the same as the `pakg` command."""

import sys

from pakg import main

sys.exit(main())
