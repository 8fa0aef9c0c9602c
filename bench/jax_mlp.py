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
import json
import math
import os
import time

from reference_common import fashion, masks_and_weights, parse_args, steps

args = parse_args(__doc__.split("\n")[0])
# XLA's CPU thread pool: one intra-op thread per requested core (must be set before jax loads).
os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") +
                           f" --xla_cpu_multi_thread_eigen={'true' if args.threads > 1 else 'false'}"
                           f" intra_op_parallelism_threads={args.threads}")
import numpy as np  # noqa: E402
import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402

jax.config.update("jax_platforms", "cpu")

x_train, y_train, x_test, y_test = fashion(args.data)
sparsity, rigl, sizes = args.sparsity, args.rigl, args.sizes
layers = len(sizes) - 1

# Masks and weights as in × out, for x @ W.
masks = []
params = []
for m, w in masks_and_weights(args):
    masks.append(m.T.copy())
    params += [w.T.copy(), np.zeros(m.shape[0], np.float32)]
params = [jnp.asarray(p) for p in params]
moments = [jnp.zeros_like(p) for p in params] + [jnp.zeros_like(p) for p in params]
masks_j = [jnp.asarray(m) for m in masks]
X = jnp.asarray(x_train)
Y = jnp.asarray(y_train.astype(np.int32))


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
per_epoch, total, t_end = steps(args, n)


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
