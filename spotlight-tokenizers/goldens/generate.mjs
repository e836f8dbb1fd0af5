// Writes the golden parity files: for every tokenizer.json and every request built from corpus/,
// the response of the Rust library (npm tokenizers, the official binding) in the JSONL contract of
// dev.spotlight.tokenizers.protocol.TokenizeProtocol. See README.md for how to run it.
//
//   node generate.mjs TOKENIZER_DIR OUT_DIR [NAME...]
//
// Each output line: {"category": "...", "request": {...}, "response": {...}}. Offsets are code points.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import {createRequire} from 'node:module';
import {buildRequests} from './requests.mjs';

const {Tokenizer} = createRequire(import.meta.url)('tokenizers');

const [tokDir, outDir, ...only] = process.argv.slice(2);
if (!tokDir || !outDir) {
  console.error('usage: node generate.mjs TOKENIZER_DIR OUT_DIR [NAME...]');
  process.exit(1);
}
const checked = new Set(); // padding/truncation blocks already proven by checkSetting
const names = only.length ? only : Object.keys(JSON.parse(fs.readFileSync(new URL('./tokenizers.sha256.json', import.meta.url))));

fs.mkdirSync(outDir, {recursive: true});
for (const name of names) {
  const file = path.join(tokDir, name + '.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  const tok = Tokenizer.fromFile(file);
  const lines = [];
  for (const {category, request: proposed} of buildRequests(json)) {
    const request = await withoutFatalStride(tok, proposed);
    if (!request) continue;
    lines.push(JSON.stringify({category, request, response: await respond(tok, json, request)}));
  }
  const out = path.join(outDir, name + '.jsonl.gz');
  // mtime 0 in the gzip header keeps regenerated files byte-identical when nothing changed
  fs.writeFileSync(out, zlib.gzipSync(lines.join('\n') + '\n', {level: 9}));
  console.log(`${name}: ${lines.length} requests -> ${out}`);
}

/** The contract: absent key keeps the file's setting, null disables it, a block replaces it. */
async function respond(tok, json, request) {
  try {
    setPadding(tok, 'padding' in request ? request.padding : json.padding);
    setTruncation(tok, 'truncation' in request ? request.truncation : json.truncation);
    const options = {addSpecialTokens: request.add_special_tokens ?? true};
    const padding = 'padding' in request ? request.padding : json.padding;
    const encodings = request.texts
      ? await tok.encodeBatch(request.texts, options)
      : await encodePairs(tok, request.pairs, options, padding);
    const ids = encodings.map(e => e.getIds());
    return {
      encodings: encodings.map(encoding),
      decoded: {skip_special: await tok.decodeBatch(ids, true), keep_special: await tok.decodeBatch(ids, false)},
    };
  } catch (e) {
    // Errors of the library come through napi with a status code; anything else is a bug here
    if (!e.code) throw e;
    return {error: String(e.message)};
  }
}

// The binding's encodeBatch takes no pairs. Rust's batch padding pads every encoding to the batch's
// longest (rounded up to pad_to_multiple_of); a Fixed length of exactly that size gives the same result.
async function encodePairs(tok, pairs, options, padding) {
  if (padding && padding.strategy === 'BatchLongest') {
    tok.disablePadding();
    const unpadded = [];
    for (const [a, b] of pairs) unpadded.push(await tok.encode(a, b, options));
    let longest = Math.max(0, ...unpadded.map(e => e.getLength()));
    const multiple = padding.pad_to_multiple_of;
    if (multiple && longest % multiple) longest += multiple - (longest % multiple);
    setPadding(tok, {...padding, strategy: {Fixed: longest}});
  }
  const out = [];
  for (const [a, b] of pairs) out.push(await tok.encode(a, b, options));
  return out;
}

// Rust asserts (and the whole Node process dies) when a pair's truncated sequence ends up no longer
// than the stride. Those pairs are dropped from the request, so the goldens hold only answers the
// library gives; the Java side is expected to raise a clear error there instead (tested elsewhere).
async function withoutFatalStride(tok, request) {
  const t = 'truncation' in request ? request.truncation : null;
  if (!request.pairs || !t || !t.stride) return request;
  tok.disablePadding();
  tok.disableTruncation();
  const addSpecial = request.add_special_tokens ?? true;
  const added = addSpecial ? (await tok.encode('a', 'b', {addSpecialTokens: true})).getLength()
      - (await tok.encode('a', 'b', {addSpecialTokens: false})).getLength() : 0;
  const room = t.max_length - added;
  const safe = [];
  for (const [a, b] of request.pairs) {
    const n1 = (await tok.encode(a, null, {addSpecialTokens: false})).getLength();
    const n2 = (await tok.encode(b, null, {addSpecialTokens: false})).getLength();
    if (n1 + n2 <= room) { safe.push([a, b]); continue; }
    const kept = t.strategy === 'OnlyFirst' ? [room - n2] : t.strategy === 'OnlySecond' ? [room - n1] : [Math.floor(room / 2)];
    if (kept.every(k => k < 1 || k > t.stride)) safe.push([a, b]);
  }
  return safe.length ? {...request, pairs: safe} : null;
}

function encoding(e) {
  return {
    ids: e.getIds(),
    tokens: e.getTokens(),
    offsets: e.getOffsets(),
    attention_mask: e.getAttentionMask(),
    type_ids: e.getTypeIds(),
    special_tokens_mask: e.getSpecialTokensMask(),
    word_ids: e.getWordIds().map(w => w ?? null),
    sequence_ids: e.getSequenceIds().map(s => s ?? null),
    overflowing: e.getOverflowing().map(encoding),
  };
}

function setPadding(tok, p) {
  if (!p) {
    tok.disablePadding();
    return;
  }
  tok.setPadding({
    maxLength: typeof p.strategy === 'object' ? p.strategy.Fixed : undefined,
    direction: p.direction.toLowerCase(),
    padToMultipleOf: p.pad_to_multiple_of ?? undefined,
    padId: p.pad_id,
    padTypeId: p.pad_type_id,
    padToken: p.pad_token,
  });
  checkSetting(tok, 'padding', p);
}

function setTruncation(tok, t) {
  if (!t) {
    tok.disableTruncation();
    return;
  }
  tok.setTruncation(t.max_length, {stride: t.stride, strategy: t.strategy, direction: t.direction.toLowerCase()});
  checkSetting(tok, 'truncation', t);
}

// The binding's option names differ from the JSON's; saving once per distinct block proves that
// what the Rust side holds is exactly the block the request names.
function checkSetting(tok, key, block) {
  const want = JSON.stringify(block);
  if (checked.has(key + want)) return;
  const tmp = path.join(outDir, '.check.json');
  tok.save(tmp);
  const held = JSON.parse(fs.readFileSync(tmp, 'utf8'))[key];
  fs.unlinkSync(tmp);
  const norm = o => JSON.stringify(Object.fromEntries(Object.entries(o).sort()));
  if (norm(held) !== norm(block)) {
    console.error(`generator bug: asked for ${key} ${want}, the tokenizer holds ${JSON.stringify(held)}`);
    process.exit(2);
  }
  checked.add(key + want);
}
