// Wiring: tabs, sequence choice, theme, resizing, and a read-only state snapshot for tests.
(function () {
  const TABS = ['batch', 'head', 'model', 'matrix', 'explain'];
  const rendered = new Set(); // views drawn for the current sequence and theme

  function show(tab) {
    SL.state.tab = tab;
    if (!SL.data) return;
    document.querySelectorAll('.tabs button').forEach((b) => b.setAttribute('aria-selected', String(b.dataset.tab === tab)));
    TABS.forEach((t) => { SL.$('tab-' + t).hidden = t !== tab; });
    SL.tooltip.hide();
    if (!rendered.has(tab)) { SL.views[tab].render(); rendered.add(tab); }
  }

  function invalidate() {
    rendered.clear();
    show(SL.state.tab);
  }

  SL.selectSequence = function (index) {
    SL.state.sequence = index;
    SL.$('sequence').value = String(index);
    const s = SL.data.sequences[index];
    SL.$('caption').textContent = s.text;
    SL.$('caption').title = s.text;
    invalidate();
  };

  SL.openMatrix = function (target) {
    SL.views.matrix.open(target);
    rendered.delete('matrix');
    show('matrix');
  };

  function setTheme(theme) {
    SL.state.theme = theme;
    document.documentElement.dataset.theme = theme;
    SL.$('theme').textContent = theme === 'dark' ? 'Light theme' : 'Dark theme';
    invalidate();
  }

  /**
   * Shows a data object (docs/VIEWER.md): the one the static page embeds, or, on the live page, each
   * answer of /attention. Views keep their listeners; what depends on the data is rebuilt.
   */
  SL.load = function (data) {
    SL.data = data;
    SL.cache.clear();
    const pattern = data.sequences[0].pattern;
    const patternText = pattern.kind === 'bidirectional' ? '' : pattern.kind === 'causal' ? ' · causal' : ` · sliding window ${pattern.window}`;
    SL.$('meta').textContent = `${data.model || 'model'} · ${data.layers} layers × ${data.heads} heads${patternText} · ${data.sequences.length} input(s)`;
    SL.fillSelect(SL.$('sequence'), data.sequences.map((s, i) => ({ value: String(i), text: `${i + 1}: ${SL.label(s.text, 40)}` })), 0);
    SL.views.head.reset();
    SL.views.matrix.reset();
    SL.views.explain.reset();
    showContent(true);
    SL.selectSequence(0);
  };

  /** The tabs and views exist only with data: a live page starts with none. */
  function showContent(visible) {
    document.querySelector('nav.tabs').hidden = !visible;
    document.querySelector('main').hidden = !visible;
    SL.$('sequence').closest('label').hidden = !visible;
  }

  SL.$('sequence').addEventListener('change', (e) => SL.selectSequence(Number(e.target.value)));
  document.querySelectorAll('.tabs button').forEach((b) => b.addEventListener('click', () => show(b.dataset.tab)));
  SL.$('theme').addEventListener('click', () => setTheme(SL.state.theme === 'dark' ? 'light' : 'dark'));
  document.querySelectorAll('select.contrast').forEach((select) => {
    SL.fillSelect(select, [{ value: 'linear', text: 'Linear' }, { value: 'sqrt', text: '√ (lift small values)' }], 'linear');
    select.addEventListener('change', () => {
      SL.state.contrast = select.value;
      document.querySelectorAll('select.contrast').forEach((other) => { other.value = select.value; });
      invalidate();
    });
  });
  SL.views.head.init();
  SL.views.matrix.init();
  SL.views.explain.init();
  let resizeTimer = 0;
  window.addEventListener('resize', () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(invalidate, 150); });

  SL.state.theme = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  document.documentElement.dataset.theme = SL.state.theme;
  SL.$('theme').textContent = SL.state.theme === 'dark' ? 'Light theme' : 'Dark theme';
  SL.state.tab = location.hash && TABS.includes(location.hash.slice(1)) ? location.hash.slice(1) : 'batch';
  if (SL.data) SL.load(SL.data); else showContent(false);

  window.spotlight = Object.freeze({
    state: () => JSON.parse(JSON.stringify({
      tab: SL.state.tab, sequence: SL.state.sequence, theme: SL.state.theme,
      head: { layer: SL.views.head.state.layer, heads: Array.from(SL.views.head.state.heads), hover: SL.views.head.state.hover, lines: SL.views.head.state.lines },
      matrix: SL.views.matrix.state,
      explain: SL.views.explain.state,
    })),
  });
})();
