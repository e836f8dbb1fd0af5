"""Exports a Hugging Face Llama folder to ONNX with a KV cache, for ONNX Runtime in the decoder benchmark.

/usr/bin/python3 spotlight-models/bench/export_decoder_onnx.py MODEL_DIR OUT_DIR [--logits all|last]

Needs torch 1.13 and onnx 1.12 (both in /usr/bin/python3 here); no transformers, no safetensors
package: the safetensors file is parsed with numpy and memory-mapped, F32 or BF16 (widened exactly to
float32, the precision ONNX Runtime's CPU kernels run).

The interface is that of ../shared/models/stories260K/onnx/model.onnx (its README, "The ONNX
export"): inputs input_ids [batch, seq] int64, attention_mask [batch, past + seq] int64,
position_ids [batch, seq] int64, past_key_values.{i}.{key,value} [batch, kv_heads, past, head_dim]
float32; outputs logits and present.{i}.{key,value} [batch, kv_heads, past + seq, head_dim]. With
--logits last (what generation needs, and what Spotlight computes) logits is [batch, 1, vocab]: the
last position only; with --logits all (the default, as the stories260K export) [batch, seq, vocab].

The model is a plain-torch Llama written from the semantics of Hugging Face's modeling_llama.py
(LlamaRMSNorm, rotate_half RoPE, repeat_kv for grouped-query attention, eager attention with the
causal and padding mask filled with float32.min, SwiGLU MLP, tied or untied lm_head), with the inverse
frequencies of reference.py in spotlight-models/goldens/decoders (default, linear and llama3
rope_scaling). Initializers keep the Hugging Face names and [out, in] layout (constant folding off;
ONNX Runtime folds the transposes at load). A model over protobuf's 2 GB limit is written with
external data: one file per initializer beside model.onnx.
"""

import argparse
import json
import math
import os
import struct
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "goldens", "decoders"))
sys.dont_write_bytecode = True

from reference import head_dim as config_head_dim, rope_inverse_frequencies  # noqa: E402


def read_safetensors(path):
    """{name: float32 torch tensor}; F32 tensors share the mapped file, BF16 ones are widened (exact)."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
    data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + n)
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw = data[begin:end]
        if info["dtype"] == "F32":
            values = raw.view("<f4")
        elif info["dtype"] == "BF16":
            values = (raw.view("<u2").astype(np.uint32) << np.uint32(16)).view(np.float32)
        else:
            raise ValueError(f"{path}: tensor {name} is {info['dtype']}, expected F32 or BF16")
        out[name] = torch.from_numpy(np.array(values.reshape(info["shape"]), dtype=np.float32, copy=False))
    return out


def rms_norm(x, weight, eps):
    # LlamaRMSNorm: x * rsqrt(mean(x²) + eps) in float32, then weight * that.
    variance = x.pow(2).mean(-1, keepdim=True)
    return weight * (x * torch.rsqrt(variance + eps))


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def repeat_kv(x, groups):
    # [batch, kv_heads, len, d] -> [batch, kv_heads * groups, len, d]: query head h reads kv head h // groups.
    if groups == 1:
        return x
    b, kv, n, d = x.shape
    return x[:, :, None, :, :].expand(b, kv, groups, n, d).reshape(b, kv * groups, n, d)


class Llama(torch.nn.Module):
    def __init__(self, config, weights, last_logits_only):
        super().__init__()
        self.c = config
        self.layers = config["num_hidden_layers"]
        self.heads = config["num_attention_heads"]
        self.kv_heads = config.get("num_key_value_heads", self.heads)
        self.head_dim = config_head_dim(config)
        self.eps = float(config["rms_norm_eps"])
        self.last_logits_only = last_logits_only
        for name in ("attention_bias", "mlp_bias"):
            if config.get(name):
                raise ValueError(f"config.json: {name} true is not covered by this export")
        # Registered under their Hugging Face names (dots become the module path), so the ONNX
        # initializers carry those names.
        self.w = torch.nn.ParameterDict()
        self.names = {}
        for name, tensor in weights.items():
            key = name.replace(".", "__")
            self.w[key] = torch.nn.Parameter(tensor, requires_grad=False)
            self.names[name] = key
        inv = rope_inverse_frequencies(config, self.head_dim).astype(np.float32)
        self.register_buffer("inv_freq", torch.from_numpy(inv), persistent=False)

    def p(self, name):
        return self.w[self.names[name]]

    def forward(self, input_ids, attention_mask, position_ids, *past):
        hd, heads, kv_heads = self.head_dim, self.heads, self.kv_heads
        x = torch.nn.functional.embedding(input_ids, self.p("model.embed_tokens.weight"))  # [b, s, hidden]
        b, s = input_ids.shape[0], input_ids.shape[1]
        total = attention_mask.shape[1]
        # LlamaRotaryEmbedding: angles = position · inv_freq in float32, cos/sin repeated twice.
        freqs = position_ids[:, :, None].float() * self.inv_freq[None, None, :]
        emb = torch.cat((freqs, freqs), dim=-1)
        cos, sin = emb.cos()[:, None], emb.sin()[:, None]                                    # [b, 1, s, d]
        # Causal (query i sits at position past + i) and padding mask, hidden scores at float32.min.
        query_pos = torch.arange(s, device=input_ids.device) + (total - s)
        key_pos = torch.arange(total, device=input_ids.device)
        visible = (key_pos[None, :] <= query_pos[:, None])[None, None] & attention_mask[:, None, None, :].bool()
        bias = torch.zeros(visible.shape, dtype=torch.float32).masked_fill(~visible, torch.finfo(torch.float32).min)
        presents = []
        for i in range(self.layers):
            pre = f"model.layers.{i}."
            h = rms_norm(x, self.p(pre + "input_layernorm.weight"), self.eps)
            q = torch.nn.functional.linear(h, self.p(pre + "self_attn.q_proj.weight")).view(b, s, heads, hd).transpose(1, 2)
            k = torch.nn.functional.linear(h, self.p(pre + "self_attn.k_proj.weight")).view(b, s, kv_heads, hd).transpose(1, 2)
            v = torch.nn.functional.linear(h, self.p(pre + "self_attn.v_proj.weight")).view(b, s, kv_heads, hd).transpose(1, 2)
            q = q * cos + rotate_half(q) * sin
            k = k * cos + rotate_half(k) * sin
            k = torch.cat((past[2 * i], k), dim=2)
            v = torch.cat((past[2 * i + 1], v), dim=2)
            presents += [k, v]
            scores = torch.matmul(q, repeat_kv(k, heads // kv_heads).transpose(2, 3)) * (hd ** -0.5) + bias
            probs = torch.softmax(scores, dim=-1, dtype=torch.float32)
            ctx = torch.matmul(probs, repeat_kv(v, heads // kv_heads)).transpose(1, 2).reshape(b, s, heads * hd)
            x = x + torch.nn.functional.linear(ctx, self.p(pre + "self_attn.o_proj.weight"))
            h = rms_norm(x, self.p(pre + "post_attention_layernorm.weight"), self.eps)
            gate = torch.nn.functional.linear(h, self.p(pre + "mlp.gate_proj.weight"))
            up = torch.nn.functional.linear(h, self.p(pre + "mlp.up_proj.weight"))
            x = x + torch.nn.functional.linear(torch.nn.functional.silu(gate) * up, self.p(pre + "mlp.down_proj.weight"))
        if self.last_logits_only:
            x = x[:, -1:, :]
        x = rms_norm(x, self.p("model.norm.weight"), self.eps)
        head = "model.embed_tokens.weight" if self.c.get("tie_word_embeddings", True) else "lm_head.weight"
        logits = torch.nn.functional.linear(x, self.p(head))
        return (logits, *presents)


def export(model_dir, out_dir, last_logits_only):
    with open(os.path.join(model_dir, "config.json")) as f:
        config = json.load(f)
    if config.get("model_type") not in ("llama", "mistral"):
        raise ValueError(f"{model_dir}/config.json: model_type {config.get('model_type')!r}, expected llama")
    if config.get("sliding_window") and config.get("use_sliding_window", True) and config["model_type"] == "mistral":
        raise ValueError(f"{model_dir}/config.json: sliding_window is not covered by this export")
    weights = read_safetensors(os.path.join(model_dir, "model.safetensors"))
    model = Llama(config, weights, last_logits_only).eval()
    layers, kv, hd = model.layers, model.kv_heads, model.head_dim
    # Traced with a batch of 2, 3 new tokens after 2 cached: every dimension differs, so none is
    # mistaken for a constant; dynamic_axes keeps them all symbolic.
    batch, new, cached = 2, 3, 2
    ids = torch.zeros((batch, new), dtype=torch.int64)
    mask = torch.ones((batch, cached + new), dtype=torch.int64)
    positions = torch.arange(cached, cached + new, dtype=torch.int64)[None].expand(batch, new).contiguous()
    past = [torch.zeros((batch, kv, cached, hd)) for _ in range(2 * layers)]
    past_names = [f"past_key_values.{i}.{kv_name}" for i in range(layers) for kv_name in ("key", "value")]
    present_names = [f"present.{i}.{kv_name}" for i in range(layers) for kv_name in ("key", "value")]
    axes = {"input_ids": {0: "batch_size", 1: "sequence_length"},
            "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
            "position_ids": {0: "batch_size", 1: "sequence_length"},
            "logits": {0: "batch_size", 1: "sequence_length"}}
    for name in past_names:
        axes[name] = {0: "batch_size", 2: "past_sequence_length"}
    for name in present_names:
        axes[name] = {0: "batch_size", 2: "total_sequence_length"}
    os.makedirs(out_dir, exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(model, (ids, mask, positions, *past), os.path.join(out_dir, "model.onnx"),
                          input_names=["input_ids", "attention_mask", "position_ids", *past_names],
                          output_names=["logits", *present_names], dynamic_axes=axes, opset_version=14,
                          do_constant_folding=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model_dir")
    parser.add_argument("out_dir")
    parser.add_argument("--logits", choices=("all", "last"), default="all")
    args = parser.parse_args()
    torch.set_num_threads(2)
    export(args.model_dir, args.out_dir, args.logits == "last")


if __name__ == "__main__":
    main()
