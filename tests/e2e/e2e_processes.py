"""Child processes of the suite: each writes one log file, listens on a free loopback port, and
is stopped by its own PID."""

from __future__ import annotations

import contextlib
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from e2e_settings import LOOPBACK
from keydash_fakes.ports import free_port as free_port


def make_scratch() -> Path:
    """World-readable: nginx started as root reads the web root in workers running as nobody."""
    path = Path(tempfile.mkdtemp(prefix="keydash-e2e-"))
    path.chmod(0o755)
    return path


@dataclass
class Service:
    """A child process writing to one log file."""

    name: str
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def log_size(self) -> int:
        return self.log_path.stat().st_size if self.log_path.exists() else 0

    def log_since(self, offset: int) -> str:
        if not self.log_path.exists():
            return ""
        with self.log_path.open("rb") as log:
            log.seek(offset)
            return log.read().decode(errors="replace")

    def stop(self) -> None:
        """Stop this one process, by its own PID, politely first."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def wait_for_answer(url: str, service: Service, seconds: float = 30) -> None:
    """Until `url` answers at all; the service's log in the error if it exits or never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if service.process.poll() is not None:
            raise RuntimeError(
                f"{service.name} exited {service.process.returncode}:\n"
                + service.log_path.read_text(errors="replace")
            )
        with contextlib.suppress(httpx.TransportError):
            httpx.get(url, timeout=1)
            return
        time.sleep(0.05)
    service.stop()
    raise RuntimeError(
        f"{service.name} did not answer {url} within {seconds} s:\n"
        + service.log_path.read_text(errors="replace")
    )
