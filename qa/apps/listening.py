"""Where the server listens: a port number as the command line gives it, and whether it is free.

Checked before the model and the index load, so that ``report-qa serve`` with a port out of range or
taken says so in one line and exits 2 (it had printed "serving on http://127.0.0.1:99999/" and listened
on a random port, or loaded everything and then stopped on uvicorn's English "address already in use").
"""

from __future__ import annotations

import argparse
import errno
import socket

from qa.errors import ReportQAError

__all__ = ["check_free", "port_number"]

_HIGHEST = 65535


def port_number(raw: str) -> int:
    """A TCP port, 1 to 65535 (argparse prints the error and exits 2 otherwise)."""
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= _HIGHEST:
        raise argparse.ArgumentTypeError(f"端口要是 1 到 {_HIGHEST} 的整数，不是 {raw!r}")
    return value


def check_free(host: str, port: int) -> None:
    """Raise ReportQAError when nothing can listen on ``host``:``port`` (taken, or no such address)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((host, port))
        except OSError as exc:
            why = "in use" if exc.errno == errno.EADDRINUSE else exc.strerror or str(exc)
            raise ReportQAError(f"cannot listen on {host}:{port}: {why}") from None
