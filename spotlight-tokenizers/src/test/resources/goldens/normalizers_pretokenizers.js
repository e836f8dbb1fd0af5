// Regenerates normalizers_pretokenizers.jsonl.gz from the Rust library through its Node binding:
//   cd /tmp/x && npm install tokenizers@0.23.2 && NODE_PATH=/tmp/x/node_modules node <this file> | gzip -9 > normalizers_pretokenizers.jsonl.gz
// Each line: a component config, an input, and what Hugging Face makes of it. Offsets are code points.
const {Tokenizer} = require('tokenizers');
const zlib = require('zlib');
const fs = require('fs');
const path = require('path');

// The SentencePiece nmt_nfkc charsmap (from huggingface/spm_precompiled), referred to by file name in the output.
const PRECOMPILED = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(__dirname, "precompiled_nmt_nfkc.json.gz"))).toString());
const PRECOMPILED_REF = {type: "Precompiled", precompiled_charsmap_file: "precompiled_nmt_nfkc.json.gz"};
function ref(c) {
  if (c === PRECOMPILED) return PRECOMPILED_REF;
  if (c && c.normalizers) return {...c, normalizers: c.normalizers.map(ref)};
  return c;
}

function tokenizer(normalizer, pre) {
  return Tokenizer.fromString(JSON.stringify({version: "1.0", truncation: null, padding: null, added_tokens: [],
    normalizer, pre_tokenizer: pre, post_processor: null, decoder: null,
    model: {type: "WordLevel", vocab: {"[UNK]": 0}, unk_token: "[UNK]"}}));
}

let seed = Number(process.env.SEED || 20240611);
function rand(n) { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; }

const POOLS = [
  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789", " ", "  \t\n\r", ".,;:!?'\"()-_/\\@#$%^&*[]{}<>=+~`|",
  "éÄñßİıΣςΑàÉœÆŒøÇ", "\u0301\u0323\u0302\u0308\u0327\u031B\u0345", "中文字漢語日本語ひらがなカタカナー한국어",
  "\u1100\u1161\u11A8", "\u00A0\u2000\u2003\u200A\u3000\u0085\u2028\u2029\u202F\u205F\u1680",
  "\u200B\u200C\u200D\uFEFF\u0000\u0001\u007F\u009F\uFFFD\uE000\uE001\uF8FF\u00AD",
  "٣²½Ⅻ０９۵", "ﬁｶ㈱ﷺໜﻼ㎏ℌ", "👍🏽👨‍👩‍👧🇫🇷❤️🥰\u{1FAE0}\u{1FAE8}", "\u0897\u{1E4EC}\u{11F00}\u{20000}\u{1D400}\u{2A700}",
  "مرحبا بالعالم", "สวัสดีครับ", "नमस्ते क्षत्रिय", "שָׁלוֹם", "'s'S'll'LL'ſ're've'd'm't",
  "ｱｲｳｴｵｶﾞﾊﾟ\uFF9E\uFF9F", "\u0E33\u0EB3\u0EDC\u0EDD", "\uFE8D\uFEFB\uFEF5\uFDF2",
  "\u2460\u3250\u33FF\u{1F100}", "\u0915\u094D\u0937\u093F", "\u1100\u1161\u11A8\uAC00",
  "Ⓐ①⑴⒈ǅǈ", "\u0130\u03A3\u1E9E\u2126\u212A",
];
function randomString(len) {
  let s = "";
  for (let i = 0; i < len; i++) {
    const pool = Array.from(POOLS[rand(POOLS.length)]);
    const run = 1 + rand(4);
    for (let k = 0; k < run; k++) s += pool[rand(pool.length)];
  }
  return s;
}

const FIXED = [
  "", " ", "Hello, world!", "  leading and trailing  ", "ΣΑΣ İstanbul", "Héllo wörld café naïve",
  "e\u0301 a\u0323\u0302 ệ\u0323 \u1100\u1161\u11A8 가각", "中文字 and 日本語テスト", "I'm you'll they'RE it's", "a  b   c    d\n\n e\r\n f",
  "tabs\tand\u00A0nbsp\u3000ideographic", "emoji 👨‍👩‍👧 family 🇫🇷 flag 👍🏽", "ﬁ ｶﾞ ㈱ ﷺ ໜ ﻼ", "\u0000\u0001ctrl\u007F\uFFFD\uE000x\uE001",
  "12345 6789 ٣٤ ²½", "   ", "\n\n\n", "a\u0301\u0301\u0301", "x" + " ".repeat(20) + "y", "hello\u200Bworld\u200D!",
  "\u0130", "\u03A3\u03A3", "𝐀𝐁𝐂 \u{20000}\u{20001}", "'ſ 'S 'LL", "price: $1,234.56!!", "1234567",
];
// RANDOM=n SEED=s give a larger corpus for one-off checks; the committed file uses the defaults
const INPUTS = FIXED.concat(Array.from({length: Number(process.env.RANDOM || 60)}, () => randomString(1 + rand(12))));

const NORMALIZERS = [
  {type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true},
  {type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: false},
  {type: "BertNormalizer", clean_text: false, handle_chinese_chars: false, strip_accents: true, lowercase: false},
  {type: "NFC"}, {type: "NFD"}, {type: "NFKC"}, {type: "NFKD"}, {type: "Lowercase"}, {type: "Nmt"},
  {type: "Strip", strip_left: true, strip_right: true}, {type: "Strip", strip_left: true, strip_right: false},
  {type: "Strip", strip_left: false, strip_right: true}, {type: "StripAccents"},
  {type: "Sequence", normalizers: [{type: "NFD"}, {type: "StripAccents"}, {type: "Lowercase"}]},
  {type: "Replace", pattern: {String: " "}, content: "▁"}, {type: "Replace", pattern: {String: "  "}, content: " "},
  {type: "Replace", pattern: {Regex: "\\s+"}, content: "_"}, {type: "Replace", pattern: {Regex: " {2,}"}, content: ""},
  {type: "Replace", pattern: {Regex: "a*"}, content: "<>"},
  {type: "Prepend", prepend: "▁"}, {type: "ByteLevel"},
  {type: "Replace", pattern: {String: ""}, content: "x"}, {type: "Prepend", prepend: ""}, {type: "Replace", pattern: {Regex: "$"}, content: "!"},
  {type: "Sequence", normalizers: [{type: "Prepend", prepend: "▁"}, {type: "Replace", pattern: {String: " "}, content: "▁"}]},
  {type: "Sequence", normalizers: [{type: "NFKC"}, {type: "Lowercase"}, {type: "Strip", strip_left: true, strip_right: true}]},
  PRECOMPILED,
  {type: "Sequence", normalizers: [PRECOMPILED, {type: "Replace", pattern: {Regex: " {2,}"}, content: " "}]},
];
const GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
const LLAMA3 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const QWEN2 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const O200K = "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const BEHAVIORS = ["Removed", "Isolated", "MergedWithPrevious", "MergedWithNext", "Contiguous"];
const PRETOKENIZERS = [
  {type: "BertPreTokenizer"}, {type: "Whitespace"}, {type: "WhitespaceSplit"}, {type: "UnicodeScripts"},
  {type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true},
  {type: "ByteLevel", add_prefix_space: false, trim_offsets: false, use_regex: true},
  {type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: false},
  {type: "Metaspace", replacement: "▁", prepend_scheme: "always", split: true},
  {type: "Metaspace", replacement: "▁", prepend_scheme: "first", split: true},
  {type: "Metaspace", replacement: "▁", prepend_scheme: "never", split: false},
  {type: "Digits", individual_digits: true}, {type: "Digits", individual_digits: false},
  {type: "CharDelimiterSplit", delimiter: "-"}, {type: "FixedLength", length: 3},
  {type: "Split", pattern: {Regex: GPT2}, behavior: "Isolated", invert: false},
  {type: "Split", pattern: {Regex: LLAMA3}, behavior: "Isolated", invert: false},
  {type: "Split", pattern: {Regex: QWEN2}, behavior: "Isolated", invert: false},
  {type: "Split", pattern: {Regex: O200K}, behavior: "Isolated", invert: false},
  {type: "Split", pattern: {Regex: "a*"}, behavior: "Isolated", invert: false},
  {type: "Split", pattern: {String: ""}, behavior: "Isolated", invert: false},
  {type: "Split", pattern: {Regex: "x*"}, behavior: "MergedWithNext", invert: true},
  {type: "Split", pattern: {Regex: "(?m)a.b|[[:punct:]]+|[[:alpha:]]+|[[:^space:][:digit:]]|(?i:[[:upper:]])"}, behavior: "Isolated", invert: false},
  {type: "Split", pattern: {Regex: "\\A\\s|\\s\\Z|\\R|\\x{41}|\\p{^L}{2}"}, behavior: "Isolated", invert: false},
  {type: "Split", pattern: {Regex: "\\w+"}, behavior: "Removed", invert: true},
  {type: "Split", pattern: {Regex: "(?<=\\p{Ll})(?=\\p{Lu})"}, behavior: "Isolated", invert: false},
  // patterns of other published tokenizer.json files (DeepSeek-V3, BLOOM) and Oniguruma syntax corners
  {type: "Split", pattern: {Regex: "[\u4e00-\u9fa5\u3040-\u309f\u30a0-\u30ff]+"}, behavior: "Isolated", invert: false},
  {type: "Split", pattern: {Regex: "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+"}, behavior: "Isolated", invert: false},
  {type: "Split", pattern: {Regex: " ?[^(\\s|[.,!?…。，、।۔،])]+"}, behavior: "Isolated", invert: false},
  {type: "Split", pattern: {Regex: "^\\s+|\\s+$|."}, behavior: "Isolated", invert: false},
  {type: "Split", pattern: {Regex: "[a-z]+|\\h+|\\W"}, behavior: "Isolated", invert: false},
  {type: "Split", pattern: {Regex: "\\p{Han}+|\\p{Hiragana}+|\\P{L}+"}, behavior: "Isolated", invert: false},
  {type: "Sequence", pretokenizers: [{type: "WhitespaceSplit"}, {type: "Digits", individual_digits: true},
    {type: "Metaspace", replacement: "▁", prepend_scheme: "first", split: true}]},
  {type: "Sequence", pretokenizers: [{type: "Split", pattern: {Regex: LLAMA3}, behavior: "Isolated", invert: false},
    {type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: false}]},
].concat(BEHAVIORS.flatMap(b => [
  {type: "Punctuation", behavior: b},
  {type: "Split", pattern: {String: " "}, behavior: b, invert: false},
  {type: "Split", pattern: {String: " "}, behavior: b, invert: true},
  {type: "Split", pattern: {Regex: "\\d+|[,.]"}, behavior: b, invert: false},
  {type: "Split", pattern: {Regex: "\\d+|[,.]"}, behavior: b, invert: true},
]));
const PIPELINES = [
  [NORMALIZERS[0], {type: "BertPreTokenizer"}],
  [{type: "NFKC"}, {type: "Metaspace", replacement: "▁", prepend_scheme: "first", split: true}],
  [{type: "Sequence", normalizers: [{type: "Strip", strip_left: true, strip_right: true}, {type: "NFD"}]}, {type: "Whitespace"}],
  [{type: "Lowercase"}, {type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true}],
  [PRECOMPILED, {type: "Metaspace", replacement: "▁", prepend_scheme: "always", split: true}],
];
const CHARS = {type: "Split", pattern: {Regex: "[\\s\\S]"}, behavior: "Isolated", invert: false};

(async () => {
  const out = [];
  for (const n of NORMALIZERS) {
    const t = tokenizer(n, CHARS);
    for (const input of INPUTS) {
      const normalized = t.getNormalizer().normalizeString(input);
      const e = await t.encode(input);
      out.push({kind: "normalizer", config: ref(n), input, normalized, alignments: e.getOffsets()});
    }
  }
  for (const p of PRETOKENIZERS) {
    const t = tokenizer(null, p);
    for (const input of INPUTS) {
      const pieces = t.getPreTokenizer().preTokenizeString(input).map(([text, [s, e]]) => [text, s, e]);
      out.push({kind: "pretokenizer", config: p, input, pieces});
    }
  }
  for (const [n, p] of PIPELINES) {
    const t = tokenizer(n, p);
    for (const input of INPUTS) {
      const e = await t.encode(input);
      out.push({kind: "pipeline", normalizer: ref(n), config: p, input, offsets: e.getOffsets()});
    }
  }
  for (const o of out) console.log(JSON.stringify(o));
})();
