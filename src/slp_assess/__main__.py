"""Allow ``python -m slp_assess``."""

from slp_assess.entry import main

if __name__ == "__main__":
    main()
