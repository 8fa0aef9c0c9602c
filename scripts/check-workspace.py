#!/usr/bin/env python3
"""Checks that Python reads a psn workspace save as docs/workspace.md says.

    PSN_WORKSPACE_EXAMPLE=/tmp/psn-example scripts/test --filter writeExampleForPython
    python3 -m venv --system-site-packages /tmp/st && /tmp/st/bin/pip install safetensors
    /tmp/st/bin/python scripts/check-workspace.py /tmp/psn-example

Runs the ```python block of docs/workspace.md verbatim on the save (so the documented snippet is
what is tested), then compares what it computed with DIR.reference.json, written by the Swift
test: the logits of model 'sparse' on five test samples (computed by psn in Double), the run's
test accuracies and first-layer fan-ins. Also checks every model file's dense and CSR forms agree.
"""
import json
import pathlib
import re
import sys

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file

ws = sys.argv[1]
doc = (pathlib.Path(__file__).resolve().parent.parent / "docs/workspace.md").read_text()
snippet = re.search(r"```python\n(.*?)```", doc, re.S).group(1)
scope = {"ws": ws}
exec(snippet, scope)
reference = json.load(open(ws + ".reference.json"))

x = np.array(reference["inputs"], dtype=np.float32)
got = scope["logits"](x)
want = np.array(reference["logits"])
assert got.shape == want.shape, (got.shape, want.shape)
assert np.allclose(got, want, rtol=1e-5, atol=1e-5), np.abs(got - want).max()
print(f"logits of {len(x)} samples match psn's within {np.abs(got - want).max():.2e}")

assert scope["test_accuracy"] == reference["testAccuracy"], scope["test_accuracy"]
assert scope["fan_ins"].tolist() == reference["firstLayerFanIns"]
print(f"history ({len(scope['test_accuracy'])} epochs) and fan-ins of {len(scope['cv'])} mask updates match;"
      f" densities {[round(float(d), 3) for d in scope['density']]}")

manifest = json.load(open(f"{ws}/manifest.json"))
for entry in manifest["models"]:
    base = f"{ws}/models/{entry['file']}"
    record = json.load(open(base + ".json"))
    t = load_file(base + ".safetensors")
    with safe_open(base + ".safetensors", framework="numpy") as f:
        assert f.metadata()["format"] == "psn-model", f.metadata()
    for l, sparse in enumerate(record["sparse"]):
        w = t[f"layers.{l}.weight"]
        assert w.dtype == np.float32 and w.shape == (record["sizes"][l + 1], record["sizes"][l])
        if sparse:
            rows, cols, values = t[f"layers.{l}.row_start"], t[f"layers.{l}.columns"], t[f"layers.{l}.values"]
            dense = np.zeros_like(w)
            mask = np.zeros(w.shape, dtype=bool)
            for j in range(w.shape[0]):
                dense[j, cols[rows[j]:rows[j + 1]]] = values[rows[j]:rows[j + 1]]
                mask[j, cols[rows[j]:rows[j + 1]]] = True
            assert np.array_equal(dense.view(np.uint32), w.view(np.uint32)), (entry["name"], l)
            assert np.array_equal(mask, t[f"layers.{l}.mask"]), (entry["name"], l)
    print(f"model '{entry['name']}': {len(record['sparse'])} layers, dense and CSR forms agree")
