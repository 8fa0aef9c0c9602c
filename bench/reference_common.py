"""What the JAX and PyTorch reference scripts share: their arguments, Fashion-MNIST as psn
reads it, and psn's masks and initialisation (see jax_mlp.py for every setting)."""
import argparse
import gzip
import os

import numpy as np

CONFIGS = {"dense": 0.0, "static90": 0.9, "static99": 0.99, "rigl90": 0.9, "rigl99": 0.99}


def parse_args(description):
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--config", required=True, choices=sorted(CONFIGS))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--hidden", default="300,100")
    ap.add_argument("--data", default=os.environ.get("PSN_DATA", "/usr/share/datasets/fashion-mnist"))
    args = ap.parse_args()
    args.sparsity = CONFIGS[args.config]
    args.rigl = args.config.startswith("rigl")
    args.sizes = [784] + [int(h) for h in args.hidden.split(",")] + [10]
    return args


def _idx(directory, name):
    with gzip.open(os.path.join(directory, name), "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def fashion(directory):
    """(x_train, y_train, x_test, y_test): pixels as float32 byte/255 (what psn computes), labels int."""
    def images(name):
        return _idx(directory, name).reshape(-1, 784).astype(np.float32) / np.float32(255)
    return (images("train-images-idx3-ubyte.gz"), _idx(directory, "train-labels-idx1-ubyte.gz").astype(np.int64),
            images("t10k-images-idx3-ubyte.gz"), _idx(directory, "t10k-labels-idx1-ubyte.gz").astype(np.int64))


def masks_and_weights(args):
    """Per layer (out × in, row j = neuron j): the 0/1 mask and the initial weights.

    `profile random sparsity=s`, uniform allocation: each hidden layer keeps exactly
    round((1−s)·n_in·n_out) weights at uniformly random positions; the logit layer is dense.
    Weights: N(0, gain/k_j) with neuron j's own fan-in k_j, gain 2 before a ReLU, 1 for logits.
    """
    rng = np.random.default_rng(args.seed)
    sizes = args.sizes
    layers = len(sizes) - 1
    out = []
    for l in range(layers):
        n_in, n_out = sizes[l], sizes[l + 1]
        m = np.ones((n_out, n_in), np.float32)
        if args.sparsity > 0 and l < layers - 1:
            k = int((1 - args.sparsity) * n_in * n_out + 0.5)
            flat = np.zeros(n_in * n_out, np.float32)
            flat[rng.choice(n_in * n_out, size=k, replace=False)] = 1
            m = flat.reshape(n_out, n_in)
        fan_in = np.maximum(m.sum(axis=1, keepdims=True), 1)
        gain = 1.0 if l == layers - 1 else 2.0
        w = rng.standard_normal(m.shape).astype(np.float32) * np.sqrt(gain / fan_in).astype(np.float32)
        out.append((m, w * m))
    return out


def steps(args, n):
    """(batches per epoch, total steps T, RigL's T_end = ⌊0.75 T⌋)."""
    per_epoch = (n + args.batch - 1) // args.batch
    total = per_epoch * args.epochs
    return per_epoch, total, int(0.75 * total)
