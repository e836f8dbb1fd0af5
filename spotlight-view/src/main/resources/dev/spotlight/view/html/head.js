// Head view: queries on the left, keys on the right, one line per (query, key, head) weighted by opacity.
// Lines are bucketed by opacity into a few Path2D strokes per head, so 512 tokens draw in one frame.
// Under a causal pattern a query connects only to the keys it can see; hovering a token hatches the
// tokens on the other side that it cannot reach, as padding is hatched elsewhere.
SL.views.head = (function () {
  const canvas = SL.$('head-canvas');
  const TOP = 34, ROW = 20, BUCKETS = 20;
  const state = { layer: 0, heads: new Set(), hover: null, lines: 0 };
  let geometry = null;

  function init() {
    const layer = SL.$('head-layer');
    layer.addEventListener('change', () => { state.layer = Number(layer.value); draw(); });
    SL.$('head-all').addEventListener('click', () => setHeads(Array.from({ length: SL.data.heads }, (_, h) => h)));
    SL.$('head-none').addEventListener('click', () => setHeads([]));
    canvas.addEventListener('mousemove', onMove);
    canvas.addEventListener('mouseleave', () => { if (state.hover) { state.hover = null; draw(); } });
  }

  /** Layer choice and one chip per head for the data now loaded: every head shown, layer 0. */
  function reset() {
    state.heads = new Set(Array.from({ length: SL.data.heads }, (_, h) => h));
    state.layer = 0;
    state.hover = null;
    SL.fillSelect(SL.$('head-layer'), SL.range(SL.data.layers, (l) => `${l}`), 0);
    const chips = SL.$('head-chips');
    chips.replaceChildren();
    for (let h = 0; h < SL.data.heads; h++) {
      const chip = document.createElement('button');
      chip.type = 'button';
      chip.className = 'chip';
      chip.dataset.head = String(h);
      chip.setAttribute('aria-pressed', 'true');
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = SL.headColor(h);
      chip.append(swatch, document.createTextNode(`H${h}`));
      chip.title = 'Click to toggle head ' + h + '; double-click to show it alone';
      chip.addEventListener('click', () => { toggle(h); });
      chip.addEventListener('dblclick', () => { setHeads([h]); });
      chips.append(chip);
    }
  }

  function toggle(h) {
    if (state.heads.has(h)) state.heads.delete(h); else state.heads.add(h);
    syncChips();
    draw();
  }

  function setHeads(heads) {
    state.heads = new Set(heads);
    syncChips();
    draw();
  }

  function syncChips() {
    SL.$('head-chips').querySelectorAll('.chip').forEach((chip) => {
      chip.setAttribute('aria-pressed', String(state.heads.has(Number(chip.dataset.head))));
    });
  }

  function onMove(event) {
    if (!geometry) return;
    const { x, y } = SL.pointer(canvas, event);
    const i = Math.floor((y - TOP) / ROW);
    let hover = null;
    if (i >= 0 && i < geometry.n) {
      if (x <= geometry.colW) hover = { side: 'query', index: i };
      else if (x >= geometry.width - geometry.colW) hover = { side: 'key', index: i };
    }
    const same = (hover && state.hover && hover.side === state.hover.side && hover.index === state.hover.index) || (!hover && !state.hover);
    if (!same) { state.hover = hover; draw(); }
  }

  function render() {
    state.hover = null;
    draw();
  }

  function draw() {
    const s = SL.seq();
    const n = s.n;
    const measure = canvas.getContext('2d');
    measure.font = SL.font(13);
    let widest = 0;
    s.labels.forEach((t) => { widest = Math.max(widest, measure.measureText(t).width); });
    const colW = Math.min(190, Math.ceil(widest) + 22);
    const width = Math.min(SL.wrapWidth(canvas), Math.max(560, colW * 2 + 420));
    const height = TOP + n * ROW + 10;
    const ctx = SL.setupCanvas(canvas, width, height);
    geometry = { n, colW, width };
    const x1 = colW + 4, x2 = width - colW - 4;

    ctx.font = SL.font(11, 600);
    ctx.fillStyle = SL.css('--muted');
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'right';
    ctx.fillText('QUERY', colW - 8, 14);
    ctx.textAlign = 'left';
    ctx.fillText('KEY', width - colW + 8, 14);

    const hover = state.hover;
    if (hover) {
      ctx.fillStyle = SL.css('--accent-soft');
      const x = hover.side === 'query' ? 0 : width - colW;
      ctx.beginPath();
      ctx.roundRect(x + 2, TOP + hover.index * ROW + 1, colW - 4, ROW - 2, 4);
      ctx.fill();
    }
    canvas.dataset.unreachable = '0';
    if (hover) hatchUnreachable(ctx, s, width, colW);
    if (hover && state.heads.size > 0) shadeCounterparts(ctx, s, width, colW);
    state.lines = drawLines(ctx, s, x1, x2);
    ctx.globalAlpha = 1;
    const ink = SL.css('--text'), muted = SL.css('--muted'); // read once: 512 rows would restyle 1024 times
    for (let i = 0; i < n; i++) {
      const y = TOP + i * ROW + ROW / 2;
      const dimQuery = hover && hover.side === 'query' && hover.index !== i;
      const dimKey = hover && hover.side === 'key' && hover.index !== i;
      ctx.font = SL.font(13, s.special[i] ? 600 : 400);
      ctx.textAlign = 'right';
      SL.drawToken(ctx, s.labels[i], colW - 10, y, s.generated(i) && !dimQuery, dimQuery ? muted : ink);
      ctx.textAlign = 'left';
      SL.drawToken(ctx, s.labels[i], width - colW + 10, y, s.generated(i) && !dimKey, dimKey ? muted : ink);
    }
    canvas.dataset.lines = String(state.lines);
    canvas.dataset.rowTop = String(TOP);
    canvas.dataset.rowHeight = String(ROW);
    canvas.dataset.hover = hover ? `${hover.side}:${hover.index}` : '';
    canvas.dataset.layer = String(state.layer);
    canvas.dataset.heads = Array.from(state.heads).sort((a, b) => a - b).join(',');
    status(s);
    legend(s);
  }

  function legend(s) {
    const el = SL.$('head-legend');
    el.replaceChildren(...SL.tokenKeys(s));
    if (s.decoder) el.append(SL.legendKey('hatch', '', 'hover a token: the tokens it cannot reach are hatched (' + SL.hiddenKeys(s.pattern) + ')'));
  }

  /** Hatches the tokens on the other side that the hovered one cannot reach (later keys, earlier queries). */
  function hatchUnreachable(ctx, s, width, colW) {
    if (!s.visible) return;
    const hover = state.hover;
    const x = hover.side === 'query' ? width - colW : 0;
    ctx.fillStyle = SL.hatch(ctx);
    let count = 0;
    for (let k = 0; k < s.n; k++) {
      const seen = hover.side === 'query' ? s.visible(hover.index, k) : s.visible(k, hover.index);
      if (seen) continue;
      ctx.beginPath();
      ctx.roundRect(x + 2, TOP + k * ROW + 1, colW - 4, ROW - 2, 4);
      ctx.fill();
      count++;
    }
    canvas.dataset.unreachable = String(count);
  }

  /** Behind the tokens on the other side, a wash as strong as the mean weight over the shown heads. */
  function shadeCounterparts(ctx, s, width, colW) {
    const n = s.n, heads = Array.from(state.heads), hover = state.hover;
    const x = hover.side === 'query' ? width - colW : 0;
    ctx.fillStyle = SL.css('--accent');
    for (let k = 0; k < n; k++) {
      let w = 0;
      for (const h of heads) {
        const a = s.head(state.layer, h);
        w += (hover.side === 'query' ? a[hover.index * n + k] : a[k * n + hover.index]) / heads.length;
      }
      if (w < 0.01) continue;
      ctx.globalAlpha = Math.min(0.55, w * 0.9);
      ctx.beginPath();
      ctx.roundRect(x + 2, TOP + k * ROW + 1, colW - 4, ROW - 2, 4);
      ctx.fill();
    }
    ctx.globalAlpha = 1;
  }

  /** Strokes the lines of every shown head and returns how many were drawn. */
  function drawLines(ctx, s, x1, x2) {
    const n = s.n, visible = s.visible;
    const hover = state.hover;
    const threshold = hover ? 0.005 : 0.02; // fainter lines are invisible against the page anyway
    let count = 0;
    ctx.lineWidth = hover ? 2 : 1.4;
    ctx.lineCap = 'round';
    for (const h of Array.from(state.heads).sort((a, b) => a - b)) {
      const a = s.head(state.layer, h);
      const paths = new Array(BUCKETS).fill(null);
      const qFrom = hover && hover.side === 'query' ? hover.index : 0;
      const qTo = hover && hover.side === 'query' ? hover.index + 1 : n;
      for (let i = qFrom; i < qTo; i++) {
        const kFrom = hover && hover.side === 'key' ? hover.index : 0;
        const kTo = hover && hover.side === 'key' ? hover.index + 1 : n;
        for (let j = kFrom; j < kTo; j++) {
          const w = a[i * n + j];
          if (w < threshold || (visible && !visible(i, j))) continue; // a query connects only to keys it sees
          const b = Math.min(BUCKETS - 1, Math.floor(w * BUCKETS));
          const path = paths[b] || (paths[b] = new Path2D());
          path.moveTo(x1, TOP + i * ROW + ROW / 2);
          path.lineTo(x2, TOP + j * ROW + ROW / 2);
          count++;
        }
      }
      ctx.strokeStyle = SL.headColor(h);
      paths.forEach((path, b) => {
        if (!path) return;
        ctx.globalAlpha = (b + 0.5) / BUCKETS; // opacity is the weight (bucket midpoint)
        ctx.stroke(path);
      });
    }
    return count;
  }

  function status(s) {
    const el = SL.$('head-status');
    el.replaceChildren();
    const strong = (text) => { const b = document.createElement('strong'); b.textContent = text; return b; };
    const text = (t) => document.createTextNode(t);
    const hover = state.hover;
    if (!hover || state.heads.size === 0) {
      el.append(text(`Layer ${state.layer} · ${state.heads.size} of ${SL.data.heads} heads · ${state.lines} lines with weight ≥ 0.02`
        + (s.decoder ? ' · each query connects only to itself and the earlier keys it can see' : '')));
      return;
    }
    const n = s.n, heads = Array.from(state.heads);
    const mean = new Float32Array(n);
    for (const h of heads) {
      const a = s.head(state.layer, h);
      for (let k = 0; k < n; k++) {
        mean[k] += (hover.side === 'query' ? a[hover.index * n + k] : a[k * n + hover.index]) / heads.length;
      }
    }
    const top = Array.from(mean.keys()).sort((p, q) => mean[q] - mean[p]).slice(0, 4);
    el.append(text(hover.side === 'query' ? 'From ' : 'Into '), strong(s.tokens[hover.index]),
      text(` (${hover.side} ${hover.index}) — ${hover.side === 'query' ? 'attends most to' : 'most attended by'}: `));
    top.forEach((k, r) => {
      if (r > 0) el.append(text(' · '));
      el.append(strong(s.tokens[k]), text(' ' + mean[k].toFixed(3)));
    });
    el.append(text(` (mean over ${heads.length} shown heads, ${state.lines} lines)`));
  }

  function select(layer) {
    state.layer = layer;
    SL.$('head-layer').value = String(layer);
  }

  return { init, reset, render, select, state };
})();
