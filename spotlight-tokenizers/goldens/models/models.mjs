// Expected values for the model and decoder unit tests (ModelGoldensTest, DecoderGoldensTest):
// small tokenizer.json files that hold only a model (no normalizer, no pre-tokenizer, no
// post-processor), so the whole input reaches the model as one piece, answered by the Rust library
// (npm tokenizers@0.23.2). Run from this folder after `npm install --no-save` in ../:
//
//   node models.mjs > ../../src/test/resources/goldens/models/models.jsonl
//
// Model lines: {"kind":"model","name","model","input","ids","tokens","offsets"} with offsets in
// code points (what the binding returns). Decoder lines: {"kind":"decoder","name","model",
// "decoder","ids","text"}.
import {createRequire} from 'node:module';

const {Tokenizer} = createRequire(import.meta.url)('../node_modules/tokenizers');

const vocabOf = (words) => Object.fromEntries(words.map((w, i) => [w, i]));
const bytes = Array.from({length: 256}, (_, b) => `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);

function load(model, decoder = null) {
  return Tokenizer.fromString(JSON.stringify({version: '1.0', truncation: null, padding: null, added_tokens: [],
    normalizer: null, pre_tokenizer: null, post_processor: null, decoder, model}));
}

const out = [];
async function modelCase(name, model, inputs) {
  const tok = load(model);
  for (const input of inputs) {
    const e = await tok.encode(input);
    out.push({kind: 'model', name, model, input, ids: e.getIds(), tokens: e.getTokens(), offsets: e.getOffsets()});
  }
}
async function decoderCase(name, model, decoder, idLists) {
  const tok = load(model, decoder);
  for (const ids of idLists) {
    out.push({kind: 'decoder', name, model, decoder, ids, text: await tok.decode(ids, false)});
  }
}

// WordPiece
const wpVocab = vocabOf(['[UNK]', 'un', '##aff', '##able', 'a', '##b', '##c', 'é', '##é', 'hello', '##!', '😀', '##😀', 'x', '##y']);
const wp = {type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: wpVocab};
await modelCase('wordpiece', wp, ['unaffable', 'ab', 'abc', 'abd', 'éé', 'hello!', '😀😀', 'xyyy', 'q', 'a😀']);
await modelCase('wordpiece-max-chars', {...wp, max_input_chars_per_word: 3}, ['abc', 'abcb', '😀😀😀', '😀😀😀😀', 'ééé', 'éééé']);
await modelCase('wordpiece-prefix', {...wp, continuing_subword_prefix: '@@', vocab: vocabOf(['[UNK]', 'a', '@@b', '@@c'])}, ['abc', 'abb', 'ba']);

// BPE
const bpeWords = ['<unk>', 'a', 'b', 'c', 'd', 'ab', 'bc', 'abc', 'cd', 'abcd', 'é', 'aé', 'x', 'xx', 'xxx', 'xxxx'];
const bpeMerges = ['a b', 'b c', 'ab c', 'c d', 'abc d', 'a é', 'x x', 'xx x', 'xx xx'];
const bpe = {type: 'BPE', dropout: null, unk_token: '<unk>', continuing_subword_prefix: null, end_of_word_suffix: null,
  fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab: vocabOf(bpeWords), merges: bpeMerges};
const bpeInputs = ['abcd', 'abc', 'bcd', 'aé', 'xxxxx', 'xxxxxxx', 'azzb', 'zz', 'a😀b', 'dcba', 'abcdabcd'];
await modelCase('bpe-string-merges', bpe, bpeInputs);
await modelCase('bpe-pair-merges', {...bpe, merges: bpeMerges.map((m) => m.split(' '))}, ['abcd', 'xxxxx', 'aé']);
await modelCase('bpe-fuse-unk', {...bpe, fuse_unk: true}, ['azzb', 'zz', 'a😀😀b', 'zaz']);
await modelCase('bpe-no-unk', {...bpe, unk_token: null}, ['azzb', 'abcd', 'a😀b', '😀😀ab', 'zzé', 'abzzc', 'z']);
await modelCase('bpe-no-unk-byte-fallback', {...bpe, unk_token: null, byte_fallback: true,
  vocab: vocabOf([...bpeWords, ...bytes.slice(0, 0xF0)])}, ['a😀b', '😀😀ab', 'zab']);
const fallbackVocab = vocabOf([...bpeWords, ...bytes]);
await modelCase('bpe-byte-fallback', {...bpe, byte_fallback: true, vocab: fallbackVocab},
  ['a😀b', 'zé', 'abcd€', '中文', 'z']);
await modelCase('bpe-byte-fallback-fuse-unk', {...bpe, byte_fallback: true, fuse_unk: true, vocab: fallbackVocab}, ['a😀😀b']);
await modelCase('bpe-ignore-merges', {...bpe, ignore_merges: true, vocab: vocabOf([...bpeWords, 'abcdx'])},
  ['abcdx', 'abcdxx', 'abcd']);
const affixWords = ['<unk>', 'a', 'b', 'c', '##b', '##c', 'c</w>', '##c</w>', 'ab', 'a##b', '##bc</w>', 'abc</w>', 'b</w>', '##b</w>'];
await modelCase('bpe-prefix-suffix', {...bpe, continuing_subword_prefix: '##', end_of_word_suffix: '</w>',
  vocab: vocabOf(affixWords), merges: ['a ##b', '##b ##c</w>', 'a ##bc</w>']}, ['abc', 'ab', 'cab', 'c', 'b']);
// Not covered: byte_fallback together with continuing_subword_prefix / end_of_word_suffix, where
// Rust's byte tokens spell the affixes too and their offsets run past the end of the word.
await modelCase('bpe-unk-fuse-then-known', {...bpe, fuse_unk: true, byte_fallback: true, vocab: vocabOf([...bpeWords, '<0x7A>'])},
  ['yzyya', 'zyz', 'a😀zb']);
await modelCase('bpe-long-word', bpe, ['x'.repeat(1000) + 'abcd'.repeat(50)]);
await modelCase('bpe-type-inferred', {...bpe, type: undefined}, ['abcd']);

// Unigram
const uniPieces = [['<unk>', 0], ['a', -1], ['b', -2], ['ab', -1.5], ['c', -2.5], ['abc', -2], ['▁', -1], ['▁a', -1.2],
  ['é', -3], ['bc', -0.5]];
const uni = {type: 'Unigram', unk_id: 0, vocab: uniPieces, byte_fallback: false};
await modelCase('unigram', uni, ['abc', 'ab', 'bc', 'abcabc', '▁a▁ab', 'é', 'azzb', 'zz', 'a😀b', 'z']);
await modelCase('unigram-byte-fallback', {...uni, vocab: [...uniPieces, ...bytes.map((b) => [b, -5])], byte_fallback: true},
  ['a😀b', 'azzb', 'é€']);
await modelCase('unigram-ties-and-long', {...uni, vocab: [['<unk>', 0], ['a', -1], ['aa', -2], ['b', -1], ['ab', -2], ['ba', -2]]},
  ['ab', 'aab', 'aba', 'abab', 'a'.repeat(301), 'yyaxx']);
await modelCase('unigram-type-inferred', {unk_id: 0, vocab: uniPieces}, ['abc']);

// WordLevel
const wl = {type: 'WordLevel', vocab: vocabOf(['[UNK]', 'hello', 'wörld', '😀']), unk_token: '[UNK]'};
await modelCase('wordlevel', wl, ['hello', 'wörld', '😀', 'nope', 'hello world']);

// Without "type" Rust tries each model's fields in turn; these are the blocks it accepts.
const inferVocab = {'[UNK]': 0, a: 1, b: 2, '##b': 3, ab: 4};
await modelCase('inferred-wordpiece', {vocab: inferVocab, unk_token: '[UNK]', continuing_subword_prefix: '##',
  max_input_chars_per_word: 100}, ['abb']);
await modelCase('inferred-wordlevel-partial-wordpiece', {vocab: inferVocab, unk_token: '[UNK]', continuing_subword_prefix: '##'}, ['abb', 'ab']);
await modelCase('inferred-wordlevel', {vocab: inferVocab, unk_token: '[UNK]', fuse_unk: false}, ['abb']);
await modelCase('inferred-bpe-empty-merges', {vocab: inferVocab, merges: []}, ['abb']);
await modelCase('inferred-unigram-null-unk', {vocab: [['a', 0], ['b', -1]], unk_id: null}, ['abb']);

// Decoders: the model only supplies the id -> token mapping.
const decWords = ['[UNK]', 'hello', '##llo', 'he', ',', '.', 'world', '##!', "n't", 'do', 'not', '▁hello', '▁world', '▁',
  'ĠhellÃ©', 'Ġw', 'orld', 'ðŁĺ', 'Ģ', 'ab</w>', 'cd', 'e</w>', '<0x61>', '<0xE2>', '<0x82>', '<0xAC>', '<0xFF>', '<0xE2>',
  '<0x+F>', '<0x6a>', '<0x０A>', '<0x6G>', '<pad>', '|', 'h', 'e', 'l', 'o', '__x__', 'a b', 'xxhixx', "'s", 'it', '?', '!', 'x'];
const decModel = {type: 'WordLevel', vocab: vocabOf([...new Set(decWords)]), unk_token: '[UNK]'};
const id = (t) => decModel.vocab[t];
const ids = (...ts) => ts.map(id);
await decoderCase('wordpiece', decModel, {type: 'WordPiece', prefix: '##', cleanup: true},
  [ids('hello', '##llo', ',', 'world', '##!', '.'), ids('do', "n't", 'it', "'s", '?', '!'), ids('##llo', 'hello')]);
await decoderCase('wordpiece-no-cleanup', decModel, {type: 'WordPiece', prefix: '##', cleanup: false},
  [ids('hello', '##llo', ',', 'world', '.')]);
await decoderCase('bytelevel', decModel, {type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true},
  [ids('ĠhellÃ©', 'Ġw', 'orld', 'ðŁĺ', 'Ģ'), ids('ðŁĺ'), ids('hello', 'ðŁĺ', 'world')]);
for (const prepend_scheme of ['always', 'first', 'never']) {
  await decoderCase(`metaspace-${prepend_scheme}`, decModel, {type: 'Metaspace', replacement: '▁', prepend_scheme, split: true},
    [ids('▁hello', '▁world', '▁'), ids('hello', '▁world'), ids('▁', '▁hello')]);
}
await decoderCase('bpe-decoder', decModel, {type: 'BPEDecoder', suffix: '</w>'}, [ids('ab</w>', 'cd', 'e</w>'), ids('cd', 'e</w>', 'ab</w>')]);
await decoderCase('byte-fallback', decModel, {type: 'ByteFallback'},
  [ids('<0x61>', '<0x+F>', '<0x6a>', '<0x０A>', '<0x6G>'), ids('<0x61>', 'hello', '<0xE2>', '<0x82>', '<0xAC>'), ids('<0xE2>', '<0x82>', 'hello'), ids('<0xFF>', '<0x61>'), ids('<0xE2>', '<0xE2>', '<0x82>', '<0xAC>')]);
await decoderCase('fuse', decModel, {type: 'Fuse'}, [ids('hello', 'world', '▁')]);
await decoderCase('strip', decModel, {type: 'Strip', content: 'x', start: 2, stop: 1}, [ids('xxhixx', '__x__', 'hello')]);
await decoderCase('replace-string', decModel, {type: 'Replace', pattern: {String: '▁'}, content: ' '}, [ids('▁hello', '▁world', '▁')]);
await decoderCase('replace-regex', decModel, {type: 'Replace', pattern: {Regex: 'l+'}, content: 'L'}, [ids('hello', '##llo', 'world')]);
await decoderCase('ctc', decModel, {type: 'CTC', pad_token: '<pad>', word_delimiter_token: '|', cleanup: true},
  [ids('h', 'h', '<pad>', 'e', 'l', 'l', '<pad>', 'l', 'o', '|', 'h', 'e', '|', ',', '.'), ids('<pad>', '<pad>')]);
await decoderCase('ctc-no-cleanup', decModel, {type: 'CTC', pad_token: '<pad>', word_delimiter_token: '|', cleanup: false},
  [ids('h', 'h', '<pad>', 'e', '|', 'o')]);
await decoderCase('sequence', decModel, {type: 'Sequence', decoders: [
  {type: 'Replace', pattern: {String: '▁'}, content: ' '}, {type: 'ByteFallback'}, {type: 'Fuse'},
  {type: 'Strip', content: ' ', start: 1, stop: 0}]}, [ids('▁hello', '<0xE2>', '<0x82>', '<0xAC>', '▁world')]);

for (const line of out) {
  process.stdout.write(JSON.stringify(line) + '\n');
}
