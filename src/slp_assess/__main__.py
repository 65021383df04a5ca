"""Allow ``python -m slp_assess``."""

from slp_assess.cli import main

if __name__ == "__main__":
    main()
