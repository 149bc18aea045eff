"""``python -m gxtables`` is the ``gxtables`` command."""
import sys

from .cli import main

sys.exit(main())
