// The small tokenizer.json files of the unit goldens (orchestration.mjs, pair-windows.mjs): a
// WordLevel vocabulary with BERT's special tokens, and the blocks the cases swap in.

export const words = ['[UNK]', '[CLS]', '[SEP]', '[PAD]', '[MASK]', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j',
  'hello', 'world', 'Ġa', 'Ġb', 'Ġc', 'Ġhello', 'Ġworld', 'ĠĠ', 'Ġ', '<s>', '</s>'];
export const vocab = Object.fromEntries(words.map((w, i) => [w, i]));
export const special = (content, id, extra = {}) => ({id, content, single_word: false, lstrip: false, rstrip: false,
  normalized: false, special: true, ...extra});

export function tokenizer(parts) {
  return {
    version: '1.0', truncation: null, padding: null,
    added_tokens: [special('[UNK]', 0), special('[CLS]', 1), special('[SEP]', 2), special('[PAD]', 3), special('[MASK]', 4)],
    normalizer: null, pre_tokenizer: {type: 'WhitespaceSplit'},
    post_processor: {type: 'BertProcessing', sep: ['[SEP]', 2], cls: ['[CLS]', 1]},
    decoder: null,
    model: {type: 'WordLevel', vocab, unk_token: '[UNK]'},
    ...parts,
  };
}

export const template = {
  type: 'TemplateProcessing',
  single: [{SpecialToken: {id: '[CLS]', type_id: 0}}, {Sequence: {id: 'A', type_id: 0}}, {SpecialToken: {id: 'EOS', type_id: 0}}],
  pair: [{SpecialToken: {id: '[CLS]', type_id: 0}}, {Sequence: {id: 'A', type_id: 0}}, {SpecialToken: {id: '[SEP]', type_id: 0}},
    {Sequence: {id: 'B', type_id: 2}}, {SpecialToken: {id: 'EOS', type_id: 3}}],
  special_tokens: {
    '[CLS]': {id: '[CLS]', ids: [1], tokens: ['[CLS]']},
    '[SEP]': {id: '[SEP]', ids: [2], tokens: ['[SEP]']},
    EOS: {id: 'EOS', ids: [2, 4], tokens: ['[SEP]', '[MASK]']},
  },
};
export const byteLevel = {
  pre_tokenizer: {type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true},
};
