// Writes the tokenizer benchmark corpus: 10,000 English lines, the same bytes on every machine
// (a fixed linear congruential generator over word lists written for this file).
//
//   node bench-lines.mjs > target/bench-lines.txt        (or: node bench-lines.mjs OUT_FILE)
import fs from 'node:fs';

const LINES = 10_000;
const SUBJECTS = ['the old miller', 'a young sailor', 'the village doctor', 'my grandmother', 'the committee', 'every traveller',
  'the quiet librarian', 'a stranger from the north', 'the children', 'our neighbour', 'the captain', 'a weary merchant',
  'the schoolmaster', 'her brother', 'the gardener', 'a clever fox', 'the blacksmith', 'the council of elders'];
const VERBS = ['walked along', 'wrote about', 'looked across', 'remembered', 'carried', 'described', 'repaired', 'painted',
  'argued over', 'discovered', 'measured', 'sold', 'borrowed', 'forgot', 'returned to', 'counted', 'sang about', 'guarded'];
const OBJECTS = ['the narrow bridge', 'a basket of apples', 'the long winter', 'three silver coins', 'the river valley',
  'an unfinished letter', 'the lighthouse', 'a map of the coast', 'the harvest festival', 'forty-two lanterns',
  'the broken clock', 'a book of poems', 'the mountain road', 'the evening train', 'a box of old photographs'];
const TAILS = ['before the sun went down', 'while the rain kept falling', 'because nobody else would', 'in the spring of 1887',
  'without saying a word', 'as the bells rang at noon', 'for the third time that week', 'although it was nearly midnight',
  'until the fire burned low', 'with great care and patience', 'at exactly 7:45 in the morning', 'near the edge of town'];
const OPENERS = ['', '', '', 'However, ', 'Later that day, ', 'In the end, ', 'Some say that ', 'Of course, ', 'Meanwhile, ',
  '"Listen," she said, ', 'According to the records, '];
const ENDINGS = ['.', '.', '.', '!', '?', '...', '; nobody knows why.', ', and that was that.', ' (or so the story goes).'];

let seed = 20251125;
function pick(list) {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return list[Math.floor(seed / 65536) % list.length];
}

const out = [];
for (let i = 0; i < LINES; i++) {
  const sentences = 1 + (i % 3);
  let line = '';
  for (let s = 0; s < sentences; s++) {
    let sentence = pick(OPENERS) + pick(SUBJECTS) + ' ' + pick(VERBS) + ' ' + pick(OBJECTS) + ' ' + pick(TAILS) + pick(ENDINGS);
    sentence = sentence.replace(/^("?)(\w)/, (m, q, c) => q + c.toUpperCase());
    line += (s ? ' ' : '') + sentence;
  }
  out.push(line);
}
const text = out.join('\n') + '\n';
if (process.argv[2]) fs.writeFileSync(process.argv[2], text);
else process.stdout.write(text);
