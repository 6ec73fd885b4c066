import sys

from solomonic.cli import main

sys.exit(main())
