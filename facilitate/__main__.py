"""`python -m facilitate`."""

from .cli import main

main()
