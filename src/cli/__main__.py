"""`python -m src.cli`: run the command line."""

import sys

from src.cli.main import main

sys.exit(main())
