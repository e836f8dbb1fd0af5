// Writes texts.jsonl and pairs.jsonl, the inputs of the golden parity requests (run it in this folder:
// `node make-corpus.mjs`; the output is deterministic). Categories name what each text exercises.
import fs from 'fs';
const T = [];
const add = (category, ...texts) => texts.forEach(text => T.push({category, text}));
add('english', 'Hello, world!', 'The quick brown fox jumps over the lazy dog.', "I'm sure you'll find they've done it; it's what we'd do.",
  'Mr. Smith paid $1,234.56 on 2024-03-15 at 10:30am (approx.).', 'UPPER lower MiXeD cAsE WoRdS', 'unbelievably antidisestablishmentarianism supercalifragilisticexpialidocious',
  'e-mail me at someone@example.com or visit https://example.org/path?q=1&lang=en#top', "Don't stop... won't stop!!! Really?!");
add('german', 'Größenwahn und Straßenbahn: Übermäßig schön, oder?', 'Donaudampfschifffahrtsgesellschaftskapitän');
add('french', "L'été dernier, nous sommes allés à la plage où l'eau était très froide.", 'Ça coûte cher, n’est-ce pas ? « Oui » répondit-il.');
add('greek', 'ΣΑΣ ΟΔΥΣΣΕΥΣ σας', 'Καλημέρα κόσμε· τι κάνεις;', 'ΆΈΉΊΌΎΏ ΐΰ ς σ Σ');
add('russian', 'Привет, как дела? Всё хорошо!', 'Съешь же ещё этих мягких французских булок, да выпей чаю.');
add('arabic', 'مرحبا بالعالم، كيف حالك؟', 'العَرَبِيَّة مع التشكيل ١٢٣٤٥');
add('arabic_presentation', '\uFEFB\uFEF5 \uFDF2 \uFDFA \uFE8D\uFE8E\uFE91', 'ﷺ ﻼ ﻷ');
add('hebrew', 'שָׁלוֹם עוֹלָם', 'עברית RTL mixed with English ומספרים 123');
add('hindi', 'नमस्ते दुनिया, आप कैसे हैं?', 'क्षत्रिय संस्कृत हिन्दी');
add('thai', 'สวัสดีครับ ยินดีที่ได้รู้จัก', 'ภาษาไทยไม่มีช่องว่างระหว่างคำ');
add('lao', 'ສະບາຍດີ ພາສາລາວ', '\u0E33\u0EB3 \u0EDC\u0EDD ໜໍ່');
add('chinese', '你好，世界！今天天气很好。', '中华人民共和国成立于1949年。', '繁體中文與簡體中文');
add('japanese', 'こんにちは世界。カタカナとひらがなと漢字。', 'ｱｲｳｴｵ ｶﾞｷﾞ 半角カナ', '東京都渋谷区１－２－３');
add('korean', '안녕하세요 세계', '\u1100\u1161\u11A8 가각 한국어 문장입니다.');
add('cjk_ext_b', '\u{20000}\u{20001}\u{2A6D6} \u{2A700}\u{2B740}', '𠀀𠀁 mixed 𪜀 text');
add('emoji', '👍 👍🏽 👍🏿 ❤️ 🥰', '👨‍👩‍👧‍👦 family, 👩🏽‍💻 coder, 🏳️‍🌈 flag', '🇫🇷🇩🇪🇯🇵 flags', 'emoji\u{1FAE0}new\u{1FAE8}blocks');
add('combining', 'e\u0301 a\u0323\u0302 o\u0308\u0304 n\u0303', 'a\u0301\u0301\u0301\u0301 Z\u0351\u036B\u0343\u036A\u0302\u036B\u033D\u034F', 'ệ\u0323 café cafe\u0301');
add('math_symbols', '𝐀𝐁𝐂 𝑥² + 𝑦² = 𝑧² ∑∫∂ ½ ⅓ Ⅻ ①②③ ㈱ ㎏ ℌ ﬁ ﬂ', '٣٤٥ ۵ ０１２３ ²³¹');
add('whitespace', '', ' ', '   ', '\t', '\n', '\r\n', ' \t \n \r ', 'a  b   c    d', '  leading and trailing  ',
  'tabs\tinside\tand\nnewlines\nand\r\ncrlf', 'nbsp\u00A0thin\u2009ideographic\u3000space', 'x' + ' '.repeat(40) + 'y', '\u2028\u2029\u0085 separators');
add('control', '\u0000', 'nul\u0000inside', '\u0001\u0002\u0003ctrl\u007F\u009F', 'zero\u200Bwidth\u200Cjoiner\u200D!', '\uFEFFbom', 'soft\u00ADhyphen',
  'private\uE000use\uF8FF', 'replacement\uFFFDchar', '\u202Ebidi override\u202C');
add('odd', '\u0130stanbul \u0131', '\u1E9E\u00DF \u2126\u212A', 'ǅǈǋ Ⓐ ⑴ ⒈', '\uFFFF\uFFFE noncharacters', '\u{E0041}\u{E0042} tags', '\u{10FFFD} plane 16');
add('long', 'a'.repeat(5000), 'x'.repeat(120) + ' ' + 'word '.repeat(60), '1234567890'.repeat(30), '3.14159265358979323846264338327950288419716939937510',
  Array.from({length: 300}, (_, i) => String.fromCodePoint(0x4E00 + i * 7)).join(''));
add('digits', '1234567', '007 42 3,000,000 1.5e10 0x1F -17', '2024年3月15日');
add('special_literal', '[CLS] hello [SEP] world [PAD] [MASK] [UNK]', '<s> text </s> <pad> <unk>', '<|begin_of_text|>Hi<|end_of_text|><|eot_id|>',
  '<|endoftext|> and <|im_start|>user\nhi<|im_end|>', '<bos><eos><start_of_turn>user', '[cls] lowercase specials [sep]', 'no<s>spaces</s>around');
add('code', 'def f(x):\n    return x ** 2  # square\n', 'for (int i = 0; i < n; ++i) { sum += a[i]; }', '<div class="a">&amp;&lt;</div>', 'SELECT * FROM t WHERE id=42;',
  'const π = Math.PI; // ≈3.14', '    indented\n\t\ttabbed\n');
add('urls', 'https://www.example.com/a/b/c.html?x=1&y=%20z', 'ftp://user:pass@host:21/file.tar.gz', 'www.wikipedia.org/wiki/Σ');
add('mixed', 'English 中文 日本語 한국어 العربية עברית हिन्दी ไทย Ελληνικά Русский', 'Ünïcödé ÀÉÎÕÜ àéîõü ÇçÑñ ØøÅå ŒœÆæ', "it's 'quoted' and \"double\" and ``latex'' and „German“");
// Seeded random mixes of the pools above, for combinations nobody thought to write down
let seed = 20251125;
const rand = n => { seed = (seed * 1103515245 + 12345) % 2147483648; return Math.floor(seed / 65536) % n; };
const POOLS = ['abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '0123456789', '  \t\n', '.,;:!?\'"()-_/@#$%&*[]<>=+',
  'éÄñßİıΣςΑàÉœÆøÇ', '\u0301\u0323\u0302\u0308', '中文字漢語日本語ひらがなカタカナー한국어', '\u00A0\u3000\u2009\u200B\u200D\uFEFF\u00AD',
  'ﬁｶﾞ㈱ﷺໜﻼ㎏ℌ①', '👍🏽👨‍👩‍👧🇫🇷❤️', '\u{20000}\u{1D400}\u{1F600}', 'مرحبا', 'สวัสดี', 'नमस्ते', 'שָׁלוֹם',
  "'s't're've'll'd'm", '▁Ġ##<s></s>[CLS]<|endoftext|>'];
for (let i = 0; i < 40; i++) {
  let s = '';
  for (let k = 1 + rand(14); k > 0; k--) {
    const pool = Array.from(POOLS[rand(POOLS.length)]);
    for (let r = 1 + rand(5); r > 0; r--) s += pool[rand(pool.length)];
  }
  add('random', s);
}
fs.writeFileSync('texts.jsonl', T.map(t => JSON.stringify(t)).join('\n') + '\n');
const P = [
  ['Hello world', 'How are you?'], ['The cat sat on the mat.', 'A dog lay on the rug.'], ['', 'only second'], ['only first', ''],
  ['ΣΑΣ σας', 'Привет мир'], ['你好世界', 'こんにちは'], ['emoji 👍🏽', 'family 👨‍👩‍👧'], ['[CLS] literal', '<s> literal </s>'],
  ['short', 'a somewhat longer second sequence with several more words in it'], ['a first sequence that is clearly longer than the second one here', 'tiny'],
  ['  spaces  ', '\ttabs\n'], ['مرحبا', 'שלום'], ['e\u0301 café', 'naïve résumé'], ['1234567890 1234567890', '3.14159 2.71828'],
  ['Question: what is the capital of France?', 'Paris is the capital and largest city of France.'],
];
fs.writeFileSync('pairs.jsonl', P.map(p => JSON.stringify(p)).join('\n') + '\n');
console.log(T.length, P.length);
