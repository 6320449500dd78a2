#!/usr/bin/env python3
"""Issue 13's last route, measured before building it: does fine-tuning
all-MiniLM-L6-v2 under a softmax (multinomial logistic) loss reach the
TweetEval bar of F_avg 0.71 that the frozen encoder misses?

A probe in PyTorch, not part of stance: the same arithmetic a candle
implementation would do, so its score bounds what building it could gain.
The top K layers of the repository's MiniLM are trained with a linear head
per target (5 targets x 3 classes) over the last layer's mean and [CLS];
the layers below are frozen and run once. The epoch is chosen on val
F_avg; test is scored once, for that epoch. Results and commands are in
docs/benchmarks.md.

    python3 -m venv /tmp/ft && /tmp/ft/bin/pip install torch transformers safetensors numpy scikit-learn
    /tmp/ft/bin/python benches/tweeteval_finetune.py ../shared/datasets/tweeteval/stance --layers 6 --lr 5e-5 --seed 0

Two cores: about 45 s an epoch with all 6 layers trained, 16 s with 2.
"""
import argparse
import copy
import json
import os
import shutil
import tempfile
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import load_file, save_file
from sklearn.metrics import f1_score
from transformers import BertModel, PreTrainedTokenizerFast

TARGETS = ["abortion", "atheism", "climate", "feminist", "hillary"]
ENCODER = os.path.join(os.path.dirname(__file__), "..", "models", "encoders", "all-minilm-l6-v2")
MAX_TOKENS = 128


def load(root, split):
    """Texts, labels (0 none, 1 against, 2 favor) and target indices of a split, all targets."""
    texts, labels, targets = [], [], []
    for i, t in enumerate(TARGETS):
        with open(f"{root}/{t}/{split}_text.txt", encoding="utf-8") as f:
            x = f.read().split("\n")
        if x and x[-1] == "":
            x.pop()
        with open(f"{root}/{t}/{split}_labels.txt") as f:
            y = [int(l) for l in f if l.strip()]
        assert len(x) == len(y), f"{t}/{split}: {len(x)} texts, {len(y)} labels"
        texts += x
        labels += y
        targets += [i] * len(x)
    return texts, np.array(labels), np.array(targets)


def f_avg(y, p):
    """SemEval-2016's F_avg: mean of F1(against) and F1(favor), pooled over targets."""
    return float(f1_score(y, p, labels=[1, 2], average=None, zero_division=0).mean())


def bootstrap(y, p, n=1000, seed=0):
    r = np.random.RandomState(seed)
    s = [f_avg(y[i], p[i]) for i in (r.randint(0, len(y), len(y)) for _ in range(n))]
    return np.percentile(s, [2.5, 97.5])


def encoder():
    """The repository's MiniLM (stored split in two files) as one BertModel."""
    weights = {}
    for f in ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"]:
        weights.update(load_file(os.path.join(ENCODER, f)))
    weights = {k: v for k, v in weights.items() if not k.startswith("pooler.")}
    # transformers loads a folder: the joined weights go to one of our own,
    # removed once loaded.
    with tempfile.TemporaryDirectory() as tmp:
        save_file(weights, os.path.join(tmp, "model.safetensors"), metadata={"format": "pt"})
        shutil.copy(os.path.join(ENCODER, "config.json"), tmp)
        model = BertModel.from_pretrained(tmp, add_pooling_layer=False)
    tok = PreTrainedTokenizerFast(tokenizer_file=os.path.join(ENCODER, "tokenizer.json"), pad_token="[PAD]")
    return model.eval(), tok


@torch.no_grad()
def frozen_states(model, ids, level):
    """Hidden states after layer `level` (0 = embeddings) of every sequence, run once, no dropout."""
    out = [None] * len(ids)
    order = np.argsort([len(x) for x in ids])
    for i in range(0, len(ids), 64):
        idx = order[i:i + 64]
        width = max(len(ids[j]) for j in idx)
        x = torch.zeros(len(idx), width, dtype=torch.long)
        m = torch.zeros(len(idx), width, dtype=torch.long)
        for r, j in enumerate(idx):
            x[r, :len(ids[j])] = torch.tensor(ids[j])
            m[r, :len(ids[j])] = 1
        h = model(input_ids=x, attention_mask=m, output_hidden_states=True).hidden_states[level]
        for r, j in enumerate(idx):
            out[j] = h[r, :len(ids[j])].clone()
    return out


def pad(states):
    width = max(h.shape[0] for h in states)
    h = torch.zeros(len(states), width, states[0].shape[1])
    m = torch.zeros(len(states), width)
    for r, s in enumerate(states):
        h[r, :s.shape[0]] = s
        m[r, :s.shape[0]] = 1
    return h, m


class Top(nn.Module):
    """The top `k` layers (trained), then mean + [CLS] of the last, then a 3-class head per target."""

    def __init__(self, model, k, seed):
        super().__init__()
        n = len(model.encoder.layer)
        self.layers = nn.ModuleList([copy.deepcopy(model.encoder.layer[j]) for j in range(n - k, n)])
        hidden = model.config.hidden_size
        self.drop = nn.Dropout(0.1)
        self.head = nn.Linear(2 * hidden, 3 * len(TARGETS))
        g = torch.Generator().manual_seed(seed)
        nn.init.normal_(self.head.weight, std=0.02, generator=g)
        nn.init.zeros_(self.head.bias)

    def features(self, h, m):
        mask = (1.0 - m)[:, None, None, :] * -1e9
        for layer in self.layers:
            h = layer(h, attention_mask=mask)
            h = h[0] if isinstance(h, tuple) else h
        w = m.unsqueeze(-1)
        return torch.cat([(h * w).sum(1) / w.sum(1), h[:, 0]], -1)

    def forward(self, h, m, target):
        z = self.head(self.drop(self.features(h, m))).view(-1, len(TARGETS), 3)
        return z[torch.arange(len(target)), target]


@torch.no_grad()
def predict(net, states, targets):
    net.eval()
    p = np.zeros(len(states), dtype=int)
    order = np.argsort([s.shape[0] for s in states])
    for i in range(0, len(order), 64):
        idx = order[i:i + 64]
        h, m = pad([states[j] for j in idx])
        p[idx] = net(h, m, torch.tensor(targets[idx])).argmax(-1).numpy()
    return p


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", help="the tweeteval/stance folder")
    ap.add_argument("--layers", type=int, default=6, help="top layers trained (1-6)")
    ap.add_argument("--lr", type=float, default=5e-5, help="the encoder's learning rate (the head's is 1e-3)")
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    torch.set_num_threads(2)

    model, tok = encoder()
    level = len(model.encoder.layer) - a.layers
    data = {}
    for split in ["train", "val", "test"]:
        x, y, t = load(a.data, split)
        ids = tok(x, truncation=True, max_length=MAX_TOKENS)["input_ids"]
        data[split] = (frozen_states(model, ids, level), y, t)

    states, y, t = data["train"]
    torch.manual_seed(a.seed)
    rng = np.random.RandomState(a.seed)
    net = Top(model, a.layers, a.seed)
    # Class weights balanced over the training tweets, as stance's default.
    weight = torch.tensor(len(y) / (3 * np.bincount(y, minlength=3)), dtype=torch.float)
    opt = torch.optim.AdamW([{"params": net.layers.parameters(), "lr": a.lr},
                             {"params": net.head.parameters(), "lr": 1e-3}], weight_decay=0.01)
    steps = int(np.ceil(len(y) / 16)) * a.epochs
    warm = int(0.1 * steps)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: (s + 1) / warm if s < warm else max(0.0, (steps - s) / (steps - warm)))

    best = (-1.0, 0, None)
    for epoch in range(1, a.epochs + 1):
        net.train()
        start = time.time()
        # Batches of 16 tweets of similar length, in random order.
        perm = rng.permutation(len(y))
        batches = []
        for i in range(0, len(perm), 320):
            chunk = perm[i:i + 320]
            chunk = chunk[np.argsort([states[j].shape[0] for j in chunk])]
            batches += [chunk[j:j + 16] for j in range(0, len(chunk), 16)]
        rng.shuffle(batches)
        total = 0.0
        for b in batches:
            h, m = pad([states[j] for j in b])
            loss = F.cross_entropy(net(h, m, torch.tensor(t[b])), torch.tensor(y[b]), weight=weight)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item()
        seconds = time.time() - start
        vs, vy, vt = data["val"]
        val = f_avg(vy, predict(net, vs, vt))
        print(json.dumps({"epoch": epoch, "loss": round(total / len(batches), 4), "val_f_avg": round(val, 4), "train_s": round(seconds, 1)}), flush=True)
        if val > best[0]:
            best = (val, epoch, copy.deepcopy(net.state_dict()))

    net.load_state_dict(best[2])
    ts, ty, tt = data["test"]
    p = predict(net, ts, tt)
    lo, hi = bootstrap(ty, p)
    print(json.dumps({"layers": a.layers, "lr": a.lr, "seed": a.seed, "epoch_chosen_on_val": best[1],
                      "val_f_avg": round(best[0], 4), "test_f_avg": round(f_avg(ty, p), 4),
                      "test_95": [round(lo, 3), round(hi, 3)]}))


if __name__ == "__main__":
    main()
