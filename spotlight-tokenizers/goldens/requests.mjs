// The requests every tokenizer answers in the goldens, built from corpus/texts.jsonl and
// corpus/pairs.jsonl. Padding and truncation blocks are written exactly as tokenizer.json writes
// them, every key present, so the Java side and the generator read the same thing.
import fs from 'node:fs';

const read = name => fs.readFileSync(new URL('./corpus/' + name, import.meta.url), 'utf8')
  .split('\n').filter(l => l.length).map(l => JSON.parse(l));
const TEXTS = read('texts.jsonl');
const PAIRS = read('pairs.jsonl');

/** Returns [{category, request}] for one tokenizer.json (its pad token decides the padding blocks). */
export function buildRequests(json) {
  const pad = padToken(json);
  const padding = (strategy, direction, multiple, typeId = 0) => ({strategy, direction, pad_to_multiple_of: multiple,
    pad_id: pad.id, pad_type_id: typeId, pad_token: pad.content});
  const truncation = (max, strategy, direction, stride) => ({direction, max_length: max, strategy, stride});
  const out = [];
  const add = (category, request) => out.push({category, request});

  const byCategory = new Map();
  for (const t of TEXTS) byCategory.set(t.category, [...(byCategory.get(t.category) || []), t.text]);

  // The file's own settings, one text at a time (a mismatch names the exact text) and by category
  for (const t of TEXTS) add(`single/${t.category}`, {texts: [t.text]});
  for (const [category, texts] of byCategory) {
    add(`batch/${category}`, {texts});
    add(`no_special/${category}`, {texts, add_special_tokens: false});
  }
  for (const p of PAIRS) add('pair/single', {pairs: [p]});
  add('pair/batch', {pairs: PAIRS});
  add('pair/no_special', {pairs: PAIRS, add_special_tokens: false});
  add('settings/none', {texts: [...byCategory.get('english'), ...byCategory.get('long')], padding: null, truncation: null});

  // A batch whose lengths differ a lot: empty, short, long, multi-script
  const mixed = [...byCategory.get('english').slice(0, 3), '', ' ', ...byCategory.get('emoji').slice(0, 2),
    ...byCategory.get('greek').slice(0, 1), ...byCategory.get('cjk_ext_b').slice(0, 1), byCategory.get('long')[1]];
  const shortPairs = PAIRS.slice(0, 8);

  const paddings = {
    longest_right: padding('BatchLongest', 'Right', null),
    longest_left: padding('BatchLongest', 'Left', null),
    longest_multiple8: padding('BatchLongest', 'Right', 8),
    longest_left_multiple5: padding('BatchLongest', 'Left', 5, 1),
    fixed24_right: padding({Fixed: 24}, 'Right', null),
    fixed20_left_multiple16: padding({Fixed: 20}, 'Left', 16),
    fixed3_shorter_than_text: padding({Fixed: 3}, 'Right', null),
  };
  for (const [name, p] of Object.entries(paddings)) {
    add(`padding/${name}`, {texts: mixed, padding: p, truncation: null});
    add(`padding_pairs/${name}`, {pairs: shortPairs, padding: p, truncation: null});
  }
  add('padding/no_special_left', {texts: mixed, padding: paddings.longest_left, truncation: null, add_special_tokens: false});

  const single = {
    max8_right: truncation(8, 'LongestFirst', 'Right', 0),
    max8_left: truncation(8, 'LongestFirst', 'Left', 0),
    max5: truncation(5, 'LongestFirst', 'Right', 0),
    max12_stride3_right: truncation(12, 'LongestFirst', 'Right', 3),
    max12_stride3_left: truncation(12, 'LongestFirst', 'Left', 3),
    max1000_no_effect: truncation(1000, 'LongestFirst', 'Right', 0),
  };
  for (const [name, t] of Object.entries(single)) {
    add(`truncation/${name}`, {texts: mixed, padding: null, truncation: t});
  }
  add('truncation/max12_stride3_no_special', {texts: mixed, padding: null, truncation: single.max12_stride3_right, add_special_tokens: false});
  add('truncation/long_texts_stride', {texts: byCategory.get('long'), padding: null, truncation: truncation(64, 'LongestFirst', 'Right', 8)});

  const pair = {
    longest_first_max12: truncation(12, 'LongestFirst', 'Right', 0),
    longest_first_max10_left: truncation(10, 'LongestFirst', 'Left', 0),
    only_first_max12: truncation(12, 'OnlyFirst', 'Right', 0),
    only_second_max12: truncation(12, 'OnlySecond', 'Right', 0),
    only_second_max10_left: truncation(10, 'OnlySecond', 'Left', 0),
    longest_first_max16_stride1: truncation(16, 'LongestFirst', 'Right', 1),
    only_first_max20_stride2: truncation(20, 'OnlyFirst', 'Right', 2),
    only_second_max20_stride2_left: truncation(20, 'OnlySecond', 'Left', 2),
  };
  // One pair per request: OnlyFirst/OnlySecond fail for the whole batch when one pair cannot fit
  for (const [name, t] of Object.entries(pair)) {
    PAIRS.forEach(p => add(`truncation_pairs/${name}`, {pairs: [p], padding: null, truncation: t}));
  }
  add('truncation_pairs/longest_first_batch', {pairs: PAIRS, padding: null, truncation: pair.longest_first_max12});

  // Both at once: overflowing encodings are padded too
  add('padding_truncation/stride_left_pad', {texts: mixed, padding: paddings.longest_left, truncation: single.max12_stride3_right});
  add('padding_truncation/stride_fixed_pad', {texts: mixed, padding: paddings.fixed24_right, truncation: single.max12_stride3_left});
  add('padding_truncation/pairs_multiple8', {pairs: shortPairs, padding: paddings.longest_multiple8, truncation: pair.longest_first_max12});
  add('padding_truncation/pairs_stride_left', {pairs: shortPairs, padding: paddings.longest_left_multiple5, truncation: pair.longest_first_max16_stride1});
  return out;
}

// The file's own pad token when it has one, else the first special token whose name says pad,
// else the first special token: any id works for the contract, it only has to exist.
function padToken(json) {
  if (json.padding) return {id: json.padding.pad_id, content: json.padding.pad_token};
  const special = json.added_tokens.filter(t => t.special);
  const t = special.find(s => /pad/i.test(s.content)) || special[0];
  if (!t) throw new Error('tokenizer has no special token to pad with');
  return {id: t.id, content: t.content};
}
