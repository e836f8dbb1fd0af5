// Model view: all layers × heads as thumbnails in one canvas; each head is painted once into a small
// ImageData (max-pooled when larger than the thumbnail), so 144 heads of 512 tokens cost one pass over the data.
SL.views.model = (function () {
  const canvas = SL.$('model-canvas');
  const overlay = SL.$('model-overlay');
  const LEFT = 34, TOP = 22, GAP = 6;
  let geometry = null;

  /**
   * Shrinks an n×n matrix to m×m by taking each block's maximum: averaging (what image smoothing does)
   * would wash a sharp diagonal of a 512-token head into the background.
   */
  function maxPool(matrix, n, m) {
    const out = new Float32Array(m * m);
    for (let i = 0; i < n; i++) {
      const a = Math.floor((i * m) / n);
      for (let j = 0; j < n; j++) {
        const b = Math.floor((j * m) / n);
        const v = matrix[i * n + j];
        if (v > out[a * m + b]) out[a * m + b] = v;
      }
    }
    return out;
  }

  /** Paints an n×n matrix, scaled to its maximum, into a canvas of at most `size` pixels a side. */
  function paint(source, sourceN, size) {
    const n = sourceN > size ? size : sourceN;
    const matrix = sourceN > size ? maxPool(source, sourceN, n) : source;
    const tile = document.createElement('canvas');
    tile.width = tile.height = n;
    const t = tile.getContext('2d');
    const image = t.createImageData(n, n);
    const lut = SL.ramp();
    let max = 0;
    for (let k = 0; k < matrix.length; k++) if (matrix[k] > max) max = matrix[k];
    const scale = max > 0 ? 1 / max : 0;
    for (let k = 0; k < n * n; k++) {
      const c = Math.round(SL.tone(matrix[k] * scale) * 255) * 3;
      image.data[4 * k] = lut[c];
      image.data[4 * k + 1] = lut[c + 1];
      image.data[4 * k + 2] = lut[c + 2];
      image.data[4 * k + 3] = 255;
    }
    t.putImageData(image, 0, 0);
    return tile;
  }

  function render() {
    const s = SL.seq();
    const L = SL.data.layers, H = SL.data.heads;
    const available = SL.wrapWidth(canvas) - LEFT;
    const thumb = Math.max(36, Math.min(96, Math.floor(available / H) - GAP));
    const width = LEFT + H * (thumb + GAP);
    const height = TOP + L * (thumb + GAP);
    const ctx = SL.setupCanvas(canvas, width, height);
    SL.setupCanvas(overlay, width, height);
    geometry = { thumb, L, H };
    ctx.font = SL.font(11, 600);
    ctx.fillStyle = SL.css('--muted');
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'center';
    for (let h = 0; h < H; h++) ctx.fillText(`H${h}`, LEFT + h * (thumb + GAP) + thumb / 2, TOP / 2);
    ctx.textAlign = 'right';
    for (let l = 0; l < L; l++) ctx.fillText(`L${l}`, LEFT - 8, TOP + l * (thumb + GAP) + thumb / 2);
    ctx.imageSmoothingEnabled = false; // crisp blocks; shrinking is done by max-pooling in paint
    const pixels = Math.round(thumb * (window.devicePixelRatio || 1));
    const hidden = hiddenPath(s, thumb);
    const hatch = hidden && SL.hatch(ctx);
    for (let l = 0; l < L; l++) {
      for (let h = 0; h < H; h++) {
        const x = LEFT + h * (thumb + GAP), y = TOP + l * (thumb + GAP);
        ctx.drawImage(paint(s.head(l, h), s.n, pixels), x, y, thumb, thumb);
        if (hidden) {
          // The keys the pattern hides, hatched as padding is; every head shares the same ones.
          ctx.save();
          ctx.translate(x, y);
          ctx.fillStyle = hatch;
          ctx.fill(hidden);
          ctx.restore();
        }
      }
    }
    const legend = SL.$('model-legend');
    legend.replaceChildren();
    if (s.decoder) legend.append(SL.legendKey('hatch', '', 'masked: ' + SL.hiddenKeys(s.pattern)));
    canvas.dataset.hatched = String(Boolean(hidden));
  }

  /** One path of the cells the pattern hides, in a thumbnail's CSS pixels, or null when none are hidden. */
  function hiddenPath(s, thumb) {
    if (!s.visible) return null;
    const path = new Path2D();
    const c = thumb / s.n;
    SL.hiddenRuns(s.visible, s.n, (i, from, to) => path.rect(from * c, i * c, (to - from) * c, c));
    return path;
  }

  function hit(event) {
    if (!geometry) return null;
    const { x, y } = SL.pointer(canvas, event);
    const step = geometry.thumb + GAP;
    const h = Math.floor((x - LEFT) / step), l = Math.floor((y - TOP) / step);
    if (h < 0 || l < 0 || h >= geometry.H || l >= geometry.L) return null;
    if ((x - LEFT) % step > geometry.thumb || (y - TOP) % step > geometry.thumb) return null;
    return { l, h };
  }

  function outline(target) {
    const ctx = overlay.getContext('2d');
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, overlay.width, overlay.height);
    if (!target) return;
    const step = geometry.thumb + GAP;
    ctx.strokeStyle = SL.css('--accent');
    ctx.lineWidth = 2.5;
    ctx.strokeRect(LEFT + target.h * step - 2, TOP + target.l * step - 2, geometry.thumb + 4, geometry.thumb + 4);
  }

  canvas.addEventListener('mousemove', (event) => {
    const target = hit(event);
    outline(target);
    canvas.style.cursor = target ? 'pointer' : 'default';
    if (!target) { SL.tooltip.hide(); return; }
    const s = SL.seq();
    const stats = s.raw.headStats;
    const f = (v) => v.toFixed(3);
    SL.tooltip.show(event.clientX, event.clientY, [
      [`layer ${target.l} · head ${target.h}`, 'value'],
      [`entropy ${f(stats.entropy[target.l][target.h])} nats · self ${f(stats.self[target.l][target.h])} · previous ${f(stats.previous[target.l][target.h])}`, 'dim'],
      [s.decoder
        ? `first token ${f(stats.cls[target.l][target.h])} · other special ${f(stats.sep[target.l][target.h])} · click to open`
        : `[CLS] ${f(stats.cls[target.l][target.h])} · [SEP] ${f(stats.sep[target.l][target.h])} · click to open`, 'dim'],
    ]);
  });
  canvas.addEventListener('mouseleave', () => { outline(null); SL.tooltip.hide(); });
  canvas.addEventListener('click', (event) => {
    const target = hit(event);
    if (target) { SL.tooltip.hide(); SL.openMatrix({ source: 'head', layer: target.l, head: target.h }); }
  });

  return { render, paint };
})();
