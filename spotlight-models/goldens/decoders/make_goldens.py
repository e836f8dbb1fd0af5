"""Writes the decoder goldens: /usr/bin/python3 make_goldens.py [output folder]

Default output: spotlight-models/src/test/resources/goldens/decoders/ (one JSON per variant plus
index.json). See README.md for the fields and the Hugging Face behaviour each family follows.
"""

import json
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ beside the scripts

# Single-threaded BLAS: the same float64 sums in the same order on every run (set before numpy loads).
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import numpy as np  # noqa: E402

import random_weights as rw  # noqa: E402
from reference import LLAMA_LIKE, Cache, Decoder  # noqa: E402
from variants import VARIANTS, tensor_plan  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "..", "..", "src", "test", "resources", "goldens", "decoders")
SEQUENCE_LENGTHS = (1, 9, 29)
PROMPT_LENGTHS = (5, 11)
NEW_TOKENS = 12
CACHE_TOLERANCE = 1e-12


class Raw(str):
    """A number already formatted (float32 precision), written as is."""


def f32(x):
    """Shortest decimal that reads back as the same float32 (float64 value rounded to nearest float32)."""
    return Raw(np.format_float_positional(np.float32(x), unique=True, trim="-"))


def token_ids(name, seed, length, vocab):
    """Deterministic ids: splitmix64 outputs of stream `name` modulo the vocabulary."""
    z = rw.splitmix64(rw.fnv1a64(name.encode("utf-8")) ^ seed, length)
    return [int(v) for v in (z % np.uint64(vocab))]


def build_weights(seed, dtype, config):
    weights, tensors = {}, []
    for name, shape, (offset, scale) in tensor_plan(config):
        data, widened = rw.stored_values(name, seed, shape, offset, scale, dtype)
        weights[name] = widened
        entry = {"name": name, "shape": shape, "offset": offset, "scale": scale}
        entry.update(rw.checksum(data, widened))
        tensors.append(entry)
    return weights, tensors


def full_and_cached(model, ids):
    """Logits of the full pass and of the one-token-at-a-time cache path; asserts they agree."""
    full = model.run(ids, Cache(model.layers))
    cache = Cache(model.layers)
    stepped = np.concatenate([model.run([t], cache) for t in ids])
    diff = float(np.max(np.abs(full - stepped)))
    assert diff <= CACHE_TOLERANCE, f"KV-cache path differs from the full pass by {diff}"
    return full, diff


def greedy(model, prompt):
    """12 greedy tokens through the cache (EOS not honoured), with the top-1 minus top-2 margin per step."""
    cache = Cache(model.layers)
    logits = model.run(prompt, cache)[-1]
    generated, margins = [], []
    for _ in range(NEW_TOKENS):
        order = np.argsort(-logits, kind="stable")
        generated.append(int(order[0]))
        margins.append(float(logits[order[0]] - logits[order[1]]))
        logits = model.run([generated[-1]], cache)[-1]
    # The full pass over prompt + generated must pick the same tokens.
    full = model.run(prompt + generated, Cache(model.layers))
    assert [int(i) for i in np.argmax(full[len(prompt) - 1:-1], axis=-1)] == generated
    return generated, margins


def make(name):
    seed, dtype, config, description = VARIANTS[name]
    weights, tensors = build_weights(seed, dtype, config)
    model = Decoder(config["model_type"], config, weights)
    vocab = config["vocab_size"]
    golden = {
        "name": name,
        "description": description,
        "family": config["model_type"],
        "seed": seed,
        "dtype": dtype,
        "config": config,
        "generation_config": generation_config(config),
    }
    if config["model_type"] in LLAMA_LIKE:
        golden["rope_inv_freq"] = [f32(v) for v in model.inv_freq]
    golden["sliding_window_per_layer"] = model.windows
    golden["tensors"] = tensors
    sequences, worst = [], 0.0
    for k, length in enumerate(SEQUENCE_LENGTHS):
        ids = token_ids(f"sequence/{k}", seed, length, vocab)
        logits, diff = full_and_cached(model, ids)
        worst = max(worst, diff)
        sequences.append({"ids": ids, "argmax": [int(i) for i in np.argmax(logits, axis=-1)],
                          "logits": [[f32(v) for v in row] for row in logits]})
    golden["sequences"] = sequences
    runs = []
    for k, length in enumerate(PROMPT_LENGTHS):
        prompt = token_ids(f"prompt/{k}", seed, length, vocab)
        generated, margins = greedy(model, prompt)
        runs.append({"prompt": prompt, "generated": generated, "margins": [f32(m) for m in margins]})
    golden["greedy"] = runs
    min_margin = min(float(m) for r in runs for m in r["margins"])
    print(f"{name:24s} {dtype:4s} kv-cache vs full max |diff| {worst:.1e}  min greedy margin {min_margin:.2e}")
    return golden


def generation_config(config):
    out = {"bos_token_id": config["bos_token_id"], "do_sample": False, "eos_token_id": config["eos_token_id"]}
    return out


def emit(value, indent=0):
    """Deterministic JSON: objects one key per line, lists of scalars on one line, nested lists one row per line."""
    pad, inner = " " * indent, " " * (indent + 2)
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        body = ",\n".join(f"{inner}{json.dumps(k)}: {emit(v, indent + 2)}" for k, v in value.items())
        return "{\n" + body + "\n" + pad + "}"
    if isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            return "[" + ", ".join(emit(v) for v in value) + "]"
        return "[\n" + ",\n".join(inner + emit(v, indent + 2) for v in value) + "\n" + pad + "]"
    if isinstance(value, float):
        return repr(value)  # shortest float64 that round-trips: Java's Double.parseDouble reads it exactly
    return json.dumps(value)


def main():
    out = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT)
    rw.self_test()
    os.makedirs(out, exist_ok=True)
    for name in VARIANTS:
        text = emit(make(name)) + "\n"
        with open(os.path.join(out, name + ".json"), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    with open(os.path.join(out, "index.json"), "w", encoding="utf-8", newline="\n") as f:
        f.write(emit({"goldens": list(VARIANTS)}) + "\n")
    print(f"wrote {len(VARIANTS)} goldens to {out}")


if __name__ == "__main__":
    main()
