// Batch & mask view: the padded rectangle, wrapped into blocks of positions that fit the width. A generated
// batch is laid out as Hugging Face generate does: prompts left-padded to one length, generated tokens after
// them, and pads after the last token of a row that finished early.
SL.views.batch = (function () {
  const canvas = SL.$('batch-canvas');
  const GUTTER = 92, ROW = 26, MASK_ROW = 20, GAP = 8, HEADER = 18, BLOCK_GAP = 18;
  let geometry = null;

  /** The padded position where generation starts (every prompt ends there), or -1 without generated tokens. */
  function generationStart() {
    const s = SL.data.sequences.find((q) => q.promptTokens < q.tokens.length);
    return s ? s.attentionMask.indexOf(1) + s.promptTokens : -1;
  }

  /** Index of the first mark (a task's answer, …) holding token k of sequence s, or -1. */
  function markOf(s, k) {
    return (s.marks || []).findIndex((m) => m.tokens.includes(k));
  }

  /** What sits at padded position p of sequence s: 'lead' pad, 'trail' pad, or 'token' with its index k. */
  function slot(s, p) {
    const offset = s.attentionMask.indexOf(1);
    const k = p - offset;
    if (k < 0) return { kind: 'lead' };
    if (k >= s.tokens.length) return { kind: 'trail' };
    return { kind: 'token', k, generated: k >= s.promptTokens, special: s.special[k] };
  }

  function renderInputs() {
    const list = SL.$('batch-inputs');
    list.replaceChildren(...SL.data.sequences.map((s, i) => {
      const li = document.createElement('li');
      const text = document.createElement('span');
      text.className = 'text';
      text.textContent = s.text;
      text.title = s.text;
      li.append(text);
      const count = document.createElement('span');
      count.className = 'count';
      const generated = s.tokens.length - s.promptTokens;
      count.textContent = generated > 0 ? `${s.promptTokens} prompt + ${generated} generated tokens` : `${s.tokens.length} tokens`;
      li.append(count);
      if (i === SL.state.sequence) li.className = 'selected';
      return li;
    }));
    const legend = SL.$('batch-legend');
    const start = generationStart();
    legend.replaceChildren(SL.legendKey('', 'var(--cell)', start >= 0 ? 'prompt token' : 'token'));
    if (start >= 0) legend.append(SL.legendKey('', 'var(--generated-soft)', 'generated token'));
    legend.append(SL.legendKey('', 'var(--special)', 'special token'), SL.legendKey('hatch', '', 'padding'),
      SL.legendKey('', 'var(--mask-on)', 'mask 1'), SL.legendKey('', 'var(--mask-off)', 'mask 0'));
    SL.data.sequences.forEach((s, r) => (s.marks || []).forEach((m, i) => {
      const key = SL.legendKey('marked', '', `input ${r + 1} · ${m.label}: ${m.tokens.map((k) => s.tokens[k]).join(' ')}`);
      key.firstChild.style.borderColor = SL.css(markColour(i));
      legend.append(key);
    }));
    const info = document.createElement('span');
    info.textContent = start >= 0
      ? `prompts padded on the ${SL.data.paddingSide} · generation from position ${start} · rows that finished early are padded after their last token · padded length ${SL.data.paddedLength}`
      : `padding side: ${SL.data.paddingSide} · padded length ${SL.data.paddedLength} · ${SL.data.sequences.length} input(s)`;
    legend.append(info);
  }

  function markColour(i) {
    return `--mark-${i % 3}`;
  }

  function render() {
    renderInputs();
    let marked = 0;
    const sequences = SL.data.sequences;
    const P = SL.data.paddedLength;
    const width = SL.wrapWidth(canvas);
    const measure = document.createElement('canvas').getContext('2d');
    measure.font = SL.font(12.5);
    let widest = 0;
    sequences.forEach((s) => s.tokens.forEach((t) => { widest = Math.max(widest, measure.measureText(SL.label(t, 14)).width); }));
    const cell = Math.max(40, Math.min(110, Math.ceil(widest) + 14));
    const perBlock = Math.max(1, Math.min(P, Math.floor((width - GUTTER) / cell)));
    const blocks = Math.ceil(P / perBlock);
    const blockHeight = HEADER + sequences.length * (ROW + MASK_ROW + GAP);
    const height = blocks * blockHeight + (blocks - 1) * BLOCK_GAP + 4;
    const drawWidth = GUTTER + perBlock * cell + 2;
    const ctx = SL.setupCanvas(canvas, drawWidth, height);
    geometry = { cell, perBlock, blockHeight };
    Object.assign(canvas.dataset, { gutter: GUTTER, cell, rowStep: ROW + MASK_ROW + GAP, header: HEADER, perBlock });
    const hatch = SL.hatch(ctx);
    ctx.textBaseline = 'middle';
    const start = generationStart();
    for (let b = 0; b < blocks; b++) {
      const top = b * (blockHeight + BLOCK_GAP);
      ctx.font = SL.font(10.5);
      ctx.textAlign = 'center';
      for (let c = 0; c < perBlock && b * perBlock + c < P; c++) {
        const p = b * perBlock + c;
        ctx.fillStyle = start >= 0 && p >= start ? SL.css('--generated') : SL.css('--muted'); // generation steps
        ctx.fillText(String(p), GUTTER + c * cell + cell / 2, top + HEADER / 2);
      }
      sequences.forEach((s, r) => {
        const y = top + HEADER + r * (ROW + MASK_ROW + GAP);
        const selected = r === SL.state.sequence;
        ctx.textAlign = 'right';
        ctx.font = SL.font(12, selected ? 650 : 500);
        ctx.fillStyle = selected ? SL.css('--accent') : SL.css('--text');
        ctx.fillText(`input ${r + 1}`, GUTTER - 12, y + ROW / 2);
        ctx.font = SL.font(11);
        ctx.fillStyle = SL.css('--muted');
        ctx.fillText('mask', GUTTER - 12, y + ROW + MASK_ROW / 2);
        if (selected) {
          ctx.fillStyle = SL.css('--accent');
          ctx.fillRect(2, y + 2, 3, ROW + MASK_ROW - 4);
        }
        for (let c = 0; c < perBlock && b * perBlock + c < P; c++) {
          const p = b * perBlock + c;
          const x = GUTTER + c * cell;
          const at = slot(s, p);
          const real = at.kind === 'token';
          ctx.fillStyle = !real ? hatch : at.special ? SL.css('--special') : at.generated ? SL.css('--generated-soft') : SL.css('--cell');
          roundRect(ctx, x + 1.5, y + 1, cell - 3, ROW - 2, 4);
          ctx.fill();
          ctx.textAlign = 'center';
          if (real) {
            ctx.font = SL.font(12.5, at.special ? 600 : 400);
            SL.drawToken(ctx, SL.label(s.tokens[at.k], 14), x + cell / 2, y + ROW / 2, at.generated, SL.css('--text'), cell - 8);
          } else {
            ctx.font = SL.font(11, 400);
            ctx.fillStyle = SL.css('--muted');
            ctx.fillText('pad', x + cell / 2, y + ROW / 2);
          }
          const mark = real ? markOf(s, at.k) : -1;
          if (mark >= 0) {
            // A marked token (the task's answer): a thick outline in the mark's colour.
            ctx.strokeStyle = SL.css(markColour(mark));
            ctx.lineWidth = 2.5;
            roundRect(ctx, x + 1.5, y + 1, cell - 3, ROW - 2, 4);
            ctx.stroke();
            marked++;
          }
          ctx.fillStyle = real ? SL.css('--mask-on') : SL.css('--mask-off');
          ctx.fillRect(x + 1.5, y + ROW + 2, cell - 3, MASK_ROW - 4);
          ctx.fillStyle = real ? SL.css('--mask-on-text') : SL.css('--mask-off-text');
          ctx.font = SL.font(11, 600);
          ctx.fillText(real ? '1' : '0', x + cell / 2, y + ROW + MASK_ROW / 2);
        }
      });
      if (start > b * perBlock && start < (b + 1) * perBlock) {
        // Every prompt ends before this column: a rule where generation begins.
        ctx.fillStyle = SL.css('--generated');
        ctx.fillRect(GUTTER + (start - b * perBlock) * cell - 1, top + 2, 1.5, blockHeight - GAP - 2);
      }
    }
    canvas.dataset.generationStart = String(start);
    canvas.dataset.marked = String(marked);
  }

  function roundRect(ctx, x, y, w, h, r) {
    ctx.beginPath();
    ctx.roundRect(x, y, w, h, r);
  }

  function hit(event) {
    if (!geometry) return null;
    const { x, y } = SL.pointer(canvas, event);
    const { cell, perBlock, blockHeight } = geometry;
    const b = Math.floor(y / (blockHeight + BLOCK_GAP));
    const inBlock = y - b * (blockHeight + BLOCK_GAP) - HEADER;
    if (inBlock < 0 || x < GUTTER) return null;
    const r = Math.floor(inBlock / (ROW + MASK_ROW + GAP));
    const c = Math.floor((x - GUTTER) / cell);
    const p = b * perBlock + c;
    if (r >= SL.data.sequences.length || c >= perBlock || p >= SL.data.paddedLength) return null;
    const inRow = inBlock - r * (ROW + MASK_ROW + GAP);
    return inRow < ROW + MASK_ROW ? { r, p } : null;
  }

  canvas.addEventListener('mousemove', (event) => {
    const h = hit(event);
    if (!h) { SL.tooltip.hide(); return; }
    const s = SL.data.sequences[h.r];
    const at = slot(s, h.p);
    const generated = s.promptTokens < s.tokens.length;
    const what = at.kind === 'token'
      ? (at.generated ? `generated token ${at.k - s.promptTokens + 1} of ${s.tokens.length - s.promptTokens}` : generated ? 'prompt token' : 'token')
      : at.kind === 'lead' ? (generated ? 'padding before the prompt' : 'padding')
        : (generated ? 'padding after the sequence finished' : 'padding');
    SL.tooltip.show(event.clientX, event.clientY, [
      [`input ${h.r + 1} · position ${h.p} · ${what}`, 'dim'],
      [at.kind === 'token' ? s.tokens[at.k] : '(padding)', 'value'],
      [`attention_mask = ${at.kind === 'token' ? 1 : 0}${at.special ? ' · special token' : ''}`, 'dim'],
      ...(at.kind === 'token' ? (s.marks || []).filter((m) => m.tokens.includes(at.k)).map((m) => [m.label, 'dim']) : []),
    ]);
  });
  canvas.addEventListener('mouseleave', () => SL.tooltip.hide());
  canvas.addEventListener('click', (event) => {
    const h = hit(event);
    if (h) SL.selectSequence(h.r);
  });

  return { render };
})();
