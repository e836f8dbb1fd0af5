"""Goldens for TokenChooserGoldenTest: transformers' logits processors and warpers, evaluated with torch.

Run with the Debian interpreter, which has torch 1.13 (CPU, float32 like transformers' generate):

    /usr/bin/python3 processors.py > processors.json

Each case follows transformers' generate() for one sequence, in its order: the repetition penalty over
the ids so far, then (when sampling) temperature, top-k, top-p and min-p, each removing tokens by
setting their score to -inf; then a softmax. The steps are written here from transformers'
documented semantics (generation/logits_process.py), with torch doing the float32 arithmetic, the
sorts and the softmax; nothing from Spotlight is used. Logits are random normals (seeded), so no
top-p boundary falls on a tie, where torch's unstable sort leaves the outcome open.
"""
import json
import math

import numpy as np
import torch

VOCAB = 40


def process(logits, ids, penalty, do_sample, temperature, top_k, top_p, min_p):
    scores = torch.tensor(logits, dtype=torch.float32).unsqueeze(0)
    if penalty != 1.0 and ids:
        index = torch.tensor(ids, dtype=torch.long).unsqueeze(0)
        picked = torch.gather(scores, 1, index)
        picked = torch.where(picked < 0, picked * penalty, picked / penalty)
        scores = scores.scatter(1, index, picked)
    penalised = scores.clone()
    if not do_sample:
        return penalised, scores, int(torch.argmax(scores, dim=-1))
    if temperature != 1.0:
        scores = scores / temperature
    tempered = scores.clone()
    if top_k:
        k = min(top_k, scores.shape[-1])
        kth = torch.topk(scores, k).values[..., -1:]
        scores = scores.masked_fill(scores < kth, -math.inf)
    if top_p < 1.0:
        ascending, order = torch.sort(scores, descending=False)
        tail_mass = ascending.softmax(dim=-1).cumsum(dim=-1)
        drop = tail_mass <= (1 - top_p)
        drop[..., -1:] = False
        scores = scores.masked_fill(drop.scatter(1, order, drop), -math.inf)
    if min_p:
        probs = scores.softmax(dim=-1)
        drop = probs < min_p * probs.amax(dim=-1, keepdim=True)
        drop.scatter_(-1, torch.topk(probs, 1).indices, False)
        scores = scores.masked_fill(drop, -math.inf)
    return penalised, tempered, scores


def num(x):
    """A JSON number, or the string "-Infinity" (JSON has no infinities)."""
    x = float(x)
    return x if math.isfinite(x) else repr(x).replace("inf", "Infinity")


def main():
    rng = np.random.default_rng(20240613)
    settings = [
        # (name, penalty, do_sample, temperature, top_k, top_p, min_p)
        ("greedy with penalty 1.3", 1.3, False, 1.0, 0, 1.0, 0.0),
        ("greedy with penalty 0.8 (reward)", 0.8, False, 1.0, 0, 1.0, 0.0),
        ("temperature 0.7, top-k 5", 1.0, True, 0.7, 5, 1.0, 0.0),
        ("top-p 0.9", 1.0, True, 1.0, 0, 0.9, 0.0),
        ("temperature 1.3, penalty 1.2, top-k 10, top-p 0.8, min-p 0.05", 1.2, True, 1.3, 10, 0.8, 0.05),
        ("temperature 0.5, min-p 0.1", 1.0, True, 0.5, 0, 1.0, 0.1),
        ("top-k 50 above the vocabulary of 40", 1.0, True, 1.0, 50, 1.0, 0.0),
        ("top-p 0 keeps the most likely token", 1.0, True, 1.0, 0, 0.0, 0.0),
        ("penalty 0.8, temperature 2, top-p 0.95", 0.8, True, 2.0, 0, 0.95, 0.0),
        ("temperature 1.1, top-k 8, min-p 0.2, -inf logits", 1.5, True, 1.1, 8, 1.0, 0.2),
        ("top-k 4 with a tie at the 4th score", 1.0, True, 1.0, 4, 1.0, 0.0),
        ("HF defaults when sampling: top-k 50 of 40, temperature 0.6, top-p 0.7", 1.0, True, 0.6, 50, 0.7, 0.0),
    ]
    cases = []
    for name, penalty, do_sample, temperature, top_k, top_p, min_p in settings:
        logits = (rng.standard_normal(VOCAB) * 1.5).astype(np.float32)
        if "-inf" in name:
            logits[[3, 17, 29]] = -np.inf
        if "tie" in name:
            top = np.sort(logits)[::-1]
            logits[logits == top[4]] = top[3]          # the 4th and 5th highest become equal
        ids = [int(i) for i in rng.integers(0, VOCAB, size=12)] + [int(np.argmax(logits))]
        penalised, tempered, final = process(logits.tolist(), ids, penalty, do_sample, temperature, top_k, top_p, min_p)
        case = {
            "name": name, "logits": [num(x) for x in logits], "ids": ids, "repetition_penalty": penalty,
            "do_sample": do_sample, "temperature": temperature, "top_k": top_k, "top_p": top_p, "min_p": min_p,
            "penalised": [num(x) for x in penalised[0]],
        }
        if do_sample:
            probs = final.softmax(dim=-1)[0]
            case["tempered"] = [num(x) for x in tempered[0]]
            case["kept"] = [i for i in range(VOCAB) if final[0, i] != -math.inf]
            case["probabilities"] = [num(x) for x in probs]
        else:
            case["argmax"] = final
        cases.append(case)
    print(json.dumps({"about": "processors.py, torch " + torch.__version__, "cases": cases}, indent=1))


if __name__ == "__main__":
    main()
