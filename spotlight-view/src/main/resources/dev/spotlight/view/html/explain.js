// Explanations: per-token attribution for one output position by four measures, and per-head statistics.
SL.views.explain = (function () {
  const bars = SL.$('explain-canvas');
  const grid = SL.$('stats-canvas');
  const state = { method: 'rollout', query: 0, stat: 'entropy' };
  let gridGeometry = null;

  const METHODS = {
    rollout: { text: 'Attention rollout', row: (s, i) => s.rolloutAt(SL.data.layers - 1).subarray(i * s.n, (i + 1) * s.n),
      unit: 'share of the input (rows sum to 1)' },
    flow: { text: 'Attention flow', row: (s, i) => s.flow.subarray(i * s.n, (i + 1) * s.n), available: (s) => s.flow !== null,
      unit: 'max-flow from the output position to each input token' },
    norm: { text: 'Norm ‖Σ α·f(x)‖ (last layer)', row: (s, i) => s.normSummedAt(SL.data.layers - 1).subarray(i * s.n, (i + 1) * s.n),
      available: (s) => s.normSummed !== null, unit: 'norm of each token’s contribution in the last layer' },
    attention: { text: 'Raw attention (last layer, mean of heads)', row: (s, i) => s.meanHeads(SL.data.layers - 1).subarray(i * s.n, (i + 1) * s.n),
      unit: 'attention probability' },
  };
  const STATS = {
    entropy: { text: 'Entropy (nats)', help: 'mean entropy of a query’s attention; low = focused, high = broad' },
    cls: { text: 'Share on [CLS]', help: 'mean attention on the first token when it is special ([CLS], <s>)' },
    sep: { text: 'Share on [SEP]', help: 'mean attention on the other special tokens ([SEP], </s>)' },
    self: { text: 'Share on self', help: 'mean attention of a token on itself' },
    previous: { text: 'Share on previous token', help: 'mean attention on the token just before' },
  };

  function init() {
    SL.$('explain-method').addEventListener('change', (e) => { state.method = e.target.value; drawBars(); });
    SL.$('explain-query').addEventListener('change', (e) => { state.query = Number(e.target.value); drawBars(); });
    SL.fillSelect(SL.$('stats-kind'), Object.entries(STATS).map(([value, st]) => ({ value, text: st.text })), state.stat);
    SL.$('stats-kind').addEventListener('change', (e) => { state.stat = e.target.value; drawGrid(); });
    grid.addEventListener('mousemove', onGridMove);
    grid.addEventListener('mouseleave', () => SL.tooltip.hide());
    grid.addEventListener('click', (event) => {
      const cell = gridHit(event);
      if (cell) { SL.tooltip.hide(); SL.openMatrix({ source: 'head', layer: cell.l, head: cell.h }); }
    });
  }

  function render() {
    const s = SL.seq();
    if (state.query >= s.n) state.query = 0;
    const methods = Object.entries(METHODS).map(([value, m]) => {
      const ok = !m.available || m.available(s);
      return { value, text: ok ? m.text : m.text + ' — not available', disabled: !ok };
    });
    if (METHODS[state.method].available && !METHODS[state.method].available(s)) state.method = 'rollout';
    SL.fillSelect(SL.$('explain-method'), methods, state.method);
    SL.fillSelect(SL.$('explain-query'), s.tokens.map((t, i) => ({ value: String(i), text: `${i} · ${SL.label(t, 30)}` })), state.query);
    drawBars();
    drawGrid();
    notes(s);
  }

  function drawBars() {
    const s = SL.seq();
    const method = METHODS[state.method];
    const row = method.row(s, state.query);
    const ROW = 22;
    const width = Math.min(720, SL.wrapWidth(bars));
    const ctx = SL.setupCanvas(bars, width, s.n * ROW + 8);
    ctx.font = SL.font(12.5);
    let widest = 0;
    s.labels.forEach((t) => { widest = Math.max(widest, ctx.measureText(t).width); });
    const labelW = Math.min(170, Math.ceil(widest) + 14);
    const barMax = width - labelW - 70;
    let max = 0;
    row.forEach((v) => { if (v > max) max = v; });
    ctx.textBaseline = 'middle';
    for (let j = 0; j < s.n; j++) {
      const y = 4 + j * ROW;
      const v = row[j];
      ctx.fillStyle = j === state.query ? SL.css('--accent') : SL.css('--text');
      ctx.textAlign = 'right';
      ctx.font = SL.font(12.5, s.special[j] || j === state.query ? 600 : 400);
      ctx.fillText(s.labels[j], labelW - 8, y + ROW / 2);
      ctx.fillStyle = SL.css('--cell');
      ctx.fillRect(labelW, y + 4, barMax, ROW - 8);
      ctx.fillStyle = SL.rampColor(0.35 + 0.65 * (max > 0 ? v / max : 0));
      ctx.fillRect(labelW, y + 4, max > 0 ? (barMax * v) / max : 0, ROW - 8);
      ctx.fillStyle = SL.css('--muted');
      ctx.textAlign = 'left';
      ctx.font = SL.font(11.5);
      ctx.fillText(SL.format(v), labelW + barMax + 6, y + ROW / 2);
    }
    const status = SL.$('explain-status');
    status.replaceChildren();
    const strong = document.createElement('strong');
    strong.textContent = s.tokens[state.query];
    status.append(document.createTextNode('Output position '), strong,
      document.createTextNode(` (${state.query}) — ${method.unit}; bars scaled to the largest value.`));
    bars.dataset.method = state.method;
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
    SL.$('stats-status').textContent = `${STATS[state.stat].help}. Click a head to open its matrix.`;
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
    const stats = SL.seq().raw.headStats;
    SL.tooltip.show(event.clientX, event.clientY, [
      [`layer ${cell.l} · head ${cell.h}`, 'value'],
      ...Object.entries(STATS).map(([key, st]) => [`${st.text}: ${stats[key][cell.l][cell.h].toFixed(4)}`, 'dim']),
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
    para('Precision', 'Matrices are stored in this file as 16-bit fractions of their maximum (error below 0.00001 for attention).');
  }

  return { init, render, state };
})();
