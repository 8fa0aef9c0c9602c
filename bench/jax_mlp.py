#!/usr/bin/env python3
"""The reference side of `scripts/bench --reference`: psn's training run in JAX, as a researcher
would write it today — masks multiplied into dense weights, so sparsity saves no work.

It replicates psn's settings (docs/training.md, docs/rigl.md) so the accuracies are comparable:
784-300-100-10 MLP, ReLU, softmax cross-entropy; masks from `profile random sparsity=s` with the
uniform allocation (hidden layers at density 1−s with exactly round((1−s)·n_in·n_out) weights at
uniformly random positions, logit layer dense); fan-in-aware Kaiming init N(0, gain/k_j) with each
neuron's own fan-in (gain 2 before a ReLU, 1 for the logits), zero biases; Adam (β₁ 0.9, β₂ 0.999,
ε 1e-8 added to √v̂, PyTorch's form) at lr 3e-3 with a cosine schedule η₀·½(1+cos(πt/T)) over
the T steps of the run; batch 128, reshuffled every epoch, last batch smaller; RigL every ΔT=100
steps until T_end = ⌊0.75 T⌋: drop the ⌊f·K⌋ smallest |w|, f = α/2·(1+cos(πt/T_end)), α 0.3, grow
as many of the largest dense-gradient magnitudes among the inactive positions (just-dropped
ones included), new weights and their Adam moments at 0 (done on the host between steps).

Timing covers the training steps only (compilation is done before, evaluation after). Prints one
JSON line. Its own virtual environment (bench/.venv) is made by scripts/bench; tests never use it.
"""
import argparse
import gzip
import json
import math
import os
import sys
import time

ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("--config", required=True, choices=["dense", "static90", "static99", "rigl90", "rigl99"])
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--epochs", type=int, default=3)
ap.add_argument("--batch", type=int, default=128)
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--lr", type=float, default=3e-3)
ap.add_argument("--hidden", default="300,100")
ap.add_argument("--data", default=os.environ.get("PSN_DATA", "/usr/share/datasets/fashion-mnist"))
args = ap.parse_args()

# XLA's CPU thread pool: one intra-op thread per requested core (must be set before jax loads).
os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") +
                           f" --xla_cpu_multi_thread_eigen={'true' if args.threads > 1 else 'false'}"
                           f" intra_op_parallelism_threads={args.threads}")
import numpy as np  # noqa: E402
import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402

jax.config.update("jax_platforms", "cpu")


def idx(name):
    with gzip.open(os.path.join(args.data, name), "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


x_train = (idx("train-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / np.float32(255))
y_train = idx("train-labels-idx1-ubyte.gz").astype(np.int32)
x_test = (idx("t10k-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / np.float32(255))
y_test = idx("t10k-labels-idx1-ubyte.gz").astype(np.int32)

sparsity = {"dense": 0.0, "static90": 0.9, "static99": 0.99, "rigl90": 0.9, "rigl99": 0.99}[args.config]
rigl = args.config.startswith("rigl")
sizes = [784] + [int(h) for h in args.hidden.split(",")] + [10]
layers = len(sizes) - 1
rng = np.random.default_rng(args.seed)

# Masks (in × out, as x @ W), exact counts; the logit layer stays dense.
masks = []
for l in range(layers):
    n_in, n_out = sizes[l], sizes[l + 1]
    if sparsity == 0 or l == layers - 1:
        masks.append(np.ones((n_in, n_out), np.float32))
        continue
    k = int((1 - sparsity) * n_in * n_out + 0.5)
    flat = np.zeros(n_in * n_out, np.float32)
    flat[rng.choice(n_in * n_out, size=k, replace=False)] = 1
    masks.append(flat.reshape(n_out, n_in).T.copy())

params = []
for l in range(layers):
    fan_in = np.maximum(masks[l].sum(axis=0), 1)  # per output neuron
    gain = 1.0 if l == layers - 1 else 2.0
    w = rng.standard_normal(masks[l].shape).astype(np.float32) * np.sqrt(gain / fan_in).astype(np.float32)
    params += [w * masks[l], np.zeros(sizes[l + 1], np.float32)]
params = [jnp.asarray(p) for p in params]
moments = [jnp.zeros_like(p) for p in params] + [jnp.zeros_like(p) for p in params]
masks_j = [jnp.asarray(m) for m in masks]
X = jnp.asarray(x_train)
Y = jnp.asarray(y_train)


def forward(effective, xb):
    h = xb
    for l in range(layers):
        h = h @ effective[2 * l] + effective[2 * l + 1]
        if l < layers - 1:
            h = jax.nn.relu(h)
    return h


def loss_fn(effective, xb, yb):
    logits = forward(effective, xb)
    return jnp.mean(jax.nn.logsumexp(logits, axis=1) - jnp.take_along_axis(logits, yb[:, None], axis=1)[:, 0])


def make_step(return_dense_grad):
    def step(params, moments, masks, batch_idx, lr, t):
        xb, yb = X[batch_idx], Y[batch_idx]
        # The gradient w.r.t. the masked weights W⊙M is dZ·Aᵀ at every position: RigL's grow score.
        effective = [p * masks[i // 2] if i % 2 == 0 else p for i, p in enumerate(params)]
        loss, dense = jax.value_and_grad(loss_fn)(effective, xb, yb)
        grads = [g * masks[i // 2] if i % 2 == 0 else g for i, g in enumerate(dense)]
        b1, b2, eps = 0.9, 0.999, 1e-8
        c1 = 1 - b1 ** t
        c2 = 1 - b2 ** t
        n = len(params)
        new_p, new_m, new_v = [], [], []
        for i in range(n):
            m = b1 * moments[i] + (1 - b1) * grads[i]
            v = b2 * moments[n + i] + (1 - b2) * grads[i] * grads[i]
            new_p.append(params[i] - (lr / c1) * m / (jnp.sqrt(v / c2) + eps))
            new_m.append(m)
            new_v.append(v)
        out = (new_p, new_m + new_v, loss)
        return out + ((dense[0::2],) if return_dense_grad else ())
    return jax.jit(step, donate_argnums=(0, 1))


train_step = make_step(False)
rigl_step = make_step(True)
eval_logits = jax.jit(lambda effective, xb: forward(effective, xb))

n = len(x_train)
per_epoch = (n + args.batch - 1) // args.batch
total = per_epoch * args.epochs
t_end = int(0.75 * total)


def lr_at(t):
    return args.lr * 0.5 * (1 + math.cos(math.pi * min(t, total) / max(total, 1)))


def is_update(t):
    return rigl and sparsity > 0 and t > 0 and t % 100 == 0 and t <= t_end


def update_masks(params, moments, dense_grads, t):
    """RigL on every sparse layer (host side): drop by |w|, grow by |dense gradient|."""
    f = 0.3 / 2 * (1 + math.cos(math.pi * t / t_end))
    p = [np.array(a) for a in params]
    mo = [np.array(a) for a in moments]
    for l in range(layers - 1):
        m = masks[l].reshape(-1)
        active = np.flatnonzero(m)
        k = len(active)
        drop_n = int(f * k)
        if drop_n == 0 or k == m.size:
            continue
        w = p[2 * l].reshape(-1)
        drop = active[np.argsort(np.abs(w[active]), kind="stable")[:drop_n]]
        kept = m.copy()
        kept[drop] = 0
        score = np.abs(np.asarray(dense_grads[l]).reshape(-1)).astype(np.float64)
        score[kept == 1] = -np.inf
        grow = np.argsort(-score, kind="stable")[:drop_n]
        new = kept.copy()
        new[grow] = 1
        fresh = (new == 1) & (kept == 0)  # grown (re-grown dropped ones restart at 0 too)
        for arr in (p[2 * l], mo[2 * l], mo[len(params) + 2 * l]):
            flat = arr.reshape(-1)
            flat[fresh] = 0
            flat[new == 0] = 0
        masks[l] = new.reshape(masks[l].shape)
        masks_j[l] = jnp.asarray(masks[l])
    return [jnp.asarray(a) for a in p], [jnp.asarray(a) for a in mo]


# Compile both batch shapes (full and the epoch's last) and both step kinds before timing.
shapes = sorted({args.batch, n - (per_epoch - 1) * args.batch})
for b in shapes:
    probe = jnp.arange(b, dtype=jnp.int32)
    for fn in (train_step, rigl_step) if rigl else (train_step,):
        cp = [jnp.array(a) for a in params]
        cm = [jnp.array(a) for a in moments]
        jax.block_until_ready(fn(cp, cm, masks_j, probe, 1e-3, 1.0))

order_rng = np.random.default_rng(args.seed + 1000)
train_seconds = 0.0
cpu_seconds = 0.0
t = 0
for epoch in range(args.epochs):
    order = order_rng.permutation(n).astype(np.int32)
    start = time.perf_counter()
    cpu_start = time.process_time()
    for bi in range(per_epoch):
        batch_idx = jnp.asarray(order[bi * args.batch: (bi + 1) * args.batch])
        if is_update(t + 1):
            params, moments, loss, dense = rigl_step(params, moments, masks_j, batch_idx, lr_at(t), float(t + 1))
            params, moments = update_masks(params, moments, dense, t + 1)
        else:
            params, moments, loss = train_step(params, moments, masks_j, batch_idx, lr_at(t), float(t + 1))
        t += 1
    jax.block_until_ready(params)
    train_seconds += time.perf_counter() - start
    cpu_seconds += time.process_time() - cpu_start

effective = [p * masks_j[i // 2] if i % 2 == 0 else p for i, p in enumerate(params)]
logits = np.asarray(eval_logits(effective, jnp.asarray(x_test)))
shifted = logits - logits.max(axis=1, keepdims=True)
test_loss = float(np.mean(np.log(np.exp(shifted).sum(axis=1)) - shifted[np.arange(len(y_test)), y_test]))
accuracy = float(np.mean(logits.argmax(axis=1) == y_test))
active = [int(m.sum()) for m in masks]
print(json.dumps({
    "tool": "jax " + jax.__version__, "name": args.config, "seed": args.seed, "epochs": args.epochs,
    "samplesPerSecond": args.epochs * n / train_seconds, "trainSeconds": train_seconds,
    "cpuSeconds": cpu_seconds, "samplesPerCPUSecond": args.epochs * n / cpu_seconds,
    "testAccuracy": accuracy, "testLoss": test_loss, "layerNNZ": active, "threads": args.threads,
}))
