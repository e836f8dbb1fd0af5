"""The golden variants: each a config.json object as Hugging Face writes it, a model seed and a dtype,
plus the tensors a Hugging Face checkpoint of that config holds (names and shapes as saved by
save_pretrained; tied output embeddings are saved once, without lm_head.weight)."""

from random_weights import init_for
from reference import head_dim

TORCH_DTYPE = {"F32": "float32", "BF16": "bfloat16", "F16": "float16"}


def llama_like(model_type, architecture, dtype, vocab, layers, intermediate, **fields):
    config = {
        "architectures": [architecture],
        "model_type": model_type,
        "attention_dropout": 0.0,
        "bos_token_id": 1,
        "eos_token_id": 2,
        "hidden_act": "silu",
        "hidden_size": 64,
        "initializer_range": 0.02,
        "intermediate_size": intermediate,
        "max_position_embeddings": 64,
        "num_attention_heads": 4,
        "num_hidden_layers": layers,
        "num_key_value_heads": 2,
        "rms_norm_eps": 1e-05,
        "rope_theta": 10000.0,
        "tie_word_embeddings": False,
        "torch_dtype": TORCH_DTYPE[dtype],
        "use_cache": True,
        "vocab_size": vocab,
    }
    config.update(fields)
    return dict(sorted(config.items()))


def gpt2(dtype, vocab, layers, **fields):
    config = {
        "activation_function": "gelu_new",
        "architectures": ["GPT2LMHeadModel"],
        "attn_pdrop": 0.1,
        "bos_token_id": vocab - 1,
        "embd_pdrop": 0.1,
        "eos_token_id": vocab - 1,
        "initializer_range": 0.02,
        "layer_norm_epsilon": 1e-05,
        "model_type": "gpt2",
        "n_ctx": 64,
        "n_embd": 64,
        "n_head": 4,
        "n_inner": None,
        "n_layer": layers,
        "n_positions": 64,
        "reorder_and_upcast_attn": False,
        "resid_pdrop": 0.1,
        "scale_attn_by_inverse_layer_idx": False,
        "scale_attn_weights": True,
        "torch_dtype": TORCH_DTYPE[dtype],
        "use_cache": True,
        "vocab_size": vocab,
    }
    config.update(fields)
    return dict(sorted(config.items()))


LLAMA3_SCALING = {"factor": 8.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                  "original_max_position_embeddings": 64, "rope_type": "llama3"}

# name: (seed, dtype, config, what it pins)
VARIANTS = {
    "llama": (1001, "F32", llama_like(
        "llama", "LlamaForCausalLM", "F32", vocab=101, layers=2, intermediate=160,
        attention_bias=False, head_dim=16, mlp_bias=False, pretraining_tp=1, rope_scaling=None,
        tie_word_embeddings=True),
        "Llama with grouped-query attention (4 heads, 2 kv heads), tied output embeddings"),
    "llama_rope_llama3": (1002, "F32", llama_like(
        "llama", "LlamaForCausalLM", "F32", vocab=131, layers=3, intermediate=176,
        attention_bias=False, head_dim=32, max_position_embeddings=128, mlp_bias=False, pretraining_tp=1,
        rope_scaling=LLAMA3_SCALING, rope_theta=500000.0),
        "Llama 3.1 rope_scaling llama3 (theta 500000, factor 8, low/high 1/4, original 64: of the 16 "
        "frequencies 2 keep theirs, 1 is interpolated, 13 are divided by 8); head_dim 32 != 64 / 4; untied"),
    "llama_rope_linear": (1003, "F32", llama_like(
        "llama", "LlamaForCausalLM", "F32", vocab=103, layers=2, intermediate=128,
        attention_bias=True, head_dim=16, mlp_bias=True, pretraining_tp=1,
        rope_scaling={"factor": 2.0, "type": "linear"}, tie_word_embeddings=True),
        "rope_scaling linear factor 2 under the legacy key 'type'; attention_bias (q, k, v and o) and "
        "mlp_bias (gate, up, down); tied"),
    "llama_bf16": (1004, "BF16", llama_like(
        "llama", "LlamaForCausalLM", "BF16", vocab=113, layers=3, intermediate=160,
        attention_bias=False, head_dim=16, mlp_bias=False, pretraining_tp=1, rope_scaling=None),
        "Llama with every tensor stored BF16, untied (lm_head.weight in BF16)"),
    "mistral_sliding_window": (1005, "F32", llama_like(
        "mistral", "MistralForCausalLM", "F32", vocab=107, layers=3, intermediate=128,
        head_dim=16, sliding_window=4),
        "Mistral with sliding_window 4 in every layer (key j visible to query i iff j <= i and i - j < 4); untied"),
    "qwen2": (1006, "F32", llama_like(
        "qwen2", "Qwen2ForCausalLM", "F32", vocab=97, layers=2, intermediate=144,
        max_position_embeddings=128, max_window_layers=1, rms_norm_eps=1e-06, rope_theta=1000000.0,
        sliding_window=4, tie_word_embeddings=True, use_sliding_window=False),
        "Qwen2 with q/k/v biases (no o_proj bias), tied; sliding_window 4 is present but "
        "use_sliding_window is false, so HF attends fully in every layer"),
    "qwen2_f16": (1007, "F16", llama_like(
        "qwen2", "Qwen2ForCausalLM", "F16", vocab=103, layers=3, intermediate=128,
        max_position_embeddings=128, max_window_layers=3, rms_norm_eps=1e-06, rope_theta=1000000.0,
        sliding_window=None, use_sliding_window=False),
        "Qwen2 with every tensor stored F16, untied"),
    "qwen2_sliding_layers": (1008, "F32", llama_like(
        "qwen2", "Qwen2ForCausalLM", "F32", vocab=97, layers=2, intermediate=96,
        max_position_embeddings=128, max_window_layers=1, rms_norm_eps=1e-06, rope_theta=1000000.0,
        sliding_window=4, tie_word_embeddings=True, use_sliding_window=True),
        "Qwen2 with use_sliding_window true and max_window_layers 1: layer 0 full causal, layer 1 window 4"),
    "qwen3": (1009, "F32", llama_like(
        "qwen3", "Qwen3ForCausalLM", "F32", vocab=109, layers=2, intermediate=96,
        attention_bias=False, head_dim=24, max_position_embeddings=128, max_window_layers=2,
        rms_norm_eps=1e-06, rope_scaling=None, rope_theta=1000000.0, sliding_window=None,
        tie_word_embeddings=True, use_sliding_window=False),
        "Qwen3 with per-head q_norm / k_norm before RoPE and head_dim 24 != 64 / 4; tied"),
    "gpt2": (1010, "F32", gpt2("F32", vocab=127, layers=2),
        "GPT-2: learned positions, pre-LayerNorm, Conv1D [in, out], fused c_attn, gelu_new, n_inner null "
        "(4 * 64); no tie_word_embeddings field, so tied by PretrainedConfig's default"),
    "gpt2_bf16": (1011, "BF16", gpt2("BF16", vocab=113, layers=3, n_inner=160, tie_word_embeddings=True),
        "GPT-2 with every tensor stored BF16, n_inner 160, tie_word_embeddings true"),
}


def family(config):
    return config["model_type"]


def tensor_plan(config):
    """[(name, shape, (offset, scale))] in module order."""
    if config["model_type"] == "gpt2":
        return gpt2_plan(config)
    c = config
    hidden, vocab, inner = c["hidden_size"], c["vocab_size"], c["intermediate_size"]
    dim = head_dim(c)
    q_width = c["num_attention_heads"] * dim
    kv_width = c["num_key_value_heads"] * dim
    qkv_bias = c["model_type"] == "qwen2" or c.get("attention_bias", False)  # Qwen2Attention: bias=True
    o_bias = c["model_type"] != "qwen2" and c.get("attention_bias", False)   # Qwen2: o_proj bias=False
    mlp_bias = c.get("mlp_bias", False)                                         # only LlamaMLP has the field
    plan = [("model.embed_tokens.weight", [vocab, hidden], init_for("embedding"))]

    def linear(name, out, fan_in, bias):
        plan.append((name + ".weight", [out, fan_in], init_for("matrix", fan_in)))
        if bias:
            plan.append((name + ".bias", [out], init_for("bias")))

    for layer in range(c["num_hidden_layers"]):
        p = f"model.layers.{layer}."
        plan.append((p + "input_layernorm.weight", [hidden], init_for("norm")))
        linear(p + "self_attn.q_proj", q_width, hidden, qkv_bias)
        linear(p + "self_attn.k_proj", kv_width, hidden, qkv_bias)
        linear(p + "self_attn.v_proj", kv_width, hidden, qkv_bias)
        linear(p + "self_attn.o_proj", hidden, q_width, o_bias)
        if c["model_type"] == "qwen3":
            plan.append((p + "self_attn.q_norm.weight", [dim], init_for("norm")))
            plan.append((p + "self_attn.k_norm.weight", [dim], init_for("norm")))
        plan.append((p + "post_attention_layernorm.weight", [hidden], init_for("norm")))
        linear(p + "mlp.gate_proj", inner, hidden, mlp_bias)
        linear(p + "mlp.up_proj", inner, hidden, mlp_bias)
        linear(p + "mlp.down_proj", hidden, inner, mlp_bias)
    plan.append(("model.norm.weight", [hidden], init_for("norm")))
    if not c["tie_word_embeddings"]:
        linear("lm_head", vocab, hidden, False)
    return plan


def gpt2_plan(c):
    hidden, vocab = c["n_embd"], c["vocab_size"]
    inner = c["n_inner"] or 4 * hidden
    plan = [("transformer.wte.weight", [vocab, hidden], init_for("embedding")),
            ("transformer.wpe.weight", [c["n_positions"], hidden], init_for("embedding"))]

    def norm(name):
        plan.append((name + ".weight", [hidden], init_for("norm")))
        plan.append((name + ".bias", [hidden], init_for("bias")))

    def conv1d(name, fan_in, out):
        plan.append((name + ".weight", [fan_in, out], init_for("matrix", fan_in)))  # Conv1D: [in, out]
        plan.append((name + ".bias", [out], init_for("bias")))

    for layer in range(c["n_layer"]):
        p = f"transformer.h.{layer}."
        norm(p + "ln_1")
        conv1d(p + "attn.c_attn", hidden, 3 * hidden)
        conv1d(p + "attn.c_proj", hidden, hidden)
        norm(p + "ln_2")
        conv1d(p + "mlp.c_fc", hidden, inner)
        conv1d(p + "mlp.c_proj", inner, hidden)
    norm("transformer.ln_f")
    if not c.get("tie_word_embeddings", True):
        plan.append(("lm_head.weight", [vocab, hidden], init_for("matrix", hidden)))
    return plan
