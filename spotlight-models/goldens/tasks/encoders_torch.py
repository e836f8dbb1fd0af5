"""Independent references for the BERT family's encoders and task heads on tiny random checkpoints.

RoBERTa and XLM-R run in torchtext 0.14's own RobertaModel (Debian python3-torchtext), with weights
mapped both ways: torchtext's random initialisation renamed into a Hugging Face checkpoint, and a
random Hugging Face checkpoint loaded into torchtext. BERT and DistilBERT run in PyTorch's
nn.TransformerEncoderLayer (torchtext has no DistilBERT), the module torchtext's encoder is built on.
The task heads are written from transformers' modeling code (BertFor*, RobertaFor*, DistilBertFor*),
RoBERTa's sequence classifier is torchtext's RobertaClassificationHead with tanh. Everything runs in
float64; the checkpoints are stored in float32 and the references use exactly those float32 values.

Writes, per variant, <out>/<variant>/config.json + model.safetensors and <out>/<variant>.json with
the inputs, the last hidden states and every head's logits. Run with Debian's interpreter:

    /usr/bin/python3 spotlight-models/goldens/tasks/encoders_torch.py [out]

(out defaults to spotlight-models/src/test/resources/goldens/tasks/encoders). Deterministic: fixed
seeds, one thread.
"""

import json
import math
import os
import struct
import sys
import types

# torchtext's compiled extension does not load on this machine; its models are pure PyTorch.
sys.modules["torchtext._extension"] = types.ModuleType("torchtext._extension")


class _Stand(types.ModuleType):
    def __getattr__(self, name):
        return type(name, (), {})


sys.modules["torchtext._torchtext"] = _Stand("torchtext._torchtext")

import torch  # noqa: E402
from torch import nn  # noqa: E402
from torchtext.models import RobertaClassificationHead, RobertaEncoderConf, RobertaModel  # noqa: E402

torch.set_num_threads(1)

VOCAB, HIDDEN, HEADS, FFN, LAYERS, LABELS = 48, 16, 4, 40, 2, 3
SEQUENCES = {
    "bert": [[2, 5, 7, 9, 3], [2, 11, 4, 4, 8, 13, 20, 31, 3], [2, 40, 41, 42, 6, 7, 8, 9, 10, 11, 12, 47, 3]],
    "roberta": [[0, 5, 7, 9, 2], [0, 11, 4, 4, 8, 13, 20, 31, 2], [0, 40, 41, 42, 6, 7, 8, 9, 10, 11, 12, 47, 2]],
}
TYPES = [[0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 1, 1, 1, 1], [0] * 13]


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        data = tensors[name].to(torch.float32).contiguous().numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def rounded(t):
    """The float32 value the checkpoint stores, widened to float64 for the reference."""
    return t.detach().to(torch.float32).to(torch.float64)


def random_tensors(names_shapes, seed):
    g = torch.Generator().manual_seed(seed)
    out = {}
    for name, shape in names_shapes:
        t = torch.randn(shape, generator=g, dtype=torch.float64) * 0.5
        if name.endswith("LayerNorm.weight") or name.endswith("layer_norm.weight") or "norm" in name and name.endswith(".weight"):
            t = t + 1.0
        out[name] = rounded(t)
    return out


def bert_layer_names(prefix, i, distil):
    if distil:
        l = f"{prefix}transformer.layer.{i}."
        return dict(q=l + "attention.q_lin", k=l + "attention.k_lin", v=l + "attention.v_lin", o=l + "attention.out_lin",
                    n1=l + "sa_layer_norm", f1=l + "ffn.lin1", f2=l + "ffn.lin2", n2=l + "output_layer_norm")
    l = f"{prefix}encoder.layer.{i}."
    return dict(q=l + "attention.self.query", k=l + "attention.self.key", v=l + "attention.self.value",
                o=l + "attention.output.dense", n1=l + "attention.output.LayerNorm", f1=l + "intermediate.dense",
                f2=l + "output.dense", n2=l + "output.LayerNorm")


def encoder_shapes(prefix, positions, types, distil):
    s = [(prefix + "embeddings.word_embeddings.weight", (VOCAB, HIDDEN)),
         (prefix + "embeddings.position_embeddings.weight", (positions, HIDDEN))]
    if types:
        s.append((prefix + "embeddings.token_type_embeddings.weight", (types, HIDDEN)))
    s += [(prefix + "embeddings.LayerNorm.weight", (HIDDEN,)), (prefix + "embeddings.LayerNorm.bias", (HIDDEN,))]
    for i in range(LAYERS):
        n = bert_layer_names(prefix, i, distil)
        for key, out_dim, in_dim in (("q", HIDDEN, HIDDEN), ("k", HIDDEN, HIDDEN), ("v", HIDDEN, HIDDEN), ("o", HIDDEN, HIDDEN),
                                     ("f1", FFN, HIDDEN), ("f2", HIDDEN, FFN)):
            s += [(n[key] + ".weight", (out_dim, in_dim)), (n[key] + ".bias", (out_dim,))]
        for key in ("n1", "n2"):
            s += [(n[key] + ".weight", (HIDDEN,)), (n[key] + ".bias", (HIDDEN,))]
    return s


def head_shapes(family, untied):
    s = [("classifier.weight", (LABELS, HIDDEN)), ("classifier.bias", (LABELS,)),
         ("qa_outputs.weight", (2, HIDDEN)), ("qa_outputs.bias", (2,))]
    if family == "bert":
        s += [("bert.pooler.dense.weight", (HIDDEN, HIDDEN)), ("bert.pooler.dense.bias", (HIDDEN,)),
              ("cls.predictions.transform.dense.weight", (HIDDEN, HIDDEN)), ("cls.predictions.transform.dense.bias", (HIDDEN,)),
              ("cls.predictions.transform.LayerNorm.weight", (HIDDEN,)), ("cls.predictions.transform.LayerNorm.bias", (HIDDEN,)),
              ("cls.predictions.bias", (VOCAB,))]
    elif family == "roberta":
        s += [("classifier.dense.weight", (HIDDEN, HIDDEN)), ("classifier.dense.bias", (HIDDEN,)),
              ("classifier.out_proj.weight", (LABELS, HIDDEN)), ("classifier.out_proj.bias", (LABELS,)),
              ("lm_head.dense.weight", (HIDDEN, HIDDEN)), ("lm_head.dense.bias", (HIDDEN,)),
              ("lm_head.layer_norm.weight", (HIDDEN,)), ("lm_head.layer_norm.bias", (HIDDEN,)), ("lm_head.bias", (VOCAB,))]
        if untied:
            s.append(("lm_head.decoder.weight", (VOCAB, HIDDEN)))
    else:
        s += [("pre_classifier.weight", (HIDDEN, HIDDEN)), ("pre_classifier.bias", (HIDDEN,)),
              ("vocab_transform.weight", (HIDDEN, HIDDEN)), ("vocab_transform.bias", (HIDDEN,)),
              ("vocab_layer_norm.weight", (HIDDEN,)), ("vocab_layer_norm.bias", (HIDDEN,)), ("vocab_projector.bias", (VOCAB,))]
    return s


def torch_layers(w, prefix, eps, distil):
    """PyTorch's own post-LN encoder layers carrying the checkpoint's weights (q, k, v stacked as in_proj)."""
    layers = []
    for i in range(LAYERS):
        n = bert_layer_names(prefix, i, distil)
        layer = nn.TransformerEncoderLayer(HIDDEN, HEADS, FFN, dropout=0.0, activation="gelu", layer_norm_eps=eps,
                                           batch_first=True, norm_first=False).double().eval()
        with torch.no_grad():
            layer.self_attn.in_proj_weight.copy_(torch.cat([w[n["q"] + ".weight"], w[n["k"] + ".weight"], w[n["v"] + ".weight"]]))
            layer.self_attn.in_proj_bias.copy_(torch.cat([w[n["q"] + ".bias"], w[n["k"] + ".bias"], w[n["v"] + ".bias"]]))
            layer.self_attn.out_proj.weight.copy_(w[n["o"] + ".weight"])
            layer.self_attn.out_proj.bias.copy_(w[n["o"] + ".bias"])
            layer.linear1.weight.copy_(w[n["f1"] + ".weight"])
            layer.linear1.bias.copy_(w[n["f1"] + ".bias"])
            layer.linear2.weight.copy_(w[n["f2"] + ".weight"])
            layer.linear2.bias.copy_(w[n["f2"] + ".bias"])
            layer.norm1.weight.copy_(w[n["n1"] + ".weight"])
            layer.norm1.bias.copy_(w[n["n1"] + ".bias"])
            layer.norm2.weight.copy_(w[n["n2"] + ".weight"])
            layer.norm2.bias.copy_(w[n["n2"] + ".bias"])
        layers.append(layer)
    return layers


def layer_norm(x, w, b, eps):
    return nn.functional.layer_norm(x, (x.shape[-1],), w, b, eps)


def linear(x, w, name):
    return x @ w[name + ".weight"].T + w[name + ".bias"]


def torch_encoder(w, family, ids, types, eps):
    """BERT (positions 0..L-1, token types) or DistilBERT (no token types) with torch's encoder layers."""
    distil = family == "distilbert"
    prefix = "distilbert." if distil else "bert."
    ids_t = torch.tensor([ids])
    x = w[prefix + "embeddings.word_embeddings.weight"][ids_t] + w[prefix + "embeddings.position_embeddings.weight"][:len(ids)]
    if not distil:
        x = x + w[prefix + "embeddings.token_type_embeddings.weight"][torch.tensor([types])]
    x = layer_norm(x, w[prefix + "embeddings.LayerNorm.weight"], w[prefix + "embeddings.LayerNorm.bias"], eps)
    with torch.no_grad():
        for layer in torch_layers(w, prefix, eps, distil):
            x = layer(x)
    return x[0]


def roberta_to_torchtext(w, prefix):
    """A Hugging Face RoBERTa state dict as torchtext's names. torchtext has no token types: RoBERTa's single
    token type row is added to every position row, which is what the sum word + position + type computes."""
    t = {"encoder.transformer.token_embedding.weight": w[prefix + "embeddings.word_embeddings.weight"],
         "encoder.transformer.positional_embedding.embedding.weight": w[prefix + "embeddings.position_embeddings.weight"]
         + w[prefix + "embeddings.token_type_embeddings.weight"][0],
         "encoder.transformer.embedding_layer_norm.weight": w[prefix + "embeddings.LayerNorm.weight"],
         "encoder.transformer.embedding_layer_norm.bias": w[prefix + "embeddings.LayerNorm.bias"]}
    for i in range(LAYERS):
        n = bert_layer_names(prefix, i, False)
        l = f"encoder.transformer.layers.layers.{i}."
        t[l + "self_attn.in_proj_weight"] = torch.cat([w[n[k] + ".weight"] for k in ("q", "k", "v")])
        t[l + "self_attn.in_proj_bias"] = torch.cat([w[n[k] + ".bias"] for k in ("q", "k", "v")])
        for ours, theirs in (("o", "self_attn.out_proj"), ("f1", "linear1"), ("f2", "linear2"), ("n1", "norm1"), ("n2", "norm2")):
            t[l + theirs + ".weight"] = w[n[ours] + ".weight"]
            t[l + theirs + ".bias"] = w[n[ours] + ".bias"]
    return t


def torchtext_to_roberta(t, prefix):
    """torchtext's state dict as Hugging Face RoBERTa names (token type embeddings zero)."""
    w = {prefix + "embeddings.word_embeddings.weight": t["encoder.transformer.token_embedding.weight"],
         prefix + "embeddings.position_embeddings.weight": t["encoder.transformer.positional_embedding.embedding.weight"],
         prefix + "embeddings.token_type_embeddings.weight": torch.zeros(1, HIDDEN, dtype=torch.float64),
         prefix + "embeddings.LayerNorm.weight": t["encoder.transformer.embedding_layer_norm.weight"],
         prefix + "embeddings.LayerNorm.bias": t["encoder.transformer.embedding_layer_norm.bias"]}
    for i in range(LAYERS):
        n = bert_layer_names(prefix, i, False)
        l = f"encoder.transformer.layers.layers.{i}."
        qkv_w = t[l + "self_attn.in_proj_weight"].split(HIDDEN)
        qkv_b = t[l + "self_attn.in_proj_bias"].split(HIDDEN)
        for j, k in enumerate(("q", "k", "v")):
            w[n[k] + ".weight"] = qkv_w[j]
            w[n[k] + ".bias"] = qkv_b[j]
        for ours, theirs in (("o", "self_attn.out_proj"), ("f1", "linear1"), ("f2", "linear2"), ("n1", "norm1"), ("n2", "norm2")):
            w[n[ours] + ".weight"] = t[l + theirs + ".weight"]
            w[n[ours] + ".bias"] = t[l + theirs + ".bias"]
    return w


def torchtext_model(positions, pad):
    conf = RobertaEncoderConf(vocab_size=VOCAB, embedding_dim=HIDDEN, ffn_dimension=FFN, padding_idx=pad, max_seq_len=positions,
                              num_attention_heads=HEADS, num_encoder_layers=LAYERS, dropout=0.0)
    head = RobertaClassificationHead(num_classes=LABELS, input_dim=HIDDEN, dropout=0.0, activation=nn.Tanh)
    return RobertaModel(conf, head).double().eval()


def heads(w, family, hidden, eps, act):
    """Every head's logits from the last hidden state [len, hidden] (transformers' modeling code, eval mode)."""
    out = {"token_logits": linear(hidden, w, "classifier"), "qa_logits": linear(hidden, w, "qa_outputs")}
    cls = hidden[0]
    if family == "bert":
        pooled = torch.tanh(linear(cls, w, "bert.pooler.dense"))
        out["sequence_logits"] = linear(pooled, w, "classifier")
        t = layer_norm(act(linear(hidden, w, "cls.predictions.transform.dense")), w["cls.predictions.transform.LayerNorm.weight"],
                       w["cls.predictions.transform.LayerNorm.bias"], eps)
        out["mlm_logits"] = t @ w["bert.embeddings.word_embeddings.weight"].T + w["cls.predictions.bias"]
    elif family == "roberta":
        t = layer_norm(nn.functional.gelu(linear(hidden, w, "lm_head.dense")), w["lm_head.layer_norm.weight"],
                       w["lm_head.layer_norm.bias"], eps)
        decoder = w.get("lm_head.decoder.weight", w[PREFIX[family] + "embeddings.word_embeddings.weight"])
        out["mlm_logits"] = t @ decoder.T + w["lm_head.bias"]
    else:
        out["sequence_logits"] = linear(torch.relu(linear(cls, w, "pre_classifier")), w, "classifier")
        t = layer_norm(act(linear(hidden, w, "vocab_transform")), w["vocab_layer_norm.weight"], w["vocab_layer_norm.bias"], 1e-12)
        out["mlm_logits"] = t @ w["distilbert.embeddings.word_embeddings.weight"].T + w["vocab_projector.bias"]
    return out


PREFIX = {"bert": "bert.", "roberta": "roberta.", "distilbert": "distilbert."}


def config(model_type, positions, architectures):
    c = {"architectures": architectures, "model_type": model_type, "vocab_size": VOCAB,
         "id2label": {"0": "O", "1": "B-X", "2": "I-X"}, "label2id": {"O": 0, "B-X": 1, "I-X": 2},
         "max_position_embeddings": positions}
    if model_type == "distilbert":
        c.update({"dim": HIDDEN, "n_layers": LAYERS, "n_heads": HEADS, "hidden_dim": FFN, "activation": "gelu", "pad_token_id": 0})
    else:
        c.update({"hidden_size": HIDDEN, "num_hidden_layers": LAYERS, "num_attention_heads": HEADS, "intermediate_size": FFN,
                  "hidden_act": "gelu", "layer_norm_eps": 1e-5 if model_type != "bert" else 1e-12,
                  "type_vocab_size": 2 if model_type == "bert" else 1, "pad_token_id": 1 if model_type != "bert" else 0,
                  "position_embedding_type": "absolute"})
    return c


def variant(name, model_type, direction, seed):
    """(config, float64 weights with Hugging Face names, per sequence: hidden states and head logits)."""
    family = {"bert": "bert", "distilbert": "distilbert"}.get(model_type, "roberta")
    prefix = PREFIX[family]
    torch.manual_seed(seed)
    if family == "roberta":
        positions, pad = 34, 1
        model = torchtext_model(positions, pad)
        if direction == "torchtext-to-hf":
            # torchtext's own random init (RoBERTa's positional table has a zero padding row), then renamed.
            w = torchtext_to_roberta({k: rounded(v) for k, v in model.state_dict().items()}, prefix)
            w["classifier.dense.weight"] = rounded(model.head.dense.weight)
            w["classifier.dense.bias"] = rounded(model.head.dense.bias)
            w["classifier.out_proj.weight"] = rounded(model.head.out_proj.weight)
            w["classifier.out_proj.bias"] = rounded(model.head.out_proj.bias)
            w.update({k: v for k, v in random_tensors(head_shapes(family, untied=True), seed + 1).items()
                      if not k.startswith("classifier.dense") and not k.startswith("classifier.out_proj")})
        else:
            w = random_tensors(encoder_shapes(prefix, positions, 1, False) + head_shapes(family, untied=False), seed)
        state = roberta_to_torchtext(w, prefix)
        state.update({"head.dense.weight": w["classifier.dense.weight"], "head.dense.bias": w["classifier.dense.bias"],
                      "head.out_proj.weight": w["classifier.out_proj.weight"], "head.out_proj.bias": w["classifier.out_proj.bias"]})
        model.load_state_dict(state)
        sequences, eps = SEQUENCES["roberta"], 1e-5
        archs = [{"roberta": "Roberta", "xlm-roberta": "XLMRoberta"}[model_type] + "ForMaskedLM"]
    else:
        positions = 24
        distil = family == "distilbert"
        w = random_tensors(encoder_shapes(prefix, positions, 0 if distil else 2, distil) + head_shapes(family, False), seed)
        sequences, eps = SEQUENCES["bert"], 1e-12
        archs = ["DistilBertForMaskedLM" if distil else "BertForMaskedLM"]
    results = []
    for s, ids in enumerate(sequences):
        with torch.no_grad():
            if family == "roberta":
                hidden = model.encoder(torch.tensor([ids]))[0]
                logits = heads(w, family, hidden, eps, nn.functional.gelu)
                logits["sequence_logits"] = model(torch.tensor([ids]))[0]
            else:
                types = TYPES[s] if family == "bert" else [0] * len(ids)
                hidden = torch_encoder(w, family, ids, types, eps)
                logits = heads(w, family, hidden, eps, nn.functional.gelu)
        row = {"ids": ids, "type_ids": TYPES[s] if family == "bert" else [0] * len(ids),
               "last_hidden": hidden.tolist()}
        row.update({k: v.tolist() for k, v in logits.items()})
        results.append(row)
    return config(model_type, positions, archs), w, results


VARIANTS = [
    ("roberta_from_torchtext", "roberta", "torchtext-to-hf", 11),
    ("roberta_into_torchtext", "roberta", "hf-to-torchtext", 12),
    ("xlm_roberta_from_torchtext", "xlm-roberta", "torchtext-to-hf", 13),
    ("xlm_roberta_into_torchtext", "xlm-roberta", "hf-to-torchtext", 14),
    ("distilbert", "distilbert", "torch-layers", 15),
    ("bert", "bert", "torch-layers", 16),
]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "src", "test", "resources", "goldens", "tasks",
                                                               "encoders")
    os.makedirs(out, exist_ok=True)
    index = []
    for name, model_type, direction, seed in VARIANTS:
        cfg, w, results = variant(name, model_type, direction, seed)
        folder = os.path.join(out, name)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "config.json"), "w") as f:
            json.dump(cfg, f, indent=2, sort_keys=True)
            f.write("\n")
        write_safetensors(os.path.join(folder, "model.safetensors"), w)
        reference = {"torchtext RobertaModel": direction != "torch-layers", "direction": direction}
        with open(os.path.join(out, name + ".json"), "w") as f:
            json.dump({"name": name, "model_type": model_type, "reference": reference, "sequences": results}, f)
            f.write("\n")
        index.append(name)
    with open(os.path.join(out, "index.json"), "w") as f:
        json.dump({"variants": index}, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
