"""Serve the example SR's fake VBR server until interrupted (for demo captures and manual poking).

    python -m tests.fakes.run_veeam --revision 1.3-rev2 --port 9419
"""

from __future__ import annotations

import argparse
import contextlib
import threading

from tests.fakes.veeam_schemas import REVISIONS
from tests.fakes.veeam_server import FakeVeeamServer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--revision", choices=REVISIONS, default="1.2-rev1")
    parser.add_argument("--port", type=int, default=0, help="loopback port (default: a free one)")
    args = parser.parse_args()
    with FakeVeeamServer(revision=args.revision, port=args.port) as server:
        print(f"fake VBR {args.revision} at {server.url}  user {server.username!r}  "
              "password: see FakeVeeamServer's default", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
