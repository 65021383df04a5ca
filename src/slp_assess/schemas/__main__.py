"""``python -m slp_assess.schemas --write``: regenerate the committed JSON Schema files."""

from __future__ import annotations

import sys

from slp_assess.schemas import write_all


def main(argv: list[str]) -> int:
    """Write the schemas with ``--write``; otherwise explain."""
    if argv != ["--write"]:
        sys.stderr.write("usage: python -m slp_assess.schemas --write\n")
        return 3
    for path in write_all():
        sys.stdout.write(f"wrote {path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
