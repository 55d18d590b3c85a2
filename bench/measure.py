"""What the benchmarks share: running one command and measuring it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path


def measured(command: list[str], env: dict[str, str], workdir: Path) -> tuple[float, float, str]:
    """Run one subprocess; (wall seconds, its peak RSS in MiB, its standard output). A
    failing command stops the benchmark with the end of its standard error."""
    out_path, err_path = workdir / "stdout.txt", workdir / "stderr.txt"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        sys.stderr.write(err_path.read_text()[-3000:])
        raise SystemExit(f"{' '.join(command[:2])} failed with exit code {process.returncode}")
    return seconds, usage.ru_maxrss / 1024, out_path.read_text()  # ru_maxrss is in KiB


def proc_fact(path: str, key: str) -> str:
    """One value from /proc/cpuinfo or /proc/meminfo (Linux); empty elsewhere."""
    try:
        with open(path) as info:
            return next((ln.partition(":")[2].strip() for ln in info if ln.startswith(key)), "")
    except OSError:
        return ""
