"""python -m pakg …: the same as the `pakg` command."""
import sys

from pakg.cli import main

sys.exit(main())
