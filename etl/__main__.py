"""`python -m etl` is the `etl` command."""

from .cli import main

if __name__ == "__main__":
    main()
