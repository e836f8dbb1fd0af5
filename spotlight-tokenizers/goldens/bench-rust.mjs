// Throughput of the Hugging Face Rust library (npm tokenizers, the official binding) on the same
// lines as `spotlight bench tokenize`, measured the same way: padding and truncation off, special
// tokens on, encodeBatch over batches of --batch lines, one warm-up pass, median of --repeat passes.
// Runs itself once per thread count (RAYON_NUM_THREADS is read when the library starts).
//
//   node bench-rust.mjs --tokenizer FILE --lines FILE [--batch 1000] [--repeat 5] [--threads 1,2]
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import {createRequire} from 'node:module';
import {fileURLToPath} from 'node:url';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) =>
  a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc, []));
if (!args.tokenizer || !args.lines) {
  console.error('usage: node bench-rust.mjs --tokenizer FILE --lines FILE [--batch 1000] [--repeat 5] [--threads 1,2]');
  process.exit(1);
}
const batch = Number(args.batch || 1000);
const repeat = Number(args.repeat || 5);

if (!process.env.RAYON_NUM_THREADS) {
  for (const threads of (args.threads || '1,2').split(',')) {
    const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), ...process.argv.slice(2)],
      {env: {...process.env, RAYON_NUM_THREADS: threads}, stdio: 'inherit'});
    if (run.status !== 0) process.exit(run.status ?? 1);
  }
  process.exit(0);
}

const {Tokenizer} = createRequire(import.meta.url)('tokenizers');
const tok = Tokenizer.fromFile(args.tokenizer);
tok.disablePadding();
tok.disableTruncation();
const lines = fs.readFileSync(args.lines, 'utf8').split('\n');
if (lines[lines.length - 1] === '') lines.pop();

async function pass() {
  let tokens = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < lines.length; i += batch) {
    for (const e of await tok.encodeBatch(lines.slice(i, i + batch))) tokens += e.getLength();
  }
  return {seconds: Number(process.hrtime.bigint() - start) / 1e9, tokens};
}

await pass(); // warm-up
const runs = [];
for (let r = 0; r < repeat; r++) runs.push(await pass());
runs.sort((a, b) => a.seconds - b.seconds);
const median = runs[Math.floor(runs.length / 2)];
console.log(`rust tokenizers 0.23.2  encodeBatch  threads=${process.env.RAYON_NUM_THREADS}  ${lines.length} lines  `
  + `${median.tokens} tokens  ${Math.round(lines.length / median.seconds)} lines/s  `
  + `${(median.tokens / median.seconds / 1e6).toFixed(3)} M tokens/s  (median of ${repeat})`);
