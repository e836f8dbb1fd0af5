'use strict';
// Shared state and helpers. Every token string reaches the screen through textContent, <option>.text
// or canvas fillText, never innerHTML, so markup in a token shows literally.
const SL = {
  data: JSON.parse(document.getElementById('spotlight-data').textContent),
  state: { tab: 'batch', sequence: 0, theme: 'light', contrast: 'linear' },
  views: {},
  cache: new Map(),
};

SL.$ = (id) => document.getElementById(id);

/** Decodes a packed array ({shape, scale, u16}: little-endian uint16 in base64) to a Float32Array. */
SL.decode = function (packed) {
  if (!packed) return null;
  const bin = atob(packed.u16);
  const count = bin.length >> 1;
  const out = new Float32Array(count);
  const k = packed.scale / 65535;
  for (let i = 0; i < count; i++) out[i] = (bin.charCodeAt(2 * i) | (bin.charCodeAt(2 * i + 1) << 8)) * k;
  return out;
};

/** The selected (or given) sequence with its arrays decoded on first use. */
SL.seq = function (index = SL.state.sequence) {
  if (SL.cache.has(index)) return SL.cache.get(index);
  const raw = SL.data.sequences[index];
  const n = raw.tokens.length;
  const padded = raw.attentionMask.length;
  const offset = raw.attentionMask.indexOf(1); // first real position in the padded frame
  const pattern = raw.pattern;
  const promptTokens = raw.promptTokens;
  const s = {
    index, raw, n, padded, offset, tokens: raw.tokens, special: raw.special, mask: raw.attentionMask,
    pattern, promptTokens, generatedTokens: n - promptTokens,
    decoder: pattern.kind !== 'bidirectional', // keys hidden from queries: draw them hatched
    generated: (i) => i >= promptTokens,       // token index -> came from generation, not the prompt
    visible: SL.visibility(pattern, 1),        // (query, key) -> bool, or null when every key is visible
    labels: raw.tokens.map((t) => SL.label(t)),
    attention: SL.decode(raw.attention), // [layer][head][query][key] flat
    rollout: SL.decode(raw.rollout),     // [layer][query][key]
    flow: SL.decode(raw.flow),           // [query][key] or null
    valueNorms: SL.decode(raw.valueNorms), // [layer][head][token] or null
    normSummed: SL.decode(raw.normSummed), // [layer][query][key] or null
  };
  const L = SL.data.layers, H = SL.data.heads;
  s.head = (l, h) => s.attention.subarray(((l * H) + h) * n * n, ((l * H) + h + 1) * n * n);
  s.meanHeads = (l) => {
    const out = new Float32Array(n * n);
    for (let h = 0; h < H; h++) { const a = s.head(l, h); for (let k = 0; k < a.length; k++) out[k] += a[k] / H; }
    return out;
  };
  s.rolloutAt = (l) => s.rollout.subarray(l * n * n, (l + 1) * n * n);
  s.normSummedAt = (l) => s.normSummed.subarray(l * n * n, (l + 1) * n * n);
  s.normHead = (l, h) => {
    const a = s.head(l, h), norms = s.valueNorms.subarray((l * H + h) * n, (l * H + h + 1) * n);
    const out = new Float32Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = a[i * n + j] * norms[j];
    return out;
  };
  s.layers = L;
  s.reach = (layers) => SL.visibility(pattern, layers);
  SL.cache.set(index, s);
  return s;
};

/**
 * Which keys a query sees through `layers` attention layers chained by their residuals (rollout, flow),
 * as (query, key) -> bool, or null when every key is visible. Causal stays causal; a sliding window of w
 * reaches w - 1 keys further back per layer (AttentionPattern.throughLayers in Java).
 */
SL.visibility = function (pattern, layers) {
  if (pattern.kind === 'bidirectional') return null;
  if (pattern.kind === 'causal') return (i, j) => j <= i;
  const reach = layers * (pattern.window - 1) + 1;
  return (i, j) => j <= i && i - j < reach;
};

/** Calls fill(i, from, to) for each run [from, to) of keys that `visible` hides from query i, for i < n. */
SL.hiddenRuns = function (visible, n, fill) {
  if (!visible) return;
  for (let i = 0; i < n; i++) {
    let from = -1;
    for (let j = 0; j <= n; j++) {
      const hidden = j < n && !visible(i, j);
      if (hidden && from < 0) from = j;
      if (!hidden && from >= 0) { fill(i, from, j); from = -1; }
    }
  }
};

/** In words, for tooltips: why a key is hidden from a query, through `layers` chained layers (1 = one layer). */
SL.hiddenReason = function (pattern, query, key, layers = 1) {
  if (key > query) return 'key comes after the query (causal)';
  return `key is outside the sliding window of ${pattern.window}` + (layers > 1 ? ` through ${layers} layers` : '');
};

/** In words, for legends: which keys a pattern hides, through `layers` chained layers. */
SL.hiddenKeys = (pattern, layers = 1) => (pattern.kind === 'causal' ? 'keys after the query (causal mask)'
  : `keys after the query or outside the sliding window of ${pattern.window}` + (layers > 1 ? ` through ${layers} layers` : ''));

/**
 * Draws a token label at (x, y) with the context's current alignment and a 'middle' baseline: prompt
 * tokens in `ink`, generated ones in the generated colour and underlined, so they stay apart without colour.
 */
SL.drawToken = function (ctx, text, x, y, generated, ink, maxWidth) {
  ctx.fillStyle = generated ? SL.css('--generated') : ink;
  if (maxWidth) ctx.fillText(text, x, y, maxWidth); else ctx.fillText(text, x, y);
  if (!generated) return;
  const m = ctx.measureText(text);
  const w = maxWidth ? Math.min(maxWidth, m.width) : m.width;
  const from = ctx.textAlign === 'right' ? x - w : ctx.textAlign === 'center' ? x - w / 2 : x;
  ctx.fillRect(from, y + m.actualBoundingBoxDescent + 1.5, w, 1.2);
};

/** A legend entry: a swatch (CSS class and/or background) and its text. */
SL.legendKey = function (cls, background, text) {
  const key = document.createElement('span');
  key.className = 'key';
  const box = document.createElement('span');
  box.className = 'box ' + cls;
  if (background) box.style.background = background;
  key.append(box, document.createTextNode(text));
  return key;
};

/** Legend entries telling prompt from generated tokens, for views of a decoder sequence. */
SL.tokenKeys = function (s) {
  if (!s.decoder) return [];
  const keys = [];
  const sample = (cls, text) => {
    const key = document.createElement('span');
    key.className = 'key';
    const word = document.createElement('span');
    word.className = cls;
    word.textContent = text;
    key.append(word);
    return key;
  };
  keys.push(sample('prompt-token', `prompt token (${s.promptTokens})`));
  if (s.generatedTokens > 0) keys.push(sample('generated-token', `generated token (${s.generatedTokens})`));
  return keys;
};

/** Canvas-safe display form of a token: control characters become U+FFFD, long ones get an ellipsis. */
SL.label = function (token, max = 18) {
  let t = String(token).replace(/[\u0000-\u001f\u007f-\u009f]/g, '\uFFFD');
  if (t.length === 0) t = '\u2205';
  const chars = Array.from(t);
  return chars.length > max ? chars.slice(0, max - 1).join('') + '\u2026' : t;
};

SL.css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

SL.font = (size, weight = 400) =>
  `${weight} ${size}px system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif`;

/** Sizes a canvas for the device pixel ratio and returns its 2D context in CSS pixels. */
SL.setupCanvas = function (canvas, width, height) {
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.max(1, Math.round(width * dpr));
  canvas.height = Math.max(1, Math.round(height * dpr));
  canvas.style.width = width + 'px';
  canvas.style.height = height + 'px';
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
};

/** 256-entry colour ramp of the current theme, from the --ramp CSS stops. */
SL.ramp = function () {
  const key = 'ramp:' + SL.state.theme;
  if (SL.cache.has(key)) return SL.cache.get(key);
  const stops = SL.css('--ramp').split(/\s+/).map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
  const lut = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) {
    const x = (i / 255) * (stops.length - 1);
    const k = Math.min(Math.floor(x), stops.length - 2);
    const f = x - k;
    for (let c = 0; c < 3; c++) lut[i * 3 + c] = stops[k][c] + (stops[k + 1][c] - stops[k][c]) * f;
  }
  SL.cache.set(key, lut);
  return lut;
};

/** Maps a value's fraction of the maximum to a colour position; √ lifts the many small weights of long inputs. */
SL.tone = (t) => (SL.state.contrast === 'sqrt' ? Math.sqrt(t) : t);

SL.rampColor = function (t) {
  const lut = SL.ramp();
  const i = Math.max(0, Math.min(255, Math.round(t * 255))) * 3;
  return `rgb(${lut[i]},${lut[i + 1]},${lut[i + 2]})`;
};

SL.rampGradient = function () {
  const stops = SL.css('--ramp').split(/\s+/);
  return `linear-gradient(90deg, ${stops.join(', ')})`;
};

/** Text colour readable on a ramp cell of value t. */
SL.inkOn = function (t) {
  const lut = SL.ramp();
  const i = Math.max(0, Math.min(255, Math.round(t * 255))) * 3;
  const luminance = 0.2126 * lut[i] + 0.7152 * lut[i + 1] + 0.0722 * lut[i + 2];
  return luminance < 140 ? '#ffffff' : '#111827';
};

/** A diagonal hatch for masked cells, so they never read as "small". */
SL.hatch = function (ctx) {
  const tile = document.createElement('canvas');
  tile.width = tile.height = 6;
  const t = tile.getContext('2d');
  t.fillStyle = SL.css('--pad');
  t.fillRect(0, 0, 6, 6);
  t.strokeStyle = SL.css('--pad-hatch');
  t.lineWidth = 1.2;
  t.beginPath();
  t.moveTo(-1, 7); t.lineTo(7, -1); t.moveTo(-1, 1); t.lineTo(1, -1); t.moveTo(5, 7); t.lineTo(7, 5);
  t.stroke();
  return ctx.createPattern(tile, 'repeat');
};

const HEAD_COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#ff9da7',
  '#9c755f', '#17becf', '#8c8c8c', '#bcbd22'];
SL.headColor = (h) => (h < HEAD_COLORS.length ? HEAD_COLORS[h] : `hsl(${(h * 137.5) % 360} 62% 52%)`);

SL.format = (v) => (v === 0 ? '0' : Math.abs(v) >= 100 ? v.toFixed(1) : Math.abs(v) >= 0.001 ? v.toFixed(4) : v.toExponential(2));

/** Fills a <select> with options whose text is set as text, never parsed. */
SL.fillSelect = function (select, items, selected) {
  select.replaceChildren();
  let group = null;
  items.forEach((item, i) => {
    const option = document.createElement('option');
    option.value = item.value ?? String(i);
    option.text = item.text;
    if (item.disabled) option.disabled = true;
    if (item.group && (!group || group.label !== item.group)) {
      group = document.createElement('optgroup');
      group.label = item.group; // a property, never parsed as markup
      select.append(group);
    }
    if (item.group) group.append(option); else select.add(option);
  });
  if (selected !== undefined) select.value = String(selected);
};

SL.range = (n, label) => Array.from({ length: n }, (_, i) => ({ value: String(i), text: label(i) }));

SL.tooltip = {
  el: SL.$('tooltip'),
  /** lines: array of [text, className?]; each becomes its own div with textContent. */
  show(x, y, lines) {
    const el = this.el;
    el.replaceChildren(...lines.map(([text, cls]) => {
      const div = document.createElement('div');
      div.textContent = text;
      if (cls) div.className = cls;
      return div;
    }));
    el.hidden = false;
    const pad = 14;
    const w = el.offsetWidth, h = el.offsetHeight;
    el.style.left = Math.min(x + pad, window.innerWidth - w - 8) + 'px';
    el.style.top = (y + pad + h > window.innerHeight ? y - h - pad : y + pad) + 'px';
  },
  hide() { this.el.hidden = true; },
};

/** Pointer position in a canvas's CSS pixels. */
SL.pointer = function (canvas, event) {
  const r = canvas.getBoundingClientRect();
  return { x: event.clientX - r.left, y: event.clientY - r.top };
};

/** The width a canvas may use: its card's or the page's content width (wrappers shrink to fit the canvas). */
SL.wrapWidth = function (canvas) {
  const host = canvas.closest('.card') || canvas.closest('main');
  const style = getComputedStyle(host);
  return Math.max(320, host.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 26);
};
