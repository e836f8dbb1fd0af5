// Matrix view: one matrix as a heatmap with token labels on both axes, in the padded frame when asked,
// masked cells hatched so they never read as small values: padding rows and columns, and the keys a
// causal or sliding-window pattern hides (the upper triangle of a decoder).
SL.views.matrix = (function () {
  const canvas = SL.$('matrix-canvas');
  const overlay = SL.$('matrix-overlay');
  const state = { source: 'head', layer: 0, head: 0, padding: true };
  let geometry = null;

  const SOURCES = {
    head: { text: 'Attention · one head', layer: true, head: true, get: (s) => s.head(state.layer, state.head),
      describe: () => `attention probabilities, layer ${state.layer}, head ${state.head}` },
    mean: { text: 'Attention · mean over heads', layer: true, get: (s) => s.meanHeads(state.layer),
      describe: () => `mean attention over ${SL.data.heads} heads, layer ${state.layer}` },
    // Rollout and flow chain layers, so a sliding window reaches further back in them than in one layer.
    rollout: { text: 'Attention rollout', layer: true, get: (s) => s.rolloutAt(state.layer), chained: () => state.layer + 1,
      describe: () => `attention rollout through layers 0–${state.layer} (rows: position after layer ${state.layer}, columns: input token)` },
    flow: { text: 'Attention flow', get: (s) => s.flow, available: (s) => s.flow !== null, chained: () => SL.data.layers,
      unavailable: () => `Attention flow (only for inputs ≤ ${SL.data.flowMaxTokens} tokens)`,
      describe: () => 'attention flow: max-flow from each output position (rows) to each input token (columns)' },
    normHead: { text: 'Norm ‖α·f(x)‖ · one head', layer: true, head: true, get: (s) => s.normHead(state.layer, state.head),
      available: (s) => s.valueNorms !== null, unavailable: () => 'Norm ‖α·f(x)‖ (value vectors not captured)',
      describe: () => `norm-based attribution α·‖f(x)‖, layer ${state.layer}, head ${state.head}` },
    normSum: { text: 'Norm ‖Σ α·f(x)‖ · heads summed', layer: true, get: (s) => s.normSummedAt(state.layer),
      available: (s) => s.normSummed !== null, unavailable: () => 'Norm ‖Σ α·f(x)‖ (value vectors not captured)',
      describe: () => `norm of the heads' summed contribution ‖Σ_h α·f_h(x)‖, layer ${state.layer}` },
  };

  function init() {
    const source = SL.$('matrix-source'), layer = SL.$('matrix-layer'), head = SL.$('matrix-head');
    source.addEventListener('change', () => { state.source = source.value; render(); });
    layer.addEventListener('change', () => { state.layer = Number(layer.value); render(); });
    head.addEventListener('change', () => { state.head = Number(head.value); render(); });
    SL.$('matrix-padding').addEventListener('change', (e) => { state.padding = e.target.checked; render(); });
    canvas.addEventListener('mousemove', onMove);
    canvas.addEventListener('mouseleave', () => { clearOverlay(); SL.tooltip.hide(); });
  }

  /** Layer and head choices for the data now loaded, starting from layer 0, head 0. */
  function reset() {
    state.layer = 0;
    state.head = 0;
    SL.fillSelect(SL.$('matrix-layer'), SL.range(SL.data.layers, (l) => `${l}`), 0);
    SL.fillSelect(SL.$('matrix-head'), SL.range(SL.data.heads, (h) => `${h}`), 0);
  }

  function syncControls(s) {
    const items = Object.entries(SOURCES).map(([value, src]) => {
      const ok = !src.available || src.available(s);
      return { value, text: ok ? src.text : src.unavailable(), disabled: !ok };
    });
    if (SOURCES[state.source].available && !SOURCES[state.source].available(s)) state.source = 'head';
    SL.fillSelect(SL.$('matrix-source'), items, state.source);
    SL.$('matrix-layer').value = String(state.layer);
    SL.$('matrix-head').value = String(state.head);
    SL.$('matrix-layer-field').hidden = !SOURCES[state.source].layer;
    SL.$('matrix-head-field').hidden = !SOURCES[state.source].head;
    SL.$('matrix-padding').disabled = s.padded === s.n;
  }

  function render() {
    const s = SL.seq();
    syncControls(s);
    const src = SOURCES[state.source];
    const matrix = src.get(s); // [query][key] over real tokens, flat
    const padded = state.padding && s.padded > s.n;
    const N = padded ? s.padded : s.n;
    const real = (p) => (padded ? p - s.offset : p); // padded position -> real token index
    const isReal = (p) => { const k = real(p); return k >= 0 && k < s.n; };
    const label = (p) => (isReal(p) ? s.labels[real(p)] : 'pad');
    const position = (k) => (padded ? k + s.offset : k); // real token index -> row / column in the frame
    const chained = src.chained ? src.chained() : 1; // layers the source chains (rollout, flow)
    const visible = s.reach(chained);

    const measure = canvas.getContext('2d');
    const available = SL.wrapWidth(canvas);
    let cell = Math.floor((available - 150) / N);
    cell = Math.max(2, Math.min(30, cell));
    const withLabels = cell >= 9;
    const fontSize = Math.min(12.5, Math.max(9, cell - 3));
    measure.font = SL.font(fontSize);
    let widest = 0;
    if (withLabels) for (let p = 0; p < N; p++) widest = Math.max(widest, measure.measureText(SL.label(label(p), 14)).width);
    const labelSpace = withLabels ? Math.ceil(widest) + 14 : 24;
    const left = labelSpace, top = labelSpace;
    const width = left + N * cell + 4, height = top + N * cell + 4;
    const ctx = SL.setupCanvas(canvas, width, height);
    SL.setupCanvas(overlay, width, height);
    let max = 0;
    for (let k = 0; k < matrix.length; k++) if (matrix[k] > max) max = matrix[k];
    geometry = { N, cell, left, top, real, isReal, matrix, n: s.n, max, s, visible, chained };

    // Cells: one pixel per entry, scaled up without smoothing.
    const tile = document.createElement('canvas');
    tile.width = tile.height = N;
    const t = tile.getContext('2d');
    const image = t.createImageData(N, N);
    const lut = SL.ramp();
    const scale = max > 0 ? 1 / max : 0;
    for (let p = 0; p < N; p++) {
      for (let q = 0; q < N; q++) {
        const o = 4 * (p * N + q);
        const v = isReal(p) && isReal(q) ? matrix[real(p) * s.n + real(q)] : 0;
        const c = Math.round(SL.tone(v * scale) * 255) * 3;
        image.data[o] = lut[c]; image.data[o + 1] = lut[c + 1]; image.data[o + 2] = lut[c + 2]; image.data[o + 3] = 255;
      }
    }
    t.putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(tile, left, top, N * cell, N * cell);
    const hatch = SL.hatch(ctx);
    ctx.fillStyle = hatch;
    if (padded) {
      // Each padding row and column is masked whole (pads may lie before and after the real tokens).
      for (let p = 0; p < N; p++) {
        if (!isReal(p)) {
          ctx.fillRect(left + p * cell, top, cell, N * cell);
          ctx.fillRect(left, top + p * cell, N * cell, cell);
        }
      }
    }
    // Keys the pattern hides, with the same hatch: masked, not small.
    let hidden = 0;
    SL.hiddenRuns(visible, s.n, (i, from, to) => {
      ctx.fillRect(left + position(from) * cell, top + position(i) * cell, (to - from) * cell, cell);
      hidden += to - from;
    });
    if (cell >= 12) {
      ctx.strokeStyle = SL.css('--panel');
      ctx.lineWidth = 1;
      ctx.beginPath();
      for (let p = 1; p < N; p++) {
        ctx.moveTo(left + p * cell + 0.5, top); ctx.lineTo(left + p * cell + 0.5, top + N * cell);
        ctx.moveTo(left, top + p * cell + 0.5); ctx.lineTo(left + N * cell, top + p * cell + 0.5);
      }
      ctx.stroke();
    }
    if (s.generatedTokens > 0) {
      // Where the generated tokens start, on both axes.
      const at = position(s.promptTokens) * cell;
      ctx.fillStyle = SL.css('--generated');
      ctx.fillRect(left + at - 0.75, top, 1.5, N * cell);
      ctx.fillRect(left, top + at - 0.75, N * cell, 1.5);
    }
    if (withLabels) {
      ctx.font = SL.font(fontSize);
      ctx.textBaseline = 'middle';
      const ink = SL.css('--text'), muted = SL.css('--muted');
      for (let p = 0; p < N; p++) {
        const generated = isReal(p) && s.generated(real(p));
        const color = isReal(p) ? ink : muted;
        ctx.textAlign = 'right';
        SL.drawToken(ctx, SL.label(label(p), 14), left - 6, top + p * cell + cell / 2, generated, color);
        ctx.save();
        ctx.translate(left + p * cell + cell / 2, top - 6);
        ctx.rotate(-Math.PI / 2);
        ctx.textAlign = 'left';
        SL.drawToken(ctx, SL.label(label(p), 14), 0, 0, generated, color);
        ctx.restore();
      }
    } else {
      ctx.font = SL.font(11);
      ctx.fillStyle = SL.css('--muted');
      ctx.textBaseline = 'middle';
      ctx.fillText('keys →', left, top / 2);
      ctx.save();
      ctx.translate(left / 2, top);
      ctx.rotate(Math.PI / 2);
      ctx.fillText('queries →', 0, 0);
      ctx.restore();
    }
    legend(s, src, max, padded, hidden > 0, chained);
    canvas.dataset.source = state.source;
    canvas.dataset.layer = String(state.layer);
    canvas.dataset.head = String(state.head);
    canvas.dataset.size = String(N);
    canvas.dataset.cell = String(cell);
    canvas.dataset.gridLeft = String(left);
    canvas.dataset.gridTop = String(top);
    canvas.dataset.hidden = String(hidden);
    canvas.dataset.promptStart = String(position(0));
    canvas.dataset.promptTokens = String(s.promptTokens);
  }

  function legend(s, src, max, padded, hidden, chained) {
    const el = SL.$('matrix-legend');
    el.replaceChildren();
    const span = (text, cls) => { const e = document.createElement('span'); e.className = cls || ''; e.textContent = text; return e; };
    const ramp = document.createElement('span');
    ramp.className = 'ramp';
    ramp.style.background = SL.rampGradient();
    const scale = document.createElement('span');
    scale.className = 'key';
    scale.append(span('0'), ramp, span(SL.format(max)));
    el.append(scale);
    if (padded) el.append(SL.legendKey('hatch', '', 'masked (padding)'));
    if (hidden) el.append(SL.legendKey('hatch', '', 'masked: ' + SL.hiddenKeys(s.pattern, chained)));
    el.append(...SL.tokenKeys(s));
    el.append(span(src.describe() + (SL.state.contrast === 'sqrt' ? ' · colour ∝ √value' : '')));
  }

  function clearOverlay() {
    const ctx = overlay.getContext('2d');
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, overlay.width, overlay.height);
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    return ctx;
  }

  function onMove(event) {
    if (!geometry) return;
    const g = geometry;
    const { x, y } = SL.pointer(canvas, event);
    const q = Math.floor((x - g.left) / g.cell), p = Math.floor((y - g.top) / g.cell);
    const ctx = clearOverlay();
    if (p < 0 || q < 0 || p >= g.N || q >= g.N) { SL.tooltip.hide(); return; }
    ctx.fillStyle = SL.css('--accent');
    ctx.globalAlpha = 0.12;
    ctx.fillRect(0, g.top + p * g.cell, g.left + g.N * g.cell, g.cell);
    ctx.fillRect(g.left + q * g.cell, 0, g.cell, g.top + g.N * g.cell);
    ctx.globalAlpha = 1;
    ctx.strokeStyle = SL.css('--accent');
    ctx.lineWidth = 2;
    ctx.strokeRect(g.left + q * g.cell, g.top + p * g.cell, g.cell, g.cell);
    const name = (pos) => {
      if (!g.isReal(pos)) return '(padding)';
      const k = g.real(pos);
      return `“${g.s.tokens[k]}” (${k}${g.s.decoder ? (g.s.generated(k) ? ', generated' : ', prompt') : ''})`;
    };
    const lines = [[`query ${name(p)}`, 'dim'], [`key ${name(q)}`, 'dim']];
    if (!g.isReal(p) || !g.isReal(q)) {
      lines.push([!g.isReal(q) ? 'masked — key is padding' : 'masked — query is padding', 'value']);
    } else if (g.visible && !g.visible(g.real(p), g.real(q))) {
      lines.push([`masked — ${SL.hiddenReason(g.s.pattern, g.real(p), g.real(q), g.chained)}`, 'value']);
    } else {
      lines.push([SL.format(g.matrix[g.real(p) * g.n + g.real(q)]), 'value']);
    }
    SL.tooltip.show(event.clientX, event.clientY, lines);
  }

  function open(target) {
    Object.assign(state, target);
  }

  return { init, reset, render, open, state };
})();
