"""Process set-up shared by the commands: Prefect's home and privacy settings, and `casebook serve`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request

from casebook.settings import Settings


def configure_environment(settings: Settings) -> None:
    """Keep Prefect's files under var/ and stop Prefect and Streamlit from calling home."""
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_HOME", str((settings.var_dir / "prefect").resolve()))
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # The first start of Prefect's temporary server migrates its database: give it time.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")


def wait_for(url: str, timeout: float) -> None:
    """Wait until `url` answers 200, or raise TimeoutError."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def serve_schedules(settings: Settings) -> None:
    """Start a local Prefect server (unless PREFECT_API_URL names one) and serve the scheduled flows."""
    env = os.environ.copy()
    children: list[subprocess.Popen[bytes]] = []
    if not env.get("PREFECT_API_URL"):
        port = settings.prefect_port
        children.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "prefect",
                    "server",
                    "start",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                ],
                env=env,
            )
        )
        print(f"starting a Prefect server on http://127.0.0.1:{port} ...", flush=True)
        wait_for(f"http://127.0.0.1:{port}/api/health", timeout=120)
        env["PREFECT_API_URL"] = f"http://127.0.0.1:{port}/api"
    children.append(subprocess.Popen([sys.executable, "-m", "flows.serve"], env=env))
    print("serving the schedules of prefect.yaml (Ctrl-C stops)", flush=True)

    def stop(*_: object) -> None:
        for child in reversed(children):
            if child.poll() is None:
                child.send_signal(signal.SIGINT)
        for child in reversed(children):
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()

    signal.signal(signal.SIGTERM, lambda *_: (stop(), sys.exit(0)))
    try:
        while all(child.poll() is None for child in children):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        stop()
