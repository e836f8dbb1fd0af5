"""ONNX exports of RoBERTa and DistilBERT task models, made the way Hugging Face's exporters make them.

The models are written in plain PyTorch with the module tree of transformers' modeling_roberta.py and
modeling_distilbert.py (RobertaModel without pooler under RobertaFor{TokenClassification,
SequenceClassification, QuestionAnswering, MaskedLM}; DistilBertModel under DistilBertFor...), so
torch.onnx.export names the graph as it names a real export: Hugging Face names for embeddings,
biases and LayerNorms, anonymous onnx::MatMul_<n> initializers ([in, out]) consumed by MatMul nodes
named after the module path (/roberta/encoder/layer.0/attention/self/query/MatMul), Gemm on the
named [out, in] weight where a Linear sees a 2-D input (the sequence heads on the first token). The
inputs are optimum's for these families (input_ids, attention_mask; no token_type_ids), the outputs
its names (logits; start_logits and end_logits), the axes its names (batch_size, sequence_length),
opset 14. The masked-LM decoder tied to the word embeddings is then deduplicated as optimum does
(its transposed copy replaced by a Transpose node of the embeddings).

The weights are the tiny random checkpoints encoders_torch.py wrote (encoders/roberta_into_torchtext,
encoders/distilbert): the same checkpoint as a safetensors folder and as ONNX exports. Before
exporting, each model is checked against that script's references (torchtext / nn.Transformer
goldens, float64) within 1e-4, so a slip in the module code stops here.

The bare encoders (RobertaModel, DistilBertModel) go out as optimum's feature-extraction exports
(last_hidden_state; their tensors without the task models' "roberta." / "distilbert." prefix).

Writes, per family and head, <out>/<family>-<head>/ with config.json, tokenizer.json,
tokenizer_config.json and model.onnx (optimum-cli's folder layout). Run with Debian's interpreter:

    /usr/bin/python3 spotlight-models/goldens/tasks/onnx_exports.py [out]

(out defaults to spotlight-models/src/test/resources/goldens/tasks/onnx). Deterministic: running it
twice writes the same bytes.
"""

import json
import math
import os
import struct
import sys

import onnx
import torch
from onnx import helper, numpy_helper
from torch import nn

torch.set_num_threads(1)

HERE = os.path.dirname(os.path.abspath(__file__))
RESOURCES = os.path.join(HERE, "..", "..", "src", "test", "resources", "goldens", "tasks")
TOLERANCE = 1e-4

# 43 words after the five special tokens: the checkpoints' vocabulary has 48 rows.
WORDS = ["the", "a", "cat", "dog", "sat", "on", "mat", "john", "smith", "lives", "in", "new", "york", "paris", "is",
         "capital", "of", "france", "who", "where", "does", "what", "city", "works", "at", "mic", "##ro", "##soft",
         "london", "river", "runs", "through", "and", "it", "was", "big", "small", "red", "blue", "green", ".", ",", "?"]

HEADS = {
    "token-classification": ("ForTokenClassification", ["logits"], {"0": "O", "1": "B-X", "2": "I-X"}),
    "sequence-classification": ("ForSequenceClassification", ["logits"], {"0": "negative", "1": "neutral", "2": "positive"}),
    "question-answering": ("ForQuestionAnswering", ["start_logits", "end_logits"], None),
    "masked-lm": ("ForMaskedLM", ["logits"], None),
    "feature-extraction": ("Model", ["last_hidden_state"], None),
}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32", name
        begin, end = info["data_offsets"]
        blob = bytearray(data[8 + n + begin:8 + n + end])
        out[name] = torch.frombuffer(blob, dtype=torch.float32).reshape(info["shape"]).clone()
    return out


# ---- RoBERTa: transformers' modeling_roberta.py module tree (eval mode, absolute positions) ----

class RobertaEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.word_embeddings = nn.Embedding(c["vocab_size"], c["hidden_size"], padding_idx=c["pad_token_id"])
        self.position_embeddings = nn.Embedding(c["max_position_embeddings"], c["hidden_size"], padding_idx=c["pad_token_id"])
        self.token_type_embeddings = nn.Embedding(c["type_vocab_size"], c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])
        self.dropout = nn.Dropout(0.1)
        self.register_buffer("token_type_ids", torch.zeros((1, c["max_position_embeddings"]), dtype=torch.long), persistent=False)
        self.padding_idx = c["pad_token_id"]

    def forward(self, input_ids):
        # create_position_ids_from_input_ids: real tokens count from padding_idx + 1, padding stays at padding_idx
        mask = input_ids.ne(self.padding_idx).int()
        position_ids = (torch.cumsum(mask, dim=1).type_as(mask) * mask).long() + self.padding_idx
        token_type_ids = self.token_type_ids[:, :input_ids.shape[1]].expand(input_ids.shape[0], input_ids.shape[1])
        x = self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids)
        x = x + self.position_embeddings(position_ids)
        return self.dropout(self.LayerNorm(x))


class RobertaSelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.num_attention_heads = c["num_attention_heads"]
        self.attention_head_size = c["hidden_size"] // c["num_attention_heads"]
        self.query = nn.Linear(c["hidden_size"], c["hidden_size"])
        self.key = nn.Linear(c["hidden_size"], c["hidden_size"])
        self.value = nn.Linear(c["hidden_size"], c["hidden_size"])
        self.dropout = nn.Dropout(0.1)

    def transpose_for_scores(self, x):
        x = x.view(x.size()[:-1] + (self.num_attention_heads, self.attention_head_size))
        return x.permute(0, 2, 1, 3)

    def forward(self, hidden, extended_mask):
        q = self.transpose_for_scores(self.query(hidden))
        k = self.transpose_for_scores(self.key(hidden))
        v = self.transpose_for_scores(self.value(hidden))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.attention_head_size)
        probs = self.dropout(nn.functional.softmax(scores + extended_mask, dim=-1))
        context = torch.matmul(probs, v).permute(0, 2, 1, 3).contiguous()
        return context.view(context.size()[:-2] + (self.num_attention_heads * self.attention_head_size,))


class RobertaOutput(nn.Module):
    """dense, dropout, residual, LayerNorm: the layer's output (from the intermediate size) and the attention's."""

    def __init__(self, c, inner):
        super().__init__()
        self.dense = nn.Linear(inner, c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])
        self.dropout = nn.Dropout(0.1)

    def forward(self, hidden, residual):
        return self.LayerNorm(self.dropout(self.dense(hidden)) + residual)


class RobertaAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = RobertaSelfAttention(c)
        self.output = RobertaOutput(c, c["hidden_size"])  # transformers' RobertaSelfOutput: the same modules

    def forward(self, hidden, extended_mask):
        return self.output(self.self(hidden, extended_mask), hidden)


class RobertaIntermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["intermediate_size"])

    def forward(self, hidden):
        return nn.functional.gelu(self.dense(hidden))


class RobertaLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = RobertaAttention(c)
        self.intermediate = RobertaIntermediate(c)
        self.output = RobertaOutput(c, c["intermediate_size"])

    def forward(self, hidden, extended_mask):
        attended = self.attention(hidden, extended_mask)
        return self.output(self.intermediate(attended), attended)


class RobertaEncoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList([RobertaLayer(c) for _ in range(c["num_hidden_layers"])])

    def forward(self, hidden, extended_mask):
        for layer in self.layer:
            hidden = layer(hidden, extended_mask)
        return hidden


def extended_attention_mask(attention_mask):
    # get_extended_attention_mask: 0 where attended, the dtype's minimum where masked, added to the scores
    mask = attention_mask[:, None, None, :].to(torch.float32)
    return (1.0 - mask) * torch.finfo(torch.float32).min


class RobertaModel(nn.Module):
    """add_pooling_layer=False, as every RobertaFor* head below builds it."""

    def __init__(self, c):
        super().__init__()
        self.embeddings = RobertaEmbeddings(c)
        self.encoder = RobertaEncoder(c)

    def forward(self, input_ids, attention_mask):
        return self.encoder(self.embeddings(input_ids), extended_attention_mask(attention_mask))


class RobertaForTokenClassification(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.roberta = RobertaModel(c)
        self.dropout = nn.Dropout(0.1)
        self.classifier = nn.Linear(c["hidden_size"], len(c["id2label"]))

    def forward(self, input_ids, attention_mask):
        return self.classifier(self.dropout(self.roberta(input_ids, attention_mask)))


class RobertaClassificationHead(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["hidden_size"])
        self.dropout = nn.Dropout(0.1)
        self.out_proj = nn.Linear(c["hidden_size"], len(c["id2label"]))

    def forward(self, features):
        x = self.dropout(features[:, 0, :])
        x = torch.tanh(self.dense(x))
        return self.out_proj(self.dropout(x))


class RobertaForSequenceClassification(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.roberta = RobertaModel(c)
        self.classifier = RobertaClassificationHead(c)

    def forward(self, input_ids, attention_mask):
        return self.classifier(self.roberta(input_ids, attention_mask))


class RobertaForQuestionAnswering(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.roberta = RobertaModel(c)
        self.qa_outputs = nn.Linear(c["hidden_size"], 2)

    def forward(self, input_ids, attention_mask):
        start, end = self.qa_outputs(self.roberta(input_ids, attention_mask)).split(1, dim=-1)
        return start.squeeze(-1).contiguous(), end.squeeze(-1).contiguous()


class RobertaLMHead(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["hidden_size"])
        self.layer_norm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])
        self.decoder = nn.Linear(c["hidden_size"], c["vocab_size"])
        self.bias = nn.Parameter(torch.zeros(c["vocab_size"]))
        self.decoder.bias = self.bias

    def forward(self, features):
        return self.decoder(self.layer_norm(nn.functional.gelu(self.dense(features))))


class RobertaForMaskedLM(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.roberta = RobertaModel(c)
        self.lm_head = RobertaLMHead(c)
        self.lm_head.decoder.weight = self.roberta.embeddings.word_embeddings.weight  # tie_word_embeddings

    def forward(self, input_ids, attention_mask):
        return self.lm_head(self.roberta(input_ids, attention_mask))


# ---- DistilBERT: transformers' modeling_distilbert.py module tree (eval mode) ----

class DistilEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.word_embeddings = nn.Embedding(c["vocab_size"], c["dim"], padding_idx=c["pad_token_id"])
        self.position_embeddings = nn.Embedding(c["max_position_embeddings"], c["dim"])
        self.LayerNorm = nn.LayerNorm(c["dim"], eps=1e-12)
        self.dropout = nn.Dropout(0.1)
        self.register_buffer("position_ids", torch.arange(c["max_position_embeddings"]).expand((1, -1)), persistent=False)

    def forward(self, input_ids):
        position_ids = self.position_ids[:, :input_ids.size(1)]
        x = self.word_embeddings(input_ids) + self.position_embeddings(position_ids)
        return self.dropout(self.LayerNorm(x))


class MultiHeadSelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.n_heads = c["n_heads"]
        self.dim = c["dim"]
        self.q_lin = nn.Linear(c["dim"], c["dim"])
        self.k_lin = nn.Linear(c["dim"], c["dim"])
        self.v_lin = nn.Linear(c["dim"], c["dim"])
        self.out_lin = nn.Linear(c["dim"], c["dim"])
        self.dropout = nn.Dropout(0.1)

    def forward(self, x, mask):
        bs, k_length = x.size(0), x.size(1)
        dim_per_head = self.dim // self.n_heads

        def shape(t):
            return t.view(bs, -1, self.n_heads, dim_per_head).transpose(1, 2)

        q = shape(self.q_lin(x)) / math.sqrt(dim_per_head)
        k = shape(self.k_lin(x))
        v = shape(self.v_lin(x))
        scores = torch.matmul(q, k.transpose(2, 3))
        masked = (mask == 0).view(bs, 1, 1, k_length).expand_as(scores)
        scores = scores.masked_fill(masked, torch.tensor(torch.finfo(scores.dtype).min))
        weights = self.dropout(nn.functional.softmax(scores, dim=-1))
        context = torch.matmul(weights, v).transpose(1, 2).contiguous().view(bs, -1, self.n_heads * dim_per_head)
        return self.out_lin(context)


class FFN(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.lin1 = nn.Linear(c["dim"], c["hidden_dim"])
        self.lin2 = nn.Linear(c["hidden_dim"], c["dim"])
        self.dropout = nn.Dropout(0.1)

    def forward(self, x):
        return self.dropout(self.lin2(nn.functional.gelu(self.lin1(x))))


class TransformerBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = MultiHeadSelfAttention(c)
        self.sa_layer_norm = nn.LayerNorm(c["dim"], eps=1e-12)
        self.ffn = FFN(c)
        self.output_layer_norm = nn.LayerNorm(c["dim"], eps=1e-12)

    def forward(self, x, mask):
        sa = self.sa_layer_norm(self.attention(x, mask) + x)
        return self.output_layer_norm(self.ffn(sa) + sa)


class Transformer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList([TransformerBlock(c) for _ in range(c["n_layers"])])

    def forward(self, x, mask):
        for layer in self.layer:
            x = layer(x, mask)
        return x


class DistilBertModel(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embeddings = DistilEmbeddings(c)
        self.transformer = Transformer(c)

    def forward(self, input_ids, attention_mask):
        return self.transformer(self.embeddings(input_ids), attention_mask)


class DistilBertForTokenClassification(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.distilbert = DistilBertModel(c)
        self.dropout = nn.Dropout(0.1)
        self.classifier = nn.Linear(c["dim"], len(c["id2label"]))

    def forward(self, input_ids, attention_mask):
        return self.classifier(self.dropout(self.distilbert(input_ids, attention_mask)))


class DistilBertForSequenceClassification(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.distilbert = DistilBertModel(c)
        self.pre_classifier = nn.Linear(c["dim"], c["dim"])
        self.classifier = nn.Linear(c["dim"], len(c["id2label"]))
        self.dropout = nn.Dropout(0.2)

    def forward(self, input_ids, attention_mask):
        pooled = self.distilbert(input_ids, attention_mask)[:, 0]
        pooled = nn.ReLU()(self.pre_classifier(pooled))
        return self.classifier(self.dropout(pooled))


class DistilBertForQuestionAnswering(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.distilbert = DistilBertModel(c)
        self.qa_outputs = nn.Linear(c["dim"], 2)
        self.dropout = nn.Dropout(0.1)

    def forward(self, input_ids, attention_mask):
        logits = self.qa_outputs(self.dropout(self.distilbert(input_ids, attention_mask)))
        start, end = logits.split(1, dim=-1)
        return start.squeeze(-1).contiguous(), end.squeeze(-1).contiguous()


class DistilBertForMaskedLM(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.distilbert = DistilBertModel(c)
        self.vocab_transform = nn.Linear(c["dim"], c["dim"])
        self.vocab_layer_norm = nn.LayerNorm(c["dim"], eps=1e-12)
        self.vocab_projector = nn.Linear(c["dim"], c["vocab_size"])
        self.vocab_projector.weight = self.distilbert.embeddings.word_embeddings.weight  # tie_word_embeddings

    def forward(self, input_ids, attention_mask):
        x = nn.functional.gelu(self.vocab_transform(self.distilbert(input_ids, attention_mask)))
        return self.vocab_projector(self.vocab_layer_norm(x))


MODELS = {
    "roberta": {"token-classification": RobertaForTokenClassification, "sequence-classification": RobertaForSequenceClassification,
                "question-answering": RobertaForQuestionAnswering, "masked-lm": RobertaForMaskedLM,
                "feature-extraction": RobertaModel},
    "distilbert": {"token-classification": DistilBertForTokenClassification,
                   "sequence-classification": DistilBertForSequenceClassification,
                   "question-answering": DistilBertForQuestionAnswering, "masked-lm": DistilBertForMaskedLM,
                   "feature-extraction": DistilBertModel},
}
FAMILIES = {"roberta": ("roberta_into_torchtext", "Roberta"), "distilbert": ("distilbert", "DistilBert")}
GOLDEN_KEY = {"token-classification": "token_logits", "sequence-classification": "sequence_logits",
              "question-answering": "qa_logits", "masked-lm": "mlm_logits", "feature-extraction": "last_hidden"}


def load(model, checkpoint, root=""):
    """The checkpoint's tensors this module tree has (a bare encoder's under root, the task model's prefix); the
    tied decoders are the embeddings, not stored."""
    state = model.state_dict()
    missing = [k for k in state if root + k not in checkpoint and not k.endswith("decoder.weight")
               and not k.endswith("decoder.bias") and k != "vocab_projector.weight"]
    assert not missing, missing
    model.load_state_dict({k: checkpoint[root + k] for k in state if root + k in checkpoint}, strict=False)
    return model.eval()


def check_against_references(model, head, golden):
    """The module against encoders_torch.py's float64 references (torchtext / nn.Transformer) for the same ids."""
    worst = 0.0
    for row in golden["sequences"]:
        ids = torch.tensor([row["ids"]])
        with torch.no_grad():
            out = model(ids, torch.ones_like(ids))
        if head == "question-answering":
            out = torch.stack([out[0][0], out[1][0]], dim=-1)
        else:
            out = out[0]
        expected = torch.tensor(row[GOLDEN_KEY[head]], dtype=torch.float64)
        worst = max(worst, (out.to(torch.float64) - expected).abs().max().item())
    assert worst <= TOLERANCE, f"{head}: max |diff| {worst} against the torch references"
    return worst


def dedupe_tied_decoder(path):
    """optimum's deduplication of tied weights: the MatMul's [in, out] copy of the word embeddings becomes a
    Transpose node of the embeddings' initializer, which only the Gather keeps."""
    model = onnx.load(path)
    graph = model.graph
    inits = {t.name: t for t in graph.initializer}
    gathers = {n.input[0] for n in graph.node if n.op_type == "Gather" and n.input[0] in inits}
    embeddings = [name for name in gathers if name.endswith("embeddings.word_embeddings.weight")]
    assert len(embeddings) == 1, embeddings
    reference = numpy_helper.to_array(inits[embeddings[0]])
    for i, node in enumerate(graph.node):
        if node.op_type != "MatMul" or node.input[1] not in inits:
            continue
        data = numpy_helper.to_array(inits[node.input[1]])
        if data.shape == reference.T.shape and (data == reference.T).all():
            duplicate = node.input[1]
            transposed = embeddings[0] + "_transposed"
            graph.node.insert(i, helper.make_node("Transpose", [embeddings[0]], [transposed],
                                                  name="Transpose_" + str(len(graph.node) + 1)))
            for n in graph.node:
                for j, name in enumerate(n.input):
                    if name == duplicate:
                        n.input[j] = transposed
            graph.initializer.remove(inits[duplicate])
            onnx.checker.check_model(model)
            onnx.save(model, path)
            return duplicate
    raise AssertionError("no MatMul holds the transposed word embeddings")


def export(model, head, path, sample):
    outputs = HEADS[head][1]
    axes = {"input_ids": {0: "batch_size", 1: "sequence_length"}, "attention_mask": {0: "batch_size", 1: "sequence_length"}}
    for name in outputs:
        axes[name] = {0: "batch_size"} if head == "sequence-classification" else {0: "batch_size", 1: "sequence_length"}
    # a bare encoder exports as optimum's feature-extraction: last_hidden_state only
    ids = torch.tensor([sample])
    torch.onnx.export(model, (ids, torch.ones_like(ids)), path, input_names=["input_ids", "attention_mask"],
                      output_names=outputs, dynamic_axes=axes, opset_version=14, do_constant_folding=True)


def tokenizer_json(family):
    if family == "roberta":
        special = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
        words = [w[2:] if w.startswith("##") else w for w in WORDS]
        model = {"type": "WordLevel", "vocab": {t: i for i, t in enumerate(special + words)}, "unk_token": "<unk>"}
        pre, normalizer, decoder = {"type": "Whitespace"}, None, None
        post = {"type": "RobertaProcessing", "sep": ["</s>", 2], "cls": ["<s>", 0], "trim_offsets": True, "add_prefix_space": False}
    else:
        special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
        model = {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100,
                 "vocab": {t: i for i, t in enumerate(special + WORDS)}}
        normalizer = {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True, "strip_accents": None,
                      "lowercase": True}
        pre = {"type": "BertPreTokenizer"}
        post = {"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]}
        decoder = {"type": "WordPiece", "prefix": "##", "cleanup": True}
    assert len(model["vocab"]) == 48
    added = [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True}
             for i, t in enumerate(special)]
    return {"version": "1.0", "truncation": None, "padding": None, "added_tokens": added, "normalizer": normalizer,
            "pre_tokenizer": pre, "post_processor": post, "decoder": decoder, "model": model}


def tokenizer_config(family, positions):
    if family == "roberta":
        return {"bos_token": "<s>", "cls_token": "<s>", "eos_token": "</s>", "mask_token": "<mask>", "pad_token": "<pad>",
                "sep_token": "</s>", "unk_token": "<unk>", "model_max_length": positions - 2,
                "clean_up_tokenization_spaces": False, "tokenizer_class": "RobertaTokenizer"}
    return {"cls_token": "[CLS]", "mask_token": "[MASK]", "pad_token": "[PAD]", "sep_token": "[SEP]", "unk_token": "[UNK]",
            "model_max_length": positions, "do_lower_case": True, "clean_up_tokenization_spaces": True,
            "tokenizer_class": "DistilBertTokenizer"}


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f, indent=2, sort_keys=True)
        f.write("\n")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(RESOURCES, "onnx")
    for family, (variant, prefix) in FAMILIES.items():
        folder = os.path.join(RESOURCES, "encoders", variant)
        with open(os.path.join(folder, "config.json")) as f:
            base = json.load(f)
        with open(os.path.join(RESOURCES, "encoders", variant + ".json")) as f:
            golden = json.load(f)
        checkpoint = read_safetensors(os.path.join(folder, "model.safetensors"))
        for head, (suffix, _, labels) in HEADS.items():
            config = {k: v for k, v in base.items() if k not in ("id2label", "label2id")}
            config["architectures"] = [prefix + suffix]
            if labels is not None:
                config["id2label"] = labels
                config["label2id"] = {v: int(k) for k, v in labels.items()}
            config["tie_word_embeddings"] = True
            torch.manual_seed(0)
            model = load(MODELS[family][head](config if labels is not None else dict(config, id2label=base["id2label"])),
                         checkpoint, family + "." if head == "feature-extraction" else "")
            worst = check_against_references(model, head, golden)
            target = os.path.join(out, family + "-" + head)
            os.makedirs(target, exist_ok=True)
            path = os.path.join(target, "model.onnx")
            export(model, head, path, golden["sequences"][-1]["ids"])
            deduped = dedupe_tied_decoder(path) if head == "masked-lm" else None
            write_json(os.path.join(target, "config.json"), config)
            write_json(os.path.join(target, "tokenizer.json"), tokenizer_json(family))
            write_json(os.path.join(target, "tokenizer_config.json"),
                       tokenizer_config(family, config["max_position_embeddings"]))
            print(f"{family}-{head}: {os.path.getsize(path)} bytes, max |diff| to the references {worst:.2e}"
                  + (f", tied decoder {deduped} deduplicated" if deduped else ""))


if __name__ == "__main__":
    main()
