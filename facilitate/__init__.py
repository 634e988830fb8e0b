"""facilitate: prepare, run and evaluate coaching, supervision and mentoring programmes."""

__version__ = "0.1.0"
