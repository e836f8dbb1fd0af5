"""A float64 reference forward pass of Hugging Face decoder-only language models, in numpy.

Written from huggingface/transformers (src/transformers/models/{llama,mistral,qwen2,qwen3,gpt2}/
modeling_*.py, masking_utils.py and modeling_rope_utils.py), read, not copied. Each step names the HF
behaviour it follows. Everything is float64 on the stored weights widened exactly, except the RoPE
inverse frequencies, which HF computes once in float32 torch: that step is emulated in float32 here
(see rope_inverse_frequencies).

One entry point, `run(ids, cache)`, takes new tokens after a cache of earlier ones. The full pass is
one call on an empty cache; the KV-cache path is one call per token. make_goldens.py asserts that
both give the same logits within 1e-12.
"""

import math

import numpy as np

LLAMA_LIKE = ("llama", "mistral", "qwen2", "qwen3")


def head_dim(config: dict) -> int:
    """The config's head_dim when set; else Qwen3Config's default 128, or hidden_size / heads
    (LlamaConfig, MistralConfig, Qwen2: head_dim None or absent)."""
    if config.get("head_dim"):
        return config["head_dim"]
    return 128 if config["model_type"] == "qwen3" else config["hidden_size"] // config["num_attention_heads"]


def rope_inverse_frequencies(config: dict, head_dim: int) -> np.ndarray:
    """The inverse frequencies, [head_dim / 2], float32 as HF's torch code computes them, widened.

    modeling_rope_utils._compute_default_rope_parameters: 1 / theta ** (arange(0, dim, 2) / dim)
    with dim = head_dim (the config's head_dim, else hidden_size / heads), all in float32 tensors.
    torch evaluates `scalar / tensor` as tensor.reciprocal() * scalar and casts python scalars to
    float32 inside float32 kernels; the same rounding steps are taken here with numpy float32.
    The power itself is rounded once from float64: torch 1.13's float32 pow gives exactly these
    values for every setting in variants.py, numpy's float32 powf is 1 ulp off on some
    (check_reference.py measures both).
    """
    f32 = np.float32
    exponents = np.arange(0, head_dim, 2, dtype=np.int64).astype(np.float32) / f32(head_dim)
    powers = np.power(np.float64(f32(config["rope_theta"])), exponents.astype(np.float64)).astype(np.float32)
    inv = f32(1.0) / powers
    scaling = config.get("rope_scaling")
    if scaling is None:
        return inv.astype(np.float64)
    # HF reads "rope_type" and falls back to the legacy key "type".
    kind = scaling.get("rope_type", scaling.get("type"))
    factor = f32(scaling["factor"])
    if kind == "linear":
        # _compute_linear_scaling_rope_parameters: inv_freq /= factor (same as dividing positions).
        return (inv / factor).astype(np.float64)
    if kind == "llama3":
        # _compute_llama3_parameters: wavelengths shorter than old_len / high_freq_factor keep their
        # frequency, longer than old_len / low_freq_factor are divided by factor, and the band between
        # is interpolated with smooth = (old_len / wavelen - low) / (high - low).
        low, high = scaling["low_freq_factor"], scaling["high_freq_factor"]
        old_len = scaling["original_max_position_embeddings"]
        low_wavelen, high_wavelen = f32(old_len / low), f32(old_len / high)
        wavelen = (f32(1.0) / inv) * f32(2 * math.pi)
        inv_llama = np.where(wavelen > low_wavelen, inv / factor, inv)
        smooth = ((f32(1.0) / wavelen) * f32(old_len) - f32(low)) / f32(high - low)
        smoothed = (f32(1.0) - smooth) * inv_llama / factor + smooth * inv_llama
        medium = ~(wavelen < high_wavelen) & ~(wavelen > low_wavelen)
        return np.where(medium, smoothed, inv_llama).astype(np.float32).astype(np.float64)
    raise ValueError(f"rope_scaling type {kind!r} is not covered by this reference")


def rms_norm(x, weight, eps):
    # LlamaRMSNorm / Qwen2RMSNorm: x * rsqrt(mean(x^2) + eps), then weight * that (over the last axis).
    return weight * (x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps))


def layer_norm(x, weight, bias, eps):
    # nn.LayerNorm as GPT2Block uses it: biased variance, eps inside the square root.
    mean = np.mean(x, axis=-1, keepdims=True)
    var = np.mean((x - mean) ** 2, axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def silu(x):
    return x / (1.0 + np.exp(-x))


def gelu_new(x):
    # activations.NewGELUActivation: the tanh approximation used by GPT-2.
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


def rotate_half(x):
    # rotate_half: [-x2, x1] where x1, x2 are the first and second halves of the head.
    half = x.shape[-1] // 2
    return np.concatenate([-x[..., half:], x[..., :half]], axis=-1)


def softmax_rows(scores, visible):
    # Masked keys get probability exactly 0 (HF adds the dtype minimum; in float64 exp gives 0).
    scores = np.where(visible, scores, -np.inf)
    scores = scores - scores.max(axis=-1, keepdims=True)
    e = np.exp(scores)
    return e / e.sum(axis=-1, keepdims=True)


class Cache:
    """Per layer: keys and values after RoPE, [kv_heads, positions, head_dim], grown by appending."""

    def __init__(self, layers):
        self.keys = [None] * layers
        self.values = [None] * layers
        self.length = 0

    def append(self, layer, k, v):
        if self.keys[layer] is None:
            self.keys[layer], self.values[layer] = k, v
        else:
            self.keys[layer] = np.concatenate([self.keys[layer], k], axis=1)
            self.values[layer] = np.concatenate([self.values[layer], v], axis=1)
        return self.keys[layer], self.values[layer]


class Decoder:
    def __init__(self, family: str, config: dict, weights: dict):
        self.family, self.config, self.w = family, config, weights
        c = config
        if family == "gpt2":
            self.layers, self.hidden, self.heads = c["n_layer"], c["n_embd"], c["n_head"]
            self.kv_heads, self.head_dim = self.heads, self.hidden // self.heads
            # PretrainedConfig's default tie_word_embeddings is True, and GPT2Config keeps it.
            self.tied = c.get("tie_word_embeddings", True)
            assert c["activation_function"] == "gelu_new" and c.get("scale_attn_weights", True)
            assert not c.get("scale_attn_by_inverse_layer_idx", False) and not c.get("reorder_and_upcast_attn", False)
        else:
            self.layers, self.hidden, self.heads = c["num_hidden_layers"], c["hidden_size"], c["num_attention_heads"]
            self.kv_heads = c.get("num_key_value_heads") or self.heads
            self.head_dim = head_dim(c)
            self.tied = c["tie_word_embeddings"]
            self.inv_freq = rope_inverse_frequencies(c, self.head_dim)
            assert c["hidden_act"] == "silu"
        self.windows = [self.sliding_window(layer) for layer in range(self.layers)]

    def sliding_window(self, layer):
        """The window of a layer's attention, or None for full causal attention."""
        c = self.config
        if self.family == "mistral":
            # MistralModel: create_sliding_window_causal_mask whenever config.sliding_window is not None.
            return c.get("sliding_window")
        if self.family in ("qwen2", "qwen3"):
            # Qwen2Config.__post_init__: sliding_window is dropped unless use_sliding_window; layer_types
            # then marks layers i >= max_window_layers as "sliding_attention".
            if c.get("use_sliding_window") and c.get("sliding_window") is not None and layer >= c["max_window_layers"]:
                return c["sliding_window"]
        return None

    def linear(self, x, name, conv1d=False):
        # nn.Linear: x @ W.T + b with W [out, in]; GPT-2's Conv1D stores W [in, out]: x @ W + b.
        w = self.w[name + ".weight"]
        y = x @ (w if conv1d else w.T)
        bias = self.w.get(name + ".bias")
        return y if bias is None else y + bias

    def attend(self, q, k, v, positions, window):
        """q [heads, T, d] at absolute `positions`; k, v [kv_heads, S, d] at positions 0..S-1."""
        groups = self.heads // self.kv_heads
        k = np.repeat(k, groups, axis=0)  # repeat_kv: query head h reads kv head h // groups
        v = np.repeat(v, groups, axis=0)
        scores = q @ k.transpose(0, 2, 1) / math.sqrt(self.head_dim)  # [heads, T, S], scaling = head_dim^-0.5
        i = positions[:, None]
        j = np.arange(k.shape[1])[None, :]
        # masking_utils.causal_mask_function: key j visible to query i iff j <= i;
        # sliding_window_overlay adds j > i - window, i.e. i - j < window (the query itself included).
        visible = (j <= i) if window is None else (j <= i) & (i - j < window)
        return softmax_rows(scores, visible) @ v  # [heads, T, d]

    def run(self, ids, cache: Cache):
        """Logits [T, vocab] of new tokens `ids` following the cache's tokens; appends them to the cache."""
        positions = np.arange(cache.length, cache.length + len(ids))
        x = self.run_gpt2(ids, positions, cache) if self.family == "gpt2" else self.run_llama(ids, positions, cache)
        cache.length += len(ids)
        head = self.w["transformer.wte.weight" if self.family == "gpt2" else "model.embed_tokens.weight"]
        if not self.tied:
            head = self.w["lm_head.weight"]
        return x @ head.T  # lm_head has no bias in any of these families

    def split_heads(self, x, heads):
        return x.reshape(x.shape[0], heads, self.head_dim).transpose(1, 0, 2)  # [T, h*d] -> [h, T, d]

    def merge_heads(self, x):
        return x.transpose(1, 0, 2).reshape(x.shape[1], -1)  # [h, T, d] -> [T, h*d]

    def run_llama(self, ids, positions, cache):
        c, w = self.config, self.w
        eps = c["rms_norm_eps"]
        x = w["model.embed_tokens.weight"][ids]  # [T, hidden]
        angles = positions[:, None].astype(np.float64) * self.inv_freq[None, :]  # [T, d/2]
        cos = np.cos(np.concatenate([angles, angles], axis=-1))  # [T, d]: emb = cat(freqs, freqs)
        sin = np.sin(np.concatenate([angles, angles], axis=-1))
        for layer in range(self.layers):
            p = f"model.layers.{layer}."
            # LlamaDecoderLayer: pre-norm residual blocks.
            h = rms_norm(x, w[p + "input_layernorm.weight"], eps)
            q = self.split_heads(self.linear(h, p + "self_attn.q_proj"), self.heads)  # [heads, T, d]
            k = self.split_heads(self.linear(h, p + "self_attn.k_proj"), self.kv_heads)
            v = self.split_heads(self.linear(h, p + "self_attn.v_proj"), self.kv_heads)
            if self.family == "qwen3":
                # Qwen3Attention: RMSNorm over each head's head_dim values, before RoPE.
                q = rms_norm(q, w[p + "self_attn.q_norm.weight"], eps)
                k = rms_norm(k, w[p + "self_attn.k_norm.weight"], eps)
            # apply_rotary_pos_emb: x * cos + rotate_half(x) * sin.
            q = q * cos + rotate_half(q) * sin
            k = k * cos + rotate_half(k) * sin
            keys, values = cache.append(layer, k, v)
            attn = self.merge_heads(self.attend(q, keys, values, positions, self.windows[layer]))
            x = x + self.linear(attn, p + "self_attn.o_proj")
            h = rms_norm(x, w[p + "post_attention_layernorm.weight"], eps)
            # LlamaMLP: down(silu(gate(x)) * up(x)).
            gated = silu(self.linear(h, p + "mlp.gate_proj")) * self.linear(h, p + "mlp.up_proj")
            x = x + self.linear(gated, p + "mlp.down_proj")
        return rms_norm(x, w["model.norm.weight"], eps)

    def run_gpt2(self, ids, positions, cache):
        c, w = self.config, self.w
        eps = c["layer_norm_epsilon"]
        # GPT2Model: token embedding plus learned absolute position embedding.
        x = w["transformer.wte.weight"][ids] + w["transformer.wpe.weight"][positions]
        for layer in range(self.layers):
            p = f"transformer.h.{layer}."
            h = layer_norm(x, w[p + "ln_1.weight"], w[p + "ln_1.bias"], eps)
            # GPT2Attention: fused c_attn [hidden, 3 * hidden] split into q, k, v in that order.
            qkv = self.linear(h, p + "attn.c_attn", conv1d=True)
            q, k, v = (self.split_heads(part, self.heads) for part in np.split(qkv, 3, axis=-1))
            keys, values = cache.append(layer, k, v)
            attn = self.merge_heads(self.attend(q, keys, values, positions, None))
            x = x + self.linear(attn, p + "attn.c_proj", conv1d=True)
            h = layer_norm(x, w[p + "ln_2.weight"], w[p + "ln_2.bias"], eps)
            # GPT2MLP: c_proj(gelu_new(c_fc(x))).
            x = x + self.linear(gelu_new(self.linear(h, p + "mlp.c_fc", conv1d=True)), p + "mlp.c_proj", conv1d=True)
        return layer_norm(x, w["transformer.ln_f.weight"], w["transformer.ln_f.bias"], eps)
