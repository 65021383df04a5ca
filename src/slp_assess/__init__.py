"""slp-assess: readiness assessment for urban-rural partnerships (Stadt-Land-Partnerschaften)."""

__version__ = "0.1.0"
