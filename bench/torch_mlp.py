#!/usr/bin/env python3
"""The PyTorch side of `scripts/bench --reference`: psn's training run as a PyTorch user writes it,
masks multiplied into dense weights (so sparsity saves no work), torch.optim.Adam.

Same settings as bench/jax_mlp.py (read its docstring): psn's masks, initialisation, Adam with
ε added to √v̂ (PyTorch's own form, which psn follows), cosine schedule, batch 128, RigL on the
host every ΔT steps. Timing covers the training steps only. Prints one JSON line.
"""
import argparse
import gzip
import json
import math
import os
import time

import numpy as np
import torch

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
torch.set_num_threads(args.threads)
torch.manual_seed(args.seed)


def idx(name):
    with gzip.open(os.path.join(args.data, name), "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


X = torch.from_numpy(idx("train-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / np.float32(255))
Y = torch.from_numpy(idx("train-labels-idx1-ubyte.gz").astype(np.int64))
Xt = torch.from_numpy(idx("t10k-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / np.float32(255))
Yt = torch.from_numpy(idx("t10k-labels-idx1-ubyte.gz").astype(np.int64))

sparsity = {"dense": 0.0, "static90": 0.9, "static99": 0.99, "rigl90": 0.9, "rigl99": 0.99}[args.config]
rigl = args.config.startswith("rigl")
sizes = [784] + [int(h) for h in args.hidden.split(",")] + [10]
layers = len(sizes) - 1
rng = np.random.default_rng(args.seed)

masks, weights, biases = [], [], []
for l in range(layers):
    n_in, n_out = sizes[l], sizes[l + 1]
    m = np.ones((n_out, n_in), np.float32)
    if sparsity > 0 and l < layers - 1:
        k = int((1 - sparsity) * n_in * n_out + 0.5)
        m = np.zeros(n_in * n_out, np.float32)
        m[rng.choice(n_in * n_out, size=k, replace=False)] = 1
        m = m.reshape(n_out, n_in)
    fan_in = np.maximum(m.sum(axis=1, keepdims=True), 1)
    gain = 1.0 if l == layers - 1 else 2.0
    w = rng.standard_normal(m.shape).astype(np.float32) * np.sqrt(gain / fan_in).astype(np.float32)
    masks.append(torch.from_numpy(m))
    weights.append(torch.nn.Parameter(torch.from_numpy(w * m)))
    biases.append(torch.nn.Parameter(torch.zeros(n_out)))
params = [p for pair in zip(weights, biases) for p in pair]
opt = torch.optim.Adam(params, lr=args.lr, betas=(0.9, 0.999), eps=1e-8)

n = len(X)
per_epoch = (n + args.batch - 1) // args.batch
total = per_epoch * args.epochs
t_end = int(0.75 * total)


def forward(xb, keep=None):
    h = xb
    for l in range(layers):
        eff = weights[l] * masks[l]
        if keep is not None:
            eff.retain_grad()
            keep.append(eff)
        h = torch.nn.functional.linear(h, eff, biases[l])
        if l < layers - 1:
            h = torch.relu(h)
    return h


@torch.no_grad()
def update_masks(effective, t):
    f = 0.3 / 2 * (1 + math.cos(math.pi * t / t_end))
    for l in range(layers - 1):
        m = masks[l].view(-1)
        active = torch.nonzero(m).view(-1)
        k = active.numel()
        drop_n = int(f * k)
        if drop_n == 0 or k == m.numel():
            continue
        w = weights[l].view(-1)
        drop = active[torch.argsort(w[active].abs(), stable=True)[:drop_n]]
        kept = m.clone()
        kept[drop] = 0
        score = effective[l].grad.view(-1).abs().double()
        score[kept == 1] = -math.inf
        grow = torch.argsort(-score, stable=True)[:drop_n]
        new = kept.clone()
        new[grow] = 1
        fresh = (new == 1) & (kept == 0)
        state = opt.state[weights[l]]
        for tensor in (w, state["exp_avg"].view(-1), state["exp_avg_sq"].view(-1)):
            tensor[fresh] = 0
            tensor[new == 0] = 0
        masks[l] = new.view(masks[l].shape)


order_gen = torch.Generator().manual_seed(args.seed + 1000)
train_seconds = 0.0
cpu_seconds = 0.0
t = 0
for epoch in range(args.epochs):
    order = torch.randperm(n, generator=order_gen)
    start = time.perf_counter()
    cpu_start = time.process_time()
    for bi in range(per_epoch):
        batch_idx = order[bi * args.batch: (bi + 1) * args.batch]
        xb, yb = X[batch_idx], Y[batch_idx]
        for g in opt.param_groups:
            g["lr"] = args.lr * 0.5 * (1 + math.cos(math.pi * min(t, total) / total))
        update = rigl and sparsity > 0 and (t + 1) % 100 == 0 and t + 1 <= t_end
        keep = [] if update else None
        opt.zero_grad(set_to_none=False)
        loss = torch.nn.functional.cross_entropy(forward(xb, keep), yb)
        loss.backward()
        opt.step()
        if update:
            update_masks(keep, t + 1)
        t += 1
    train_seconds += time.perf_counter() - start
    cpu_seconds += time.process_time() - cpu_start

with torch.no_grad():
    logits = forward(Xt)
    test_loss = float(torch.nn.functional.cross_entropy(logits, Yt))
    accuracy = float((logits.argmax(dim=1) == Yt).float().mean())
print(json.dumps({
    "tool": "torch " + torch.__version__, "name": args.config, "seed": args.seed, "epochs": args.epochs,
    "samplesPerSecond": args.epochs * n / train_seconds, "trainSeconds": train_seconds,
    "cpuSeconds": cpu_seconds, "samplesPerCPUSecond": args.epochs * n / cpu_seconds,
    "testAccuracy": accuracy, "testLoss": test_loss, "layerNNZ": [int(m.sum()) for m in masks],
    "threads": args.threads,
}))
