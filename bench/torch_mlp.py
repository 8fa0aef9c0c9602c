#!/usr/bin/env python3
"""The PyTorch side of `scripts/bench --reference`: psn's training run as a PyTorch user writes it,
masks multiplied into dense weights (so sparsity saves no work), torch.optim.Adam.

Same settings as bench/jax_mlp.py (read its docstring): psn's masks, initialisation, Adam with
ε added to √v̂ (PyTorch's own form, which psn follows), cosine schedule, batch 128, RigL on the
host every ΔT steps. Timing covers the training steps only. Prints one JSON line.
"""
import json
import math
import time

import torch

from reference_common import fashion, masks_and_weights, parse_args, steps

args = parse_args(__doc__.split("\n")[0])
torch.set_num_threads(args.threads)
torch.manual_seed(args.seed)
X, Y, Xt, Yt = (torch.from_numpy(a) for a in fashion(args.data))
sparsity, rigl, sizes = args.sparsity, args.rigl, args.sizes
layers = len(sizes) - 1

masks, weights, biases = [], [], []
for m, w in masks_and_weights(args):
    masks.append(torch.from_numpy(m))
    weights.append(torch.nn.Parameter(torch.from_numpy(w)))
    biases.append(torch.nn.Parameter(torch.zeros(m.shape[0])))
params = [p for pair in zip(weights, biases) for p in pair]
opt = torch.optim.Adam(params, lr=args.lr, betas=(0.9, 0.999), eps=1e-8)

n = len(X)
per_epoch, total, t_end = steps(args, n)


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
