"""Checks the float64 reference against implementations that are not ours, where we have them offline.

/usr/bin/python3 check_reference.py [shared models folder, default ../shared/models from the repo root]

1. reference.Decoder on the two real checkpoints in ../shared/models against their PyTorch goldens:
   stories260K (Llama, GQA, tied; llama2.c model.py, float32) and makemore-names (GPT-2 layout,
   untied; makemore.py, float32). The goldens are float32 runs, so agreement is expected at their
   float32 noise floor (about 1e-5), not at 1e-12.
2. rope_inverse_frequencies (numpy float32) against the same formulas evaluated by torch, whose
   float32 kernels HF's modeling_rope_utils runs, for every RoPE setting in variants.py: reports
   the largest difference in float32 ulps.
Not part of regeneration: make_goldens.py never imports torch.
"""

import json
import math
import os
import struct
import sys

sys.dont_write_bytecode = True  # no __pycache__ beside the scripts

import numpy as np

from reference import Cache, Decoder, head_dim, rope_inverse_frequencies
from variants import VARIANTS

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SHARED = os.path.join(HERE, "..", "..", "..", "..", "shared", "models")


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32", info
        begin, end = info["data_offsets"]
        out[name] = np.frombuffer(data[8 + n + begin:8 + n + end], dtype="<f4").astype(np.float64).reshape(info["shape"])
    return out


def check_real(folder, family, goldens):
    with open(os.path.join(folder, "config.json")) as f:
        config = json.load(f)
    model = Decoder(family, config, read_safetensors(os.path.join(folder, "model.safetensors")))
    worst = 0.0
    for ids, expected in goldens:
        got = model.run(list(ids), Cache(model.layers))
        worst = max(worst, float(np.max(np.abs(got - expected))))
    print(f"{os.path.basename(os.path.dirname(folder)):16s} max |reference - PyTorch golden| = {worst:.2e} over {len(goldens)} sequences")
    return worst


def stories_goldens(shared):
    g = os.path.join(shared, "stories260K", "goldens")
    with open(os.path.join(g, "logits.json")) as f:
        index = json.load(f)
    floats = np.fromfile(os.path.join(g, "logits.f32"), dtype="<f4").astype(np.float64)
    return [(s["ids"], floats[s["offset_floats"]:s["offset_floats"] + s["length"] * index["vocab"]].reshape(s["shape"]))
            for s in index["sequences"]]


def makemore_goldens(shared):
    with open(os.path.join(shared, "makemore-names", "goldens", "logits.json")) as f:
        index = json.load(f)
    return [(s["ids"], np.array(s["logits"], dtype=np.float64)) for s in index["sequences"]]


def check_inv_freq_with_torch():
    import torch
    worst = 0
    for name, (_, _, config, _) in VARIANTS.items():
        if config["model_type"] == "gpt2":
            continue
        dim = head_dim(config)
        inv = 1.0 / (config["rope_theta"] ** (torch.arange(0, dim, 2, dtype=torch.int64).float() / dim))
        scaling = config.get("rope_scaling")
        kind = None if scaling is None else scaling.get("rope_type", scaling.get("type"))
        if kind == "linear":
            inv = inv / scaling["factor"]
        elif kind == "llama3":
            factor, low, high = scaling["factor"], scaling["low_freq_factor"], scaling["high_freq_factor"]
            old = scaling["original_max_position_embeddings"]
            wavelen = 2 * math.pi / inv
            scaled = torch.where(wavelen > old / low, inv / factor, inv)
            smooth = (old / wavelen - low) / (high - low)
            blended = (1 - smooth) * scaled / factor + smooth * scaled
            medium = ~(wavelen < old / high) * ~(wavelen > old / low)
            inv = torch.where(medium, blended, scaled)
        ours = rope_inverse_frequencies(config, dim).astype(np.float32)
        ulps = np.abs(ours.view(np.int32).astype(np.int64) - inv.numpy().view(np.int32).astype(np.int64)).max()
        worst = max(worst, int(ulps))
        print(f"inv_freq {name:24s} max difference to torch {torch.__version__}: {ulps} ulp")
    return worst


def main():
    shared = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_SHARED)
    llama = check_real(os.path.join(shared, "stories260K", "hf"), "llama", stories_goldens(shared))
    gpt2 = check_real(os.path.join(shared, "makemore-names", "hf"), "gpt2", makemore_goldens(shared))
    assert llama < 1e-4 and gpt2 < 1e-4, "the reference disagrees with a real model's PyTorch logits"
    assert check_inv_freq_with_torch() == 0, "numpy's float32 inverse frequencies differ from torch's"


if __name__ == "__main__":
    main()
