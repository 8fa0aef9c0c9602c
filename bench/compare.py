#!/usr/bin/env python3
"""psn against the JAX (and, where it imports, PyTorch) reference, side by side in one run.

For every configuration and seed the tools train in turn (psn, reference, psn, reference, … so a
noisy neighbour hurts both alike), each from scratch with the same settings, and print one JSON
line. The table shows per configuration each tool's samples/s by the wall clock (best over its
runs: the machine is shared, the best is the least disturbed) and per CPU second (the process's
CPU time over the training steps, all threads: what the run consumed, much less disturbed by
other processes), the ratios psn / faster reference, and test accuracy as mean ± sd over the
seeds. Called by scripts/bench --reference; see docs/performance.md.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
ap.add_argument("--psn-bench", required=True)
ap.add_argument("--python", default=sys.executable)
ap.add_argument("--configs", default="dense,static90,static99,rigl90")
ap.add_argument("--seeds", type=int, default=1)
ap.add_argument("--epochs", type=int, default=3)
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--references", default="jax")
args = ap.parse_args()


def available(tool):
    module = {"jax": "jax", "torch": "torch"}[tool]
    r = subprocess.run([args.python, "-c", f"import {module}"], capture_output=True)
    return r.returncode == 0


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stderr[-2000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


references = [t for t in args.references.split(",") if t and available(t)]
skipped = [t for t in args.references.split(",") if t and t not in references]
if not references:
    sys.exit("no reference framework imports in " + args.python)
configs = args.configs.split(",")
results = {}  # (config, tool) -> [result]
with open("/proc/loadavg") as f:
    load_before = " ".join(f.read().split()[:3])
for c in configs:
    for seed in range(1, args.seeds + 1):
        psn_cmd = [args.psn_bench, "--train", c, "--seed", str(seed), "--epochs", str(args.epochs),
                   "--threads", str(args.threads)]
        tools = [("psn", psn_cmd)] + [
            (t, [args.python, os.path.join(here, f"{t}_mlp.py"), "--config", c, "--seed", str(seed),
                 "--epochs", str(args.epochs), "--threads", str(args.threads)]) for t in references]
        for tool, cmd in tools:
            r = run(cmd)
            results.setdefault((c, tool), []).append(r)
            print(json.dumps({"tool": tool, **r}), file=sys.stderr, flush=True)
with open("/proc/loadavg") as f:
    load_after = " ".join(f.read().split()[:3])


def acc(rs):
    a = [100 * r["testAccuracy"] for r in rs]
    return f"{statistics.mean(a):.2f} ± {statistics.stdev(a):.2f}" if len(a) > 1 else f"{a[0]:.2f}"


print(f"psn vs {', '.join(references)}: 784-300-100-10, batch 128, Adam 3e-3 cosine, {args.epochs} epochs, "
      f"{args.seeds} seed(s), {args.threads} thread(s); load average {load_before} → {load_after}")
if skipped:
    print(f"(not installed: {', '.join(skipped)})")
def best(rs, key):
    return max(r[key] for r in rs)


head = f"{'configuration':<14}{'psn':>10}" + "".join(f"{t:>10}" for t in references) + f"{'ratio':>8}"
head += f"{'psn':>10}" + "".join(f"{t:>10}" for t in references) + f"{'ratio':>8}"
head += f"{'psn acc %':>16}" + "".join(f"{t + ' acc %':>16}" for t in references)
print(f"{'':<14}{'samples/s (wall clock)':^{10 * (len(references) + 1) + 8}}{'samples per CPU second':^{10 * (len(references) + 1) + 8}}")
print(head)
for c in configs:
    line = f"{c:<14}"
    for key in ("samplesPerSecond", "samplesPerCPUSecond"):
        mine = best(results[(c, "psn")], key)
        refs = [best(results[(c, t)], key) for t in references]
        line += f"{mine:>10,.0f}" + "".join(f"{r:>10,.0f}" for r in refs) + f"{mine / max(refs):>7.2f}×"
    line += f"{acc(results[(c, 'psn')]):>16}" + "".join(f"{acc(results[(c, t)]):>16}" for t in references)
    print(line)
