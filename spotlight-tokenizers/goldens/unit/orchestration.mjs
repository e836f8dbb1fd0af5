// Expected values for the orchestration unit tests (OrchestrationParityTest): small tokenizer.json
// files built here, each request answered by the Rust library (npm tokenizers@0.23.2) in the
// TokenizeProtocol contract. Run from this folder after `npm install --no-save` in ../:
//
//   node orchestration.mjs > ../../src/test/resources/goldens/unit/orchestration.jsonl
//
// Each line: {"name", "tokenizer", "request", "response"}.
import {createRequire} from 'node:module';
import {byteLevel, special, template, tokenizer} from './toy-tokenizers.mjs';

const {Tokenizer} = createRequire(import.meta.url)('../node_modules/tokenizers');

const bert = tokenizer({});
const pad = (strategy, direction, extra = {}) => ({strategy, direction, pad_to_multiple_of: null, pad_id: 3,
  pad_type_id: 0, pad_token: '[PAD]', ...extra});
const trunc = (max_length, strategy, direction, stride) => ({max_length, strategy, direction, stride});
const addedFlags = tokenizer({
  normalizer: {type: 'Lowercase'},
  added_tokens: [special('[UNK]', 0), special('[CLS]', 1), special('[SEP]', 2), special('[PAD]', 3),
    special('[MASK]', 4, {lstrip: true}),
    {id: 26, content: '<w>', single_word: true, lstrip: false, rstrip: false, normalized: false, special: false},
    {id: 27, content: '<r>', single_word: false, lstrip: false, rstrip: true, normalized: false, special: false},
    {id: 28, content: 'XY', single_word: false, lstrip: false, rstrip: false, normalized: true, special: false},
    {id: 29, content: '<a>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: false},
    {id: 30, content: '<a><b>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true}],
});

const texts = ['a b c', 'd e f g h i j', 'hello world'];
const pairs = [['a b c d e f', 'g h'], ['a', 'b c d e f g h i']];
const cases = [
  ['bert_single_texts', bert, {texts}],
  ['bert_without_special_tokens', bert, {texts, add_special_tokens: false}],
  ['bert_pairs', bert, {pairs}],
  ['unknown_words_and_astral_offsets', bert, {texts: ['😀 a 😀😀 b', '  é\tz  ']}],
  ['padding_right_batch_longest', bert, {texts, padding: pad('BatchLongest', 'Right')}],
  ['padding_left_batch_longest', bert, {texts, padding: pad('BatchLongest', 'Left', {pad_type_id: 1})}],
  ['padding_pad_to_multiple_of', bert, {texts, padding: pad('BatchLongest', 'Right', {pad_to_multiple_of: 4})}],
  ['padding_fixed_shorter_than_text', bert, {texts, padding: pad({Fixed: 6}, 'Right')}],
  ['padding_pairs_left', bert, {pairs, padding: pad('BatchLongest', 'Left', {pad_to_multiple_of: 8})}],
  ['truncation_right_stride_overflow', bert, {texts, truncation: trunc(5, 'LongestFirst', 'Right', 1)}],
  ['truncation_left_stride_overflow', bert, {texts, truncation: trunc(5, 'LongestFirst', 'Left', 1)}],
  ['truncation_with_padding_pads_overflowing', bert, {texts, truncation: trunc(6, 'LongestFirst', 'Right', 2), padding: pad('BatchLongest', 'Right')}],
  ['truncation_pairs_longest_first', bert, {pairs, truncation: trunc(7, 'LongestFirst', 'Right', 0)}],
  ['truncation_pairs_longest_first_stride', bert, {pairs: [['a b c d e f', 'g h i j a b']], truncation: trunc(9, 'LongestFirst', 'Right', 1)}],
  ['truncation_pairs_only_first', bert, {pairs: [['a b c d e f', 'g h']], truncation: trunc(7, 'OnlyFirst', 'Right', 1)}],
  ['truncation_pairs_only_second_left', bert, {pairs: [['a b', 'c d e f g h']], truncation: trunc(7, 'OnlySecond', 'Left', 1)}],
  ['truncation_only_second_too_short', bert, {pairs: [['a b c d e f', 'g h']], truncation: trunc(6, 'OnlySecond', 'Right', 0)}],
  ['truncation_only_second_without_pair', bert, {texts: ['a b c d e f'], truncation: trunc(4, 'OnlySecond', 'Right', 0)}],
  ['truncation_max_length_below_special_tokens', bert, {texts, truncation: trunc(1, 'LongestFirst', 'Right', 0)}],
  ['truncation_without_special_tokens', bert, {texts, add_special_tokens: false, truncation: trunc(4, 'LongestFirst', 'Right', 1)}],
  ['file_padding_and_truncation', tokenizer({padding: pad({Fixed: 8}, 'Right'), truncation: trunc(6, 'LongestFirst', 'Right', 0)}), {texts}],
  ['file_settings_disabled_by_null', tokenizer({padding: pad({Fixed: 8}, 'Right'), truncation: trunc(6, 'LongestFirst', 'Right', 0)}), {texts, padding: null, truncation: null}],
  ['no_post_processor_pairs', tokenizer({post_processor: null}), {pairs, truncation: trunc(6, 'LongestFirst', 'Right', 1)}],
  ['template_single_and_pair', tokenizer({post_processor: template}), {pairs}],
  ['template_single', tokenizer({post_processor: template}), {texts, truncation: trunc(5, 'LongestFirst', 'Right', 0)}],
  ['template_pairs_overflow', tokenizer({post_processor: template}), {pairs: [['a b c d e f', 'g h i j a b']], truncation: trunc(10, 'LongestFirst', 'Right', 0)}],
  ['roberta_pairs', tokenizer({...byteLevel, post_processor: {type: 'RobertaProcessing', sep: ['</s>', 25], cls: ['<s>', 24], trim_offsets: true, add_prefix_space: true}}),
    {pairs: [['a  b', 'hello   world'], ['hello', 'c']]}],
  ['roberta_no_trim', tokenizer({...byteLevel, post_processor: {type: 'RobertaProcessing', sep: ['</s>', 25], cls: ['<s>', 24], trim_offsets: false, add_prefix_space: true}}),
    {texts: ['a  b', ' hello world']}],
  ['bytelevel_trim_offsets', tokenizer({...byteLevel, post_processor: {type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true}}),
    {texts: ['a  b', ' hello world  ', 'hello']}],
  ['bytelevel_pairs', tokenizer({...byteLevel, post_processor: {type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true}}),
    {pairs: [['a  b', ' hello world  ']]}],
  ['sequence_bytelevel_then_template', tokenizer({...byteLevel, post_processor: {type: 'Sequence', processors: [
    {type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true}, template]}}),
    {pairs: [['a  b', 'hello world']], truncation: trunc(8, 'LongestFirst', 'Right', 0)}],
  ['added_tokens_flags', addedFlags, {texts: ['a [MASK] b', 'a<w>b <w> c', 'a <r>   b', 'hello xy XY', 'c<a><b>d<a>e', '[CLS][SEP]  [MASK]']}],
  ['added_tokens_pairs_special_mask', addedFlags, {pairs: [['a [MASK]', '<a><b> b']]}],
  // The file's ids of added tokens are not used: Rust re-derives them (vocabulary id, else the next free one).
  ['added_token_ids_are_rederived', tokenizer({added_tokens: [special('[CLS]', 7), special('[SEP]', 8),
    special('<new>', 99), special('<newer>', 42), special('<new>', 5, {normalized: true})]}),
    {texts: ['a <new> b <newer>']}],
];

for (const [name, json, request] of cases) {
  const tok = Tokenizer.fromString(JSON.stringify(json));
  console.log(JSON.stringify({name, tokenizer: json, request, response: await respond(tok, json, request)}));
}

// The same contract as ../generate.mjs: absent key keeps the file's setting, null disables it.
async function respond(tok, json, request) {
  try {
    const padding = 'padding' in request ? request.padding : json.padding;
    setPadding(tok, padding);
    setTruncation(tok, 'truncation' in request ? request.truncation : json.truncation);
    const options = {addSpecialTokens: request.add_special_tokens ?? true};
    let encodings;
    if (request.texts) {
      encodings = await tok.encodeBatch(request.texts, options);
    } else {
      if (padding && padding.strategy === 'BatchLongest') {
        tok.disablePadding();
        let longest = 0;
        for (const [a, b] of request.pairs) longest = Math.max(longest, (await tok.encode(a, b, options)).getLength());
        const m = padding.pad_to_multiple_of;
        if (m && longest % m) longest += m - (longest % m);
        setPadding(tok, {...padding, strategy: {Fixed: longest}});
      }
      encodings = [];
      for (const [a, b] of request.pairs) encodings.push(await tok.encode(a, b, options));
    }
    const ids = encodings.map(e => e.getIds());
    return {
      encodings: encodings.map(encoding),
      decoded: {skip_special: await tok.decodeBatch(ids, true), keep_special: await tok.decodeBatch(ids, false)},
    };
  } catch (e) {
    if (!e.code) throw e;
    return {error: String(e.message)};
  }
}

function encoding(e) {
  return {
    ids: e.getIds(), tokens: e.getTokens(), offsets: e.getOffsets(), attention_mask: e.getAttentionMask(),
    type_ids: e.getTypeIds(), special_tokens_mask: e.getSpecialTokensMask(),
    word_ids: e.getWordIds().map(w => w ?? null), sequence_ids: e.getSequenceIds().map(s => s ?? null),
    overflowing: e.getOverflowing().map(encoding),
  };
}

function setPadding(tok, p) {
  if (!p) return tok.disablePadding();
  tok.setPadding({maxLength: typeof p.strategy === 'object' ? p.strategy.Fixed : undefined, direction: p.direction.toLowerCase(),
    padToMultipleOf: p.pad_to_multiple_of ?? undefined, padId: p.pad_id, padTypeId: p.pad_type_id, padToken: p.pad_token});
}

function setTruncation(tok, t) {
  if (!t) return tok.disableTruncation();
  tok.setTruncation(t.max_length, {stride: t.stride, strategy: t.strategy, direction: t.direction.toLowerCase()});
}
