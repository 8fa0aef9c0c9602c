#!/usr/bin/env python3
"""Safetensors interoperability fixtures for psn's persistence tests.

    python3 -m venv --system-site-packages /tmp/st && /tmp/st/bin/pip install safetensors
    /tmp/st/bin/python scripts/make-persistence-fixtures.py

1. Writes Tests/PSNCoreTests/Fixtures/persistence/python-written.safetensors with the reference
   implementation (safetensors.numpy.save_file). PersistenceSafeTensorsTests reads it and checks
   every value, so Swift's reader is tested against Python's writer without Python at test time.
2. Reads Tests/PSNCoreTests/Fixtures/persistence/swift-written.safetensors (recorded by
   `PSN_RECORD_FIXTURES=1 swift test --filter PersistenceSafeTensors`) with
   safetensors.numpy.load_file and checks it holds the same tensors: Python reads Swift's writer.

Both files hold the tensors of EXPECTED below; the Swift test spells out the same values.
"""
import pathlib

import numpy as np
import safetensors
from safetensors import safe_open
from safetensors.numpy import load_file, save_file

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "Tests/PSNCoreTests/Fixtures/persistence"

EXPECTED = {
    "layers/0/weight": np.array([[0.5, -1.25, 3.0], [1e-8, -0.0, 65504.0]], dtype=np.float32),
    "layers/0/bias": np.array([0.1, -0.2], dtype=np.float64),
    "layers/0/mask": np.array([[True, False, True], [False, False, True]], dtype=np.bool_),
    "fan_in": np.array([3, 1, 2], dtype=np.int32),
    "step": np.array(123456789012, dtype=np.int64),
    "rng_state": np.array([2**64 - 1, 0, 12345, 2**63], dtype=np.uint64),
    "pixels": np.array([0, 127, 255], dtype=np.uint8),
    "empty": np.zeros((0, 4), dtype=np.float32),
    "half": np.array([1.0, -2.0], dtype=np.float16),
}
METADATA = {"format": "psn-test", "note": "written by the reference implementation"}

FIXTURES.mkdir(parents=True, exist_ok=True)
python_written = FIXTURES / "python-written.safetensors"
save_file(EXPECTED, str(python_written), metadata=METADATA)
print(f"wrote {python_written} with safetensors {safetensors.__version__}")

swift_written = FIXTURES / "swift-written.safetensors"
if swift_written.exists():
    loaded = load_file(str(swift_written))
    assert sorted(loaded) == sorted(EXPECTED), (sorted(loaded), sorted(EXPECTED))
    for name, value in EXPECTED.items():
        got = loaded[name]
        assert got.dtype == value.dtype and got.shape == value.shape, (name, got.dtype, got.shape)
        assert np.array_equal(got, value), (name, got, value)
    with safe_open(str(swift_written), framework="numpy") as f:
        assert f.metadata() == METADATA, f.metadata()
    print(f"read {swift_written}: all {len(EXPECTED)} tensors and the metadata match")
else:
    print(f"{swift_written} not recorded yet (PSN_RECORD_FIXTURES=1 swift test --filter PersistenceSafeTensors)")
