// The live page: texts typed in go to the server's /attention; its answer is a data object the views
// draw (SL.load), exactly as the static page draws its embedded one. Relative URLs: the page is served
// at the server's root. Messages from the server reach the page only as textContent.
(function () {
  const form = SL.$('live-form');
  const status = SL.$('live-status');

  function headers() {
    const h = { 'Content-Type': 'application/json' };
    const key = SL.$('live-key').value.trim();
    if (key) h.Authorization = 'Bearer ' + key;
    return h;
  }

  /** The non-empty lines of a text area, each kept as typed. */
  const lines = (id) => SL.$(id).value.split('\n').filter((t) => t.trim().length > 0);

  async function errorText(res) {
    const answer = await res.json().catch(() => null);
    const message = answer && (typeof answer.error === 'string' ? answer.error : answer.error && answer.error.message);
    return `${res.status}: ${message || res.statusText}`;
  }

  async function loadModels() {
    try {
      const res = await fetch('info', { headers: headers() });
      if (!res.ok) {
        status.textContent = res.status === 401 ? 'This server needs its API key: enter it, then run.' : 'Models: ' + await errorText(res);
        return;
      }
      const info = await res.json();
      const encoders = info.models.filter((m) => m.kind === 'embedding');
      SL.fillSelect(SL.$('live-model'), encoders.map((m) => ({ value: m.id, text: `${m.id} (${m.layers} × ${m.heads})` })));
      status.textContent = encoders.length ? 'Type texts and press “Show attention”.' : 'This server has no encoder to show.';
    } catch (e) {
      status.textContent = 'The server did not answer: ' + e.message;
    }
  }

  async function run(event) {
    event.preventDefault();
    const texts = lines('live-texts');
    const pairs = lines('live-pairs');
    if (texts.length === 0) { status.textContent = 'Type at least one text.'; return; }
    if (pairs.length > 0 && pairs.length !== texts.length) {
      status.textContent = `${pairs.length} pair text(s) for ${texts.length} text(s): give one per text, or none.`;
      return;
    }
    const body = { inputs: texts, padding_side: SL.$('live-padding').value };
    if (SL.$('live-model').value) body.model = SL.$('live-model').value;
    if (pairs.length > 0) body.pairs = pairs;
    SL.$('live-run').disabled = true;
    status.textContent = 'Running…';
    try {
      const res = await fetch('attention', { method: 'POST', headers: headers(), body: JSON.stringify(body) });
      if (!res.ok) { status.textContent = 'Error ' + await errorText(res); return; }
      const answer = await res.json();
      SL.load(answer.viewer);
      status.textContent = `${answer.model} · ${texts.length} input(s) · padding ${answer.padding_side}`;
      form.dataset.runs = String(Number(form.dataset.runs) + 1);
    } catch (e) {
      status.textContent = 'The server did not answer: ' + e.message;
    } finally {
      SL.$('live-run').disabled = false;
    }
  }

  form.addEventListener('submit', run);
  SL.$('live-key').addEventListener('change', loadModels);
  loadModels();
})();
