"""`python -m server`: serve the app with granian, configured from the environment (server/settings.py)."""
from __future__ import annotations

from granian import Granian

from server.settings import granian_options


def main() -> None:
    """Start granian; it returns when the server stops (SIGINT or SIGTERM)."""
    Granian(**granian_options()).serve()


if __name__ == "__main__":
    main()
