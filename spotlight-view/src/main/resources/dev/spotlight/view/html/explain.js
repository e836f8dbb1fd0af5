// Explanations: per-token attribution for one output position by four measures, and per-head statistics.
// For a decoder, pick a token (generated ones first): the bars show which earlier tokens the step that
// chose it drew on (row i − 1, whose output predicted token i), or, read as a query, its own row i.
SL.views.explain = (function () {
  const bars = SL.$('explain-canvas');
  const grid = SL.$('stats-canvas');
  const state = { method: 'rollout', query: 0, stat: 'entropy', read: 'chose', sequence: -1 };
  let gridGeometry = null;

  const last = () => SL.data.layers - 1;
  const slice = (matrix, s, r) => matrix.subarray(r * s.n, (r + 1) * s.n);
  const METHODS = {
    rollout: { text: 'Attention rollout', row: (s, r) => slice(s.rolloutAt(last()), s, r), reach: (s) => s.reach(SL.data.layers),
      unit: 'share of the input (rows sum to 1)' },
    flow: { text: 'Attention flow', row: (s, r) => slice(s.flow, s, r), available: (s) => s.flow !== null, reach: (s) => s.reach(SL.data.layers),
      unit: 'max-flow from the output position to each input token' },
    norm: { text: 'Norm ‖Σ α·f(x)‖ (last layer)', row: (s, r) => slice(s.normSummedAt(last()), s, r), reach: (s) => s.visible,
      available: (s) => s.normSummed !== null, unit: 'norm of each token’s contribution in the last layer' },
    attention: { text: 'Raw attention (last layer, mean of heads)', row: (s, r) => slice(s.meanHeads(last()), s, r), reach: (s) => s.visible,
      unit: 'attention probability' },
  };
  const STATS = {
    entropy: { text: 'Entropy (nats)', help: 'mean entropy of a query’s attention; low = focused, high = broad' },
    cls: { text: 'Share on [CLS]', decoderText: 'Share on first token', help: 'mean attention on the first token when it is special ([CLS], <s>)',
      decoderHelp: 'mean attention on the first token (<s> or whatever comes first: decoders park attention there)' },
    sep: { text: 'Share on [SEP]', decoderText: 'Share on other special tokens', help: 'mean attention on the other special tokens ([SEP], </s>)' },
    self: { text: 'Share on self', help: 'mean attention of a token on itself' },
    previous: { text: 'Share on previous token', help: 'mean attention on the token just before' },
  };
  const READS = [
    { value: 'chose', text: 'the step that chose it (row i − 1)' },
    { value: 'query', text: 'the token as a query (row i)' },
  ];

  function init() {
    SL.$('explain-method').addEventListener('change', (e) => { state.method = e.target.value; drawBars(); });
    SL.$('explain-query').addEventListener('change', (e) => { state.query = Number(e.target.value); drawBars(); });
    SL.fillSelect(SL.$('explain-read'), READS, state.read);
    SL.$('explain-read').addEventListener('change', (e) => { state.read = e.target.value; tokens(SL.seq()); drawBars(); });
    SL.$('stats-kind').addEventListener('change', (e) => { state.stat = e.target.value; drawGrid(); });
    grid.addEventListener('mousemove', onGridMove);
    grid.addEventListener('mouseleave', () => SL.tooltip.hide());
    grid.addEventListener('click', (event) => {
      const cell = gridHit(event);
      if (cell) { SL.tooltip.hide(); SL.openMatrix({ source: 'head', layer: cell.l, head: cell.h }); }
    });
  }

  const statText = (s, st) => (s.decoder && st.decoderText ? st.decoderText : st.text);

  function render() {
    const s = SL.seq();
    if (state.sequence !== s.index) {
      // A new sequence: start from its first generated token (a decoder) or its first position.
      state.sequence = s.index;
      state.query = s.decoder ? Math.min(s.promptTokens, s.n - 1) : 0;
    }
    if (state.query >= s.n) state.query = 0;
    const methods = Object.entries(METHODS).map(([value, m]) => {
      const ok = !m.available || m.available(s);
      return { value, text: ok ? m.text : m.text + ' — not available', disabled: !ok };
    });
    if (METHODS[state.method].available && !METHODS[state.method].available(s)) state.method = 'rollout';
    SL.fillSelect(SL.$('explain-method'), methods, state.method);
    SL.fillSelect(SL.$('stats-kind'), Object.entries(STATS).map(([value, st]) => ({ value, text: statText(s, st) })), state.stat);
    SL.$('explain-query-label').textContent = s.decoder ? 'Token' : 'Output position';
    SL.$('explain-read-field').hidden = !s.decoder;
    tokens(s);
    const legend = SL.$('explain-legend');
    legend.replaceChildren(...SL.tokenKeys(s));
    drawBars();
    drawGrid();
    notes(s);
  }

  /** The token choices: every position, or for a decoder its generated tokens first, then its prompt's. */
  function tokens(s) {
    const item = (i, group) => ({ value: String(i), text: `${i} · ${SL.label(s.tokens[i], 30)}`, group });
    if (!s.decoder) {
      SL.fillSelect(SL.$('explain-query'), s.tokens.map((t, i) => item(i)), state.query);
      return;
    }
    // Read as "the step that chose it", position 0 has no step before it.
    const first = state.read === 'chose' ? 1 : 0;
    if (state.query < first) state.query = Math.min(first, s.n - 1);
    const items = [];
    for (let i = s.promptTokens; i < s.n; i++) items.push(item(i, 'Generated tokens'));
    for (let i = first; i < s.promptTokens; i++) items.push(item(i, 'Prompt tokens'));
    SL.fillSelect(SL.$('explain-query'), items, state.query);
  }

  function drawBars() {
    const s = SL.seq();
    const method = METHODS[state.method];
    const i = state.query;
    // The row read: a decoder's token i was chosen from the output at i - 1, which saw tokens 0..i-1.
    const r = s.decoder && state.read === 'chose' ? i - 1 : i;
    const keys = s.decoder ? r + 1 : s.n; // a decoder row reaches only itself and earlier tokens
    const row = r >= 0 ? method.row(s, r) : new Float32Array(s.n);
    const visible = method.reach(s);
    const chose = s.decoder && state.read === 'chose';
    const ROW = 22;
    const width = Math.min(720, SL.wrapWidth(bars));
    const ctx = SL.setupCanvas(bars, width, (keys + (chose ? 1 : 0)) * ROW + 8);
    ctx.font = SL.font(12.5);
    let widest = 0;
    s.labels.forEach((t) => { widest = Math.max(widest, ctx.measureText(t).width); });
    const labelW = Math.min(170, Math.ceil(widest) + 14);
    const barMax = width - labelW - 70;
    let max = 0, total = 0, fromPrompt = 0;
    for (let j = 0; j < keys; j++) {
      max = Math.max(max, row[j]);
      total += row[j];
      if (j < s.promptTokens) fromPrompt += row[j];
    }
    const hatch = SL.hatch(ctx);
    const ink = SL.css('--text'), accent = SL.css('--accent');
    ctx.textBaseline = 'middle';
    for (let j = 0; j < keys; j++) {
      const y = 4 + j * ROW;
      const v = row[j];
      if (s.decoder && j < s.promptTokens) {
        ctx.fillStyle = SL.css('--prompt-soft'); // prompt tokens highlighted
        ctx.fillRect(0, y + 1, labelW - 2, ROW - 2);
      }
      ctx.textAlign = 'right';
      ctx.font = SL.font(12.5, s.special[j] || j === r ? 600 : 400);
      SL.drawToken(ctx, s.labels[j], labelW - 8, y + ROW / 2, s.decoder && s.generated(j), !chose && j === r ? accent : ink, labelW - 12);
      const hidden = visible && r >= 0 && !visible(r, j);
      ctx.fillStyle = hidden ? hatch : SL.css('--cell');
      ctx.fillRect(labelW, y + 4, barMax, ROW - 8);
      if (!hidden) {
        ctx.fillStyle = s.decoder && s.generated(j) ? SL.css('--generated-bar') : SL.rampColor(0.35 + 0.65 * (max > 0 ? v / max : 0));
        ctx.fillRect(labelW, y + 4, max > 0 ? (barMax * v) / max : 0, ROW - 8);
      }
      ctx.fillStyle = SL.css('--muted');
      ctx.textAlign = 'left';
      ctx.font = SL.font(11.5);
      ctx.fillText(hidden ? 'masked' : SL.format(v), labelW + barMax + 6, y + ROW / 2);
    }
    if (chose) {
      // The token this step chose, under the tokens it drew on.
      const y = 4 + keys * ROW;
      ctx.textAlign = 'right';
      ctx.font = SL.font(12.5, 650);
      SL.drawToken(ctx, s.labels[i], labelW - 8, y + ROW / 2, s.generated(i), accent, labelW - 12);
      ctx.textAlign = 'left';
      ctx.font = SL.font(12, 600);
      ctx.fillStyle = accent;
      ctx.fillText(`← chosen from position ${r}`, labelW, y + ROW / 2);
    }
    status(s, method, i, r, total > 0 ? fromPrompt / total : 0);
    Object.assign(bars.dataset, { method: state.method, query: String(i), row: String(r), keys: String(keys),
      promptShare: (total > 0 ? fromPrompt / total : 0).toFixed(4) });
  }

  function status(s, method, i, r, promptShare) {
    const el = SL.$('explain-status');
    el.replaceChildren();
    const strong = (text) => { const b = document.createElement('strong'); b.textContent = text; return b; };
    const text = (t) => document.createTextNode(t);
    if (!s.decoder) {
      el.append(text('Output position '), strong(s.tokens[i]),
        text(` (${i}) — ${method.unit}; bars scaled to the largest value.`));
      return;
    }
    el.append(text(s.generated(i) ? 'Generated token ' : 'Prompt token '), strong(s.tokens[i]), text(` (${i})`));
    if (state.read === 'chose') {
      el.append(text(' was chosen from the output at position '), strong(s.tokens[r]), text(` (${r})`));
    } else {
      el.append(text(' as a query'));
    }
    el.append(text(` — ${method.unit}; prompt tokens (highlighted) hold ${(100 * promptShare).toFixed(1)}% of the total.`));
  }

  function drawGrid() {
    const s = SL.seq();
    const values = s.raw.headStats[state.stat]; // [layer][head]
    const L = SL.data.layers, H = SL.data.heads;
    const LEFT = 34, TOP = 20;
    const cellW = Math.max(30, Math.min(48, Math.floor((SL.wrapWidth(grid) - LEFT) / H)));
    const cellH = 26;
    const ctx = SL.setupCanvas(grid, LEFT + H * cellW, TOP + L * cellH);
    gridGeometry = { LEFT, TOP, cellW, cellH, L, H };
    let max = 0;
    values.forEach((r) => r.forEach((v) => { if (v > max) max = v; }));
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'center';
    ctx.font = SL.font(10.5, 600);
    ctx.fillStyle = SL.css('--muted');
    for (let h = 0; h < H; h++) ctx.fillText(`H${h}`, LEFT + h * cellW + cellW / 2, TOP / 2);
    ctx.textAlign = 'right';
    for (let l = 0; l < L; l++) ctx.fillText(`L${l}`, LEFT - 8, TOP + l * cellH + cellH / 2);
    ctx.textAlign = 'center';
    ctx.font = SL.font(cellW >= 40 ? 11 : 9.5);
    for (let l = 0; l < L; l++) {
      for (let h = 0; h < H; h++) {
        const t = max > 0 ? values[l][h] / max : 0;
        ctx.fillStyle = SL.rampColor(t);
        ctx.fillRect(LEFT + h * cellW + 1, TOP + l * cellH + 1, cellW - 2, cellH - 2);
        ctx.fillStyle = SL.inkOn(t);
        ctx.fillText(values[l][h].toFixed(2), LEFT + h * cellW + cellW / 2, TOP + l * cellH + cellH / 2 + 0.5);
      }
    }
    const st = STATS[state.stat];
    SL.$('stats-status').textContent = `${s.decoder && st.decoderHelp ? st.decoderHelp : st.help}`
      + `${s.decoder ? '; queries that see only themselves (the first, under a causal mask) are left out' : ''}. Click a head to open its matrix.`;
  }

  function gridHit(event) {
    if (!gridGeometry) return null;
    const g = gridGeometry;
    const { x, y } = SL.pointer(grid, event);
    const h = Math.floor((x - g.LEFT) / g.cellW), l = Math.floor((y - g.TOP) / g.cellH);
    return h >= 0 && l >= 0 && h < g.H && l < g.L ? { l, h } : null;
  }

  function onGridMove(event) {
    const cell = gridHit(event);
    grid.style.cursor = cell ? 'pointer' : 'default';
    if (!cell) { SL.tooltip.hide(); return; }
    const s = SL.seq();
    const stats = s.raw.headStats;
    SL.tooltip.show(event.clientX, event.clientY, [
      [`layer ${cell.l} · head ${cell.h}`, 'value'],
      ...Object.entries(STATS).map(([key, st]) => [`${statText(s, st)}: ${stats[key][cell.l][cell.h].toFixed(4)}`, 'dim']),
    ]);
  }

  function notes(s) {
    const el = SL.$('explain-notes');
    el.replaceChildren();
    const h = document.createElement('h3');
    h.textContent = 'How these are computed';
    el.append(h);
    const para = (title, text) => {
      const p = document.createElement('p');
      const b = document.createElement('strong');
      b.textContent = title + '. ';
      p.append(b, document.createTextNode(text));
      el.append(p);
    };
    para('Attention rollout', 'Abnar & Zuidema (2020): per layer, average the heads, add the identity for the residual connection, re-normalise each row, then multiply the layers’ matrices from the first to the last.');
    const limit = SL.data.flowMaxTokens;
    para('Attention flow', `Abnar & Zuidema (2020): the maximum flow from an output position to an input token through the layered graph whose edge capacities are the residual-augmented attention. It needs one max-flow per token pair, so it is computed only for inputs of at most ${limit} tokens; this input has ${s.n} tokens${s.flow ? '' : ', so flow is not shown'}.`);
    para('Norm-based attribution', s.valueNorms
      ? 'Kobayashi et al. (2020): a token’s contribution is the vector α·f(x), where f(x) = (x W_v + b_v) W_o is the head’s value vector projected to the hidden space; its norm ‖α·f(x)‖ is shown per head, and ‖Σ_h α_h·f_h(x)‖ for the heads summed.'
      : 'Kobayashi et al. (2020): needs the per-head value vectors, which this capture does not include.');
    para('Head statistics', 'Clark et al. (2019): entropy and the shares of attention on [CLS], [SEP], the token itself and the previous token, each averaged over the query positions.');
    if (s.decoder) {
      para('Decoders', `The attention is causal${s.pattern.kind === 'sliding_window' ? ` with a sliding window of ${s.pattern.window}` : ''}: a position sees only itself and earlier tokens, so the hidden keys are exactly 0 and drawn hatched. Token i was chosen from the output at position i − 1, so “what the step that chose it drew on” reads row i − 1: tokens 0 to i − 1, the prompt’s highlighted. Rollout and flow chain the layers through their residual connections${s.pattern.kind === 'sliding_window' ? ', so they reach further back than one window' : ''}. In the head statistics a decoder’s first token counts as the first-token share whether or not it is special, and queries that see only themselves are left out of the means.`);
    }
    para('Precision', 'Matrices are stored in this file as 16-bit fractions of their maximum (error below 0.00001 for attention).');
  }

  /** New data: the next render starts from the first sequence's default position again. */
  function reset() {
    state.sequence = -1;
  }

  return { init, reset, render, state };
})();
