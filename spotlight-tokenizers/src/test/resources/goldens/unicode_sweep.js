// Regenerates unicode_sweep.jsonl: every code point (in chunks of 4096, surrogates left out) through
// Unicode-sensitive components of the Rust library (npm tokenizers@0.23.2), reduced to one FNV-1a
// hash per chunk so that the whole Unicode range fits in a small file:
//   NODE_PATH=/path/to/node_modules node unicode_sweep.js > unicode_sweep.jsonl
// Variant "plain" is the code points in order; "marks" puts U+0323 U+0301 after each one.
const {Tokenizer} = require('tokenizers');
const zlib = require('zlib');
const fs = require('fs');
const path = require('path');

function tokenizer(normalizer, pre) {
  return Tokenizer.fromString(JSON.stringify({version: "1.0", truncation: null, padding: null, added_tokens: [],
    normalizer, pre_tokenizer: pre, post_processor: null, decoder: null,
    model: {type: "WordLevel", vocab: {"[UNK]": 0}, unk_token: "[UNK]"}}));
}
function fnv(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
  return h.toString(16).padStart(8, "0");
}
const precompiled = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(__dirname, "precompiled_nmt_nfkc.json.gz"))).toString());
const PRECOMPILED_REF = {type: "Precompiled", precompiled_charsmap_file: "precompiled_nmt_nfkc.json.gz"};
const CHARS = {type: "Split", pattern: {Regex: "[\\s\\S]"}, behavior: "Isolated", invert: false};
const NORMALIZERS = [
  {type: "NFC"}, {type: "NFD"}, {type: "NFKC"}, {type: "NFKD"}, {type: "Lowercase"}, {type: "StripAccents"}, {type: "Nmt"},
  {type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true},
  {type: "BertNormalizer", clean_text: true, handle_chinese_chars: false, strip_accents: false, lowercase: false},
  precompiled,
];
const LLAMA3 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const O200K = "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const PRETOKENIZERS = [
  {type: "BertPreTokenizer"}, {type: "Whitespace"}, {type: "WhitespaceSplit"}, {type: "UnicodeScripts"},
  {type: "Digits", individual_digits: false}, {type: "Punctuation", behavior: "Isolated"},
  {type: "ByteLevel", add_prefix_space: false, trim_offsets: false, use_regex: true},
  {type: "Split", pattern: {Regex: LLAMA3}, behavior: "Isolated", invert: false},
  {type: "Split", pattern: {Regex: O200K}, behavior: "Isolated", invert: false},
  {type: "Split", pattern: {Regex: "\\w+|\\d+|\\s+"}, behavior: "Isolated", invert: false},
].concat(["alnum", "alpha", "blank", "cntrl", "digit", "lower", "upper", "punct", "space", "word", "xdigit"].map(name =>
  ({type: "Split", pattern: {Regex: "[[:" + name + ":]]"}, behavior: "Isolated", invert: false})));
function chunk(start, marks) {
  let s = "";
  for (let cp = start; cp < Math.min(start + 4096, 0x110000); cp++) {
    if (cp >= 0xD800 && cp < 0xE000) continue;
    s += String.fromCodePoint(cp);
    if (marks) s += "\u0323\u0301";
  }
  return s;
}
(async () => {
  for (const marks of [false, true]) {
    const variant = marks ? "marks" : "plain";
    for (const n of NORMALIZERS) {
      const t = tokenizer(n, CHARS);
      const hashes = [];
      for (let start = 0; start < 0x110000; start += 4096) {
        const input = chunk(start, marks);
        const normalized = t.getNormalizer().normalizeString(input);
        const offsets = (await t.encode(input)).getOffsets();
        hashes.push(fnv(normalized + "|" + offsets.map(o => o[0] + "," + o[1]).join(";")));
      }
      console.log(JSON.stringify({kind: "normalizer", variant, config: n === precompiled ? PRECOMPILED_REF : n, hashes}));
    }
    for (const p of PRETOKENIZERS) {
      const t = tokenizer(null, p);
      const hashes = [];
      for (let start = 0; start < 0x110000; start += 4096) {
        const pieces = t.getPreTokenizer().preTokenizeString(chunk(start, marks));
        hashes.push(fnv(pieces.map(([text, [s, e]]) => text + "\u0001" + s + "," + e).join("\u0002")));
      }
      console.log(JSON.stringify({kind: "pretokenizer", variant, config: p, hashes}));
    }
  }
})();
