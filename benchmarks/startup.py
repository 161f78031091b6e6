#!/usr/bin/env python3
"""Start-up of the command line: whole processes, beside an empty interpreter.

    python benchmarks/startup.py [--runs 11] [--imports] [--no-bytecode]

Times, in one run and round-robin (so that a busy moment costs every command
alike), --runs fresh processes of each of

  python -c pass                              the interpreter alone
  python -m rongcuo --help
  python -m rongcuo vocabulary
  python -m rongcuo evaluate measure/golden/g-a11-p1-i6.yaml
  python -m rongcuo check                     the drafters' proofs over the bundled rules

and prints the median and minimum wall seconds of each, the CPU seconds
(user + system, median, from getrusage of the children), and the median's
difference to and ratio over `python -c pass`, beside its target: a
start-up under 0.3 s; `check`, proofs included, within 1 s (issue 15).
The interpreter is this one (sys.executable); rongcuo
comes from this checkout (its src/ first on PYTHONPATH); the working
directory is the checkout. Bytecode caching is left on for the children
(PYTHONDONTWRITEBYTECODE dropped) and each command runs once untimed first,
so that compiling the sources and the templates (jinja2's bytecode cache,
rongcuo.present.render) is not counted — as for an installed program.
With --no-bytecode, no bytecode is read or written (PYTHONDONTWRITEBYTECODE,
and an empty PYTHONPYCACHEPREFIX): every module of every package, and every
template, is compiled in every process — the figures of a session that runs
with PYTHONDONTWRITEBYTECODE and no caches yet.

With --imports, also prints which of the heavy stacks each command imports
and what they cost (cumulative microseconds of `python -X importtime`).
No assertion: it exits 0 whatever the figures (1 if a command fails).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 0.3  # seconds of wall time per start-up
CHECK_TARGET = 1.0  # … and of `rongcuo check`, which proves as well
CASE = "measure/golden/g-a11-p1-i6.yaml"
COMMANDS = {
    "python -c pass": ["-c", "pass"],
    "rongcuo --help": ["-m", "rongcuo", "--help"],
    "rongcuo vocabulary": ["-m", "rongcuo", "vocabulary"],
    f"rongcuo evaluate {Path(CASE).name}": ["-m", "rongcuo", "evaluate", CASE],
    "rongcuo check": ["-m", "rongcuo", "check"],
}
TARGETS = {"rongcuo check": CHECK_TARGET}
STACKS = [
    "typer",
    "rich",
    "rich.progress",
    "yaml",
    "jinja2",
    "pydantic",
    "clingo",
    "jieba",
    "pkg_resources",
    "fastapi",
    "rongcuo.engine",
    "rongcuo.model.case",
    "rongcuo.batch",
    "rongcuo.drafting",
    "rongcuo.service",
    "rongcuo.extract",
]


def environment(bytecode: bool, empty: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("PYTHONPYCACHEPREFIX", None)
    if not bytecode:
        env.update(PYTHONDONTWRITEBYTECODE="1", PYTHONPYCACHEPREFIX=empty)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])])
    return env


def once(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)}: exit code {done.returncode}\n{done.stderr.decode(errors='replace')}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def imports(args: list[str], env: dict[str, str]) -> dict[str, int]:
    """Cumulative import microseconds of each stack the command imports: the package and its submodules,
    each counted where the stack is entered (not again under another module of the same stack)."""
    done = subprocess.run([sys.executable, "-X", "importtime", *args], cwd=ROOT, env=env, capture_output=True)
    rows = []
    for line in done.stderr.decode(errors="replace").splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            name = parts[2].rstrip()
            rows.append(((len(name) - len(name.lstrip()) - 1) // 2, name.strip(), int(parts[1])))
    found: dict[str, int] = {}
    ancestors: list[str] = []
    for depth, name, cumulative in reversed(rows):  # -X importtime prints a module after its imports
        del ancestors[depth:]
        for stack in STACKS:
            inside = [n for n in ancestors if n == stack or n.startswith(stack + ".")]
            if (name == stack or name.startswith(stack + ".")) and not inside:
                found[stack] = found.get(stack, 0) + cumulative
        ancestors.append(name)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--imports", action="store_true", help="Also print the heavy stacks each command imports.")
    parser.add_argument("--no-bytecode", action="store_true", help="Compile every module in every process.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as empty:
        measure(args, environment(not args.no_bytecode, empty))


def measure(args: argparse.Namespace, env: dict[str, str]) -> None:
    for command in COMMANDS.values():  # warm-up: bytecode written (unless --no-bytecode), files in the page cache
        once(command, env)
    walls: dict[str, list[float]] = {name: [] for name in COMMANDS}
    cpus: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.runs):
        for name, command in COMMANDS.items():
            wall, cpu = once(command, env)
            walls[name].append(wall)
            cpus[name].append(cpu)

    base = statistics.median(walls["python -c pass"])
    bytecode = "no bytecode" if args.no_bytecode else "bytecode cached"
    python = f"{sys.executable}, Python {sys.version.split()[0]}"
    print(f"start-up, whole process, {args.runs} runs each, {bytecode} ({python})")
    print(f"{'':36} {'median s':>9} {'min s':>7} {'CPU s':>7} {'− pass s':>9} {'× pass':>7}  target")
    for name in COMMANDS:
        median, least = statistics.median(walls[name]), min(walls[name])
        target = TARGETS.get(name, TARGET)
        mark = "" if name == "python -c pass" else f"< {target} s {'✓' if median < target else '✗'}"
        print(
            f"{name:36} {median:9.3f} {least:7.3f} {statistics.median(cpus[name]):7.3f} "
            f"{median - base:9.3f} {median / base:7.1f}  {mark}"
        )

    if args.imports:
        print("\nimported stacks, cumulative ms of -X importtime (–: not imported)")
        names = [n for n in COMMANDS if n != "python -c pass"]
        seen = {name: imports(COMMANDS[name], env) for name in names}
        print(f"{'':22}" + "".join(f"{n.split()[1]:>18}" for n in names))
        for stack in STACKS:
            cells = [seen[n].get(stack) for n in names]
            print(f"{stack:22}" + "".join(f"{c / 1000:18.1f}" if c is not None else f"{'–':>18}" for c in cells))


if __name__ == "__main__":
    main()
