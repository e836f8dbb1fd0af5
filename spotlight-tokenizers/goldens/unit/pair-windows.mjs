// Expected overflow windows over whole texts (PairWindowsParityTest): Tokenizer.encodeWholeText
// against the Rust library as it was before the early exit of huggingface/tokenizers#1990, and
// Tokenizer.encode against tokenizers 0.23.2 on the same requests.
//
// tokenizers 0.23.1 and 0.23.2 stop tokenizing a sequence that truncation may cut at max_length tokens,
// so their overflow windows never reach past about the first max_length tokens of a long text
// (huggingface/tokenizers#2091; the fix #2098 is not released). The last npm binding published before
// that change is the native module of tokenizers 0.13.4-rc2 (npm tokenizers-linux-x64-gnu; the
// tokenizers@0.13.3 package names a 0.13.3 binary that the registry does not have, so the module is
// loaded directly). It tokenizes the whole text and then cuts it, as 0.22.2 does. This script checks,
// and exits non-zero otherwise, that the two versions agree wherever 0.23.2's early exit cannot drop
// anything (each sequence truncation may cut has at most max_length tokens), so the old binding
// differs only by the bug.
//
// Run from this folder after `npm install --no-save` in ../ (Linux x64) and with the tokenizer.json
// files fetched into ../target/tokenizers (see ../README.md):
//
//   node unit/pair-windows.mjs ../target/tokenizers | gzip -n > ../src/test/resources/goldens/unit/pair_windows.jsonl.gz
//
// Each line: {"name", "tokenizer" (a file name in the fetched folder, or an inline tokenizer.json),
// "first", "second" (null for a single text), "truncation", "tokens" (each sequence's token count
// alone, without special tokens, by 0.23.2), "whole" (0.13.4's encoding, overflowing windows
// nested as Rust returns them, or {"error"}), "limited" (0.23.2's)}.
import {createRequire} from 'node:module';
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {byteLevel, template, tokenizer} from './toy-tokenizers.mjs';

const require = createRequire(import.meta.url);
const Current = require('../node_modules/tokenizers').Tokenizer;
const Whole = require('../node_modules/tokenizers-0.13').Tokenizer;

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node unit/pair-windows.mjs TOKENIZERS_DIR');
  process.exit(2);
}

// A deterministic generator (a 31-bit LCG), so the goldens come out the same on every run.
let seed = 20261206;
const random = n => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return Math.floor(seed / 65536) % n;
};

const corpus = fs.readFileSync(new URL('../corpus/texts.jsonl', import.meta.url), 'utf8').trim().split('\n')
  .map(line => JSON.parse(line)).filter(t => t.category !== 'long' && t.text.length < 400).map(t => t.text);
const questions = ['Where does John live?', 'who?', 'What is the capital of France, and since when?',
  'Quand la tour a-t-elle été construite ?', '東京はどこですか？', 'Why 😀?', 'a'];
// A context: corpus texts (every script, emoji, control characters, code, URLs) joined by spaces.
const context = texts => Array.from({length: texts}, () => corpus[random(corpus.length)]).join(' ');

// Unigram tokenizers are left out: albert-unigram (its Metaspace block rewritten for 0.13.4) gives other
// word ids on Hangul in 0.13.4 than in 0.23.2 even where nothing is truncated, which the check below caught.

// Small inline tokenizers: BertProcessing, a template with multi-token specials and type ids 2/3,
// RoBERTa's processing over byte-level BPE pieces.
const roberta = tokenizer({
  ...byteLevel,
  post_processor: {type: 'RobertaProcessing', sep: ['</s>', 25], cls: ['<s>', 24], trim_offsets: true, add_prefix_space: true},
});
const letterWords = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'hello', 'world', 'xyz'];
const letters = n => Array.from({length: n}, () => letterWords[random(letterWords.length)]).join(' ');

const tokenizers = [
  // [name, tokenizer.json (object), how it is named in the golden, text source]
  ...['all-minilm-l6-v2', 'bge-small-en-v1.5', 'bge-small-zh-v1.5', 'wordlevel-bert-words', 'llama3', 'gpt4o']
    .map(name => [name, JSON.parse(fs.readFileSync(path.join(dir, name + '.json'), 'utf8')), name, 'corpus']),
  ['inline-bert', tokenizer({}), null, 'letters'],
  ['inline-template', tokenizer({post_processor: template}), null, 'letters'],
  ['inline-roberta', roberta, null, 'letters'],
];

const cases = [];
for (const [name, json, file, source] of tokenizers) {
  const text = n => source === 'corpus' ? context(n) : letters(4 * n);
  const question = () => source === 'corpus' ? questions[random(questions.length)] : letters(1 + random(4));
  for (let i = 0; i < 36; i++) {
    const maxLength = 10 + random(40);
    // below max_length less the single-text special tokens: setting a larger one kills 0.23.2's binding
    const stride = Math.min(random(12), maxLength - 4);
    const kind = i % 9;
    // question first, truncation only_second: the question-answering pipeline with right padding;
    // context first, only_first: with left padding; then longest_first pairs, single texts, left truncation
    const strategy = kind < 4 ? 'OnlySecond' : kind < 6 ? 'OnlyFirst' : 'LongestFirst';
    const direction = kind === 3 || kind === 5 ? 'Left' : 'Right';
    const long = text(1 + random(6));
    let first = long;
    let second = null;
    if (strategy === 'OnlySecond') [first, second] = [question(), long];
    if (strategy === 'OnlyFirst') second = question();
    if (kind === 6) second = text(1 + random(3));
    cases.push({name: `${name}_${i}`, json, file, first, second, truncation: {max_length: maxLength, strategy, direction, stride}});
  }
  if (source === 'corpus') {
    // the pipeline's defaults on a long context: max_seq_len 384, doc_stride 128
    for (let i = 0; i < 2; i++) {
      cases.push({name: `${name}_default_${i}`, json, file, first: questions[i], second: context(60),
        truncation: {max_length: 384, strategy: 'OnlySecond', direction: 'Right', stride: 128}});
    }
  }
}

// Rust asserts that a stride is less than what a cut sequence keeps and the process dies (a
// panic), so each version answers the cases in a child process, started again past a case that killed it.
if (process.argv[3] === '--answer') {
  // the cases come out the same here as in the parent: the generator is seeded
  const [, , , , version, from] = process.argv;
  const Tokenizer = version === 'whole' ? Whole : Current;
  const loaded = new Map();
  for (const c of cases.slice(Number(from))) {
    if (!loaded.has(c.json)) {
      loaded.set(c.json, Tokenizer.fromString(JSON.stringify(c.json)));
    }
    process.stdout.write(JSON.stringify(await respond(loaded.get(c.json), c)) + '\n');
  }
  process.exit(0);
}

function answers(version) {
  const out = [];
  while (out.length < cases.length) {
    const run = spawnSync(process.execPath, [process.argv[1], dir, '--answer', version, String(out.length)],
      {encoding: 'utf8', maxBuffer: 1 << 30});
    const lines = run.stdout.split('\n').filter(l => l.length > 0);
    out.push(...lines.map(l => JSON.parse(l)));
    if (run.status !== 0) {
      if (!/assertion failed: stride < max_len|`stride` must be strictly less than `max_len/.test(run.stderr)) {
        console.error(`${version}: case ${cases[out.length].name} failed:\n${run.stderr}`);
        process.exit(1);
      }
      out.push({error: 'Rust panics: the stride must be less than the tokens the cut sequence keeps'});
    }
  }
  return out;
}

const wholes = answers('whole');
const limiteds = answers('limited');
let bugs = 0;
const tokenizersByJson = new Map();
for (let i = 0; i < cases.length; i++) {
  const c = cases[i];
  if (!tokenizersByJson.has(c.json)) tokenizersByJson.set(c.json, Current.fromString(JSON.stringify(c.json)));
  const current = tokenizersByJson.get(c.json);
  current.disableTruncation(); // all-minilm-l6-v2's file truncates at 128
  current.disablePadding();
  const tokens = [];
  for (const s of [c.first, c.second]) {
    if (s !== null) tokens.push((await current.encode(s, null, {addSpecialTokens: false})).getLength());
  }
  const [whole, limited] = [wholes[i], limiteds[i]];
  const same = JSON.stringify(whole) === JSON.stringify(limited);
  if (tokens.every(n => n <= c.truncation.max_length) && !same) {
    console.error(`${c.name}: 0.13.4 and 0.23.2 differ although no sequence has more than max_length tokens`);
    process.exit(1);
  }
  bugs += same ? 0 : 1;
  console.log(JSON.stringify({name: c.name, tokenizer: c.file ?? c.json, first: c.first, second: c.second,
    truncation: c.truncation, tokens, whole, limited}));
}
console.error(`${cases.length} cases, ${bugs} where 0.23.2's windows stop early`);

async function respond(tok, c) {
  tok.disablePadding();
  const t = c.truncation;
  try {
    tok.setTruncation(t.max_length, {stride: t.stride, strategy: t.strategy, direction: t.direction.toLowerCase()});
    return encoding(await tok.encode(c.first, c.second, {addSpecialTokens: true}));
  } catch (e) {
    if (!e.code) throw e;
    return {error: String(e.message)};
  }
}

function encoding(e) {
  return {
    ids: e.getIds(), offsets: e.getOffsets(), type_ids: e.getTypeIds(), special_tokens_mask: e.getSpecialTokensMask(),
    attention_mask: e.getAttentionMask(), word_ids: e.getWordIds().map(w => w ?? null),
    sequence_ids: e.getSequenceIds().map(s => s ?? null), overflowing: e.getOverflowing().map(encoding),
  };
}
