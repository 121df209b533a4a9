// LogWeave's page for `logweave serve`: the live tail of one served log with
// CMTrace's colours, a file picker, the triage strip and the Task sequence
// outline. Plain JavaScript, no framework, nothing fetched from elsewhere.
//
// The token comes from the address's fragment (`#TOKEN` or
// `#TOKEN&pin=sha256:HEX`), which browsers never send to a server; it is only
// ever sent in the Authorization header, never in a query string, and never
// stored. Every text from the server goes in through textContent.
'use strict';

(() => {
  const MAX_ROWS = 20000;         // rows kept in the page; the oldest go first
  const TAIL_BYTES = 1 << 20;     // a file opens on its last MiB of records
  const WAIT_SECONDS = 25;        // long poll on /v1/changes
  const SIDE_EVERY_MS = 15000;    // triage and outline refresh, at most this often
  const $ = (id) => document.getElementById(id);

  const token = tokenFromFragment();
  let current = null;             // id of the shown file
  let next = null;                // offset of the next record; null: load the tail
  let generation = null;          // last /v1/changes generation seen
  let useChanges = true;          // false when the server has no /v1/changes
  let paused = false;
  let epoch = 0;                  // bumped on every restart: older loops stop
  let controller = null;          // aborts the running loop's requests
  let sideFetched = 0;
  let outlineShown = false;

  // The token is the fragment up to the first '&' (what follows is the pin).
  function tokenFromFragment() {
    const raw = location.hash.slice(1).split('&')[0];
    try { return decodeURIComponent(raw).trim(); } catch (e) { return raw.trim(); }
  }

  // A refused token (401) or too many refused tokens (429): nothing to retry.
  class Refused extends Error {
    constructor(status) { super('refused'); this.status = status; }
  }
  class HttpError extends Error {
    constructor(status) { super('HTTP ' + status); this.status = status; }
  }

  // GET a /v1 path with the token; JSON (or text) back. Aborted with `signal`
  // or after `timeoutMs`, so no wait is unbounded.
  async function api(path, signal, timeoutMs = 20000, asText = false) {
    const ctl = new AbortController();
    const abort = () => ctl.abort();
    if (signal) {
      if (signal.aborted) abort();
      signal.addEventListener('abort', abort);
    }
    const timer = setTimeout(abort, timeoutMs);
    try {
      const res = await fetch(path, {
        headers: { Authorization: 'Bearer ' + token },
        cache: 'no-store',
        signal: ctl.signal,
      });
      if (res.status === 401 || res.status === 429) throw new Refused(res.status);
      if (!res.ok) throw new HttpError(res.status);
      const body = asText ? await res.text() : await res.json();
      // An answer that arrives after a restart belongs to the old loop.
      if (signal && signal.aborted) throw new DOMException('stopped', 'AbortError');
      return body;
    } finally {
      clearTimeout(timer);
      if (signal) signal.removeEventListener('abort', abort);
    }
  }

  const sleep = (ms, signal) => new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    if (signal) signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); });
  });

  function setStatus(text, lost = false) {
    $('status').textContent = text;
    $('status').classList.toggle('lost', lost);
  }

  // Only the message (and the prompt, to paste the right address) stays.
  function refuse(status) {
    epoch++;
    if (controller) controller.abort();
    $('app').hidden = true;
    $('rows').replaceChildren();
    $('message').textContent = status === 429
      ? 'Too many wrong tokens from this address. Wait a minute, then open the address serve printed.'
      : 'The token was not accepted. Open the address serve printed, or paste it below.';
    $('message').hidden = false;
    $('prompt').hidden = false;
    $('gate').hidden = false;
  }

  // ---- the file picker -------------------------------------------------

  const label = (id) => { try { return decodeURIComponent(id); } catch (e) { return id; } };
  const baseName = (f) => label(f.id).split('/').pop().toLowerCase();

  // Lists the served files; keeps the shown one if it is still there, else
  // picks smsts.log, else the first .log, else the first file.
  async function listFiles(signal) {
    const files = (await api('/v1/files', signal)).files || [];
    const select = $('file');
    select.replaceChildren(...files.map((f) => {
      const option = document.createElement('option');
      option.value = f.id;
      option.textContent = label(f.id);
      option.title = f.path || '';
      return option;
    }));
    if (!files.some((f) => f.id === current)) {
      const pick = files.find((f) => baseName(f) === 'smsts.log')
        || files.find((f) => baseName(f).endsWith('.log')) || files[0];
      current = pick ? pick.id : null;
      next = null;
    }
    select.value = current || '';
    return files;
  }

  // ---- the rows ----------------------------------------------------------

  function cell(text, className) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    return td;
  }

  // Appends records to the list (dropping the oldest past MAX_ROWS) and,
  // while following, keeps the newest in view.
  function addRows(rows) {
    if (!rows.length) return;
    const fragment = document.createDocumentFragment();
    for (const r of rows.slice(-MAX_ROWS)) {
      const tr = document.createElement('tr');
      tr.className = r.severity || 'info';
      const text = cell(r.message || '');
      text.title = r.message || '';
      const time = cell(r.time || '', 'time');
      if (r.utc) time.title = r.utc + ' (UTC)';
      tr.append(text, cell(r.component || ''), time, cell(r.thread || '', 'thread'));
      fragment.append(tr);
    }
    const body = $('rows');
    body.append(fragment);
    for (let extra = body.childElementCount - MAX_ROWS; extra > 0; extra--) {
      body.firstElementChild.remove();
    }
    keepBottom();
  }

  // While following, the newest row stays in view (also when the strip or
  // the window changes the list's height).
  function keepBottom() {
    if (!paused) $('list').scrollTop = $('list').scrollHeight;
  }

  const rowsPath = (query) => '/v1/rows/' + current + '?' + query;

  // The file's last records, replacing what is shown.
  async function loadTail(signal) {
    const answer = await api(rowsPath('last=' + TAIL_BYTES), signal);
    $('rows').replaceChildren();
    addRows(answer.rows || []);
    next = answer.next;
  }

  // Every complete record after `next` (the server answers in pieces).
  async function catchUp(signal) {
    for (let round = 0; round < 64; round++) {
      const answer = await api(rowsPath('from=' + next), signal);
      const rows = answer.rows || [];
      if (!rows.length) return;
      addRows(rows);
      next = answer.next;
      refreshSide(false);
    }
  }

  // Waits until the server reports a change (or a second, without /v1/changes).
  async function waitForChange(signal) {
    if (!useChanges) return sleep(1000, signal);
    let answer;
    try {
      const since = generation === null ? '' : 'since=' + generation + '&wait=' + WAIT_SECONDS;
      answer = await api('/v1/changes?' + since, signal, (WAIT_SECONDS + 10) * 1000);
    } catch (e) {
      if (e instanceof HttpError && e.status === 404) { useChanges = false; return undefined; }
      throw e;
    }
    const first = generation === null;
    generation = answer.generation;
    if (first) return undefined;
    let relist = answer.reset;
    for (const event of answer.events || []) {
      if (event.kind === 'new' || event.kind === 'removed' || event.kind === 'rolled_over') relist = true;
      if (event.id === current && event.kind !== 'appended') next = null;
    }
    if (answer.reset) next = null;
    if (relist) await listFiles(signal);
    return undefined;
  }

  // The follow loop of one epoch: tail, catch up, wait, again; retries with
  // a growing pause when the connection is lost.
  async function follow(my, signal) {
    let delay = 1000;
    while (my === epoch && !paused) {
      try {
        if (current === null) await listFiles(signal);
        if (current === null) { setStatus('no logs are shared'); await sleep(5000, signal); continue; }
        if (generation === null && useChanges) await waitForChange(signal);
        if (next === null) await loadTail(signal);
        await catchUp(signal);
        if (my !== epoch) return;
        setStatus('following');
        delay = 1000;
        // At most 4 rounds a second, even if the server answers at once.
        const began = Date.now();
        await waitForChange(signal);
        await sleep(250 - (Date.now() - began), signal);
      } catch (e) {
        if (my !== epoch || paused) return;               // stopped on purpose
        if (e instanceof Refused) { refuse(e.status); return; }
        if (e instanceof HttpError && e.status === 416) { next = null; continue; }
        if (e instanceof HttpError && e.status === 404) { current = null; }
        setStatus('connection lost, retrying…', true);
        await sleep(delay, signal);
        delay = Math.min(delay * 2, 10000);
      }
    }
  }

  // Stops the running loop and starts a new one; paused, only a newly
  // picked file is loaded (and shown from its end).
  function restart() {
    epoch++;
    if (controller) controller.abort();
    controller = new AbortController();
    if (!paused) {
      follow(epoch, controller.signal);
    } else if (next === null && current !== null) {
      loadTail(controller.signal).then(() => {
        $('list').scrollTop = $('list').scrollHeight;
      }, () => setStatus('paused (the log could not be loaded)'));
    }
  }

  // ---- triage strip and Task sequence outline ------------------------------

  const OUTCOMES = { failed: 'Failed', succeeded: 'Succeeded', running: 'Running', unknown: 'Unknown' };

  function showTriage(t) {
    const strip = $('triage');
    strip.className = t.outcome || '';
    $('triage-outcome').textContent = OUTCOMES[t.outcome] || t.outcome || '';
    $('triage-step').textContent = t.failed_step ? 'at ' + t.failed_step : (t.task_sequence || '');
    const code = [t.code_hex || (t.exit_code == null ? '' : String(t.exit_code)), t.code_name || '']
      .filter(Boolean).join(' ');
    $('triage-code').textContent = code;
    $('triage-code').hidden = !code;
    $('triage-meaning').textContent = t.meaning || '';
    strip.hidden = false;
  }

  // `logweave outline --json` is JSON Lines (steps, then the outcome); an
  // array or {"steps": [...]} is taken too.
  function parseOutline(text) {
    let items;
    let leftOut = 0;
    try {
      const whole = JSON.parse(text);
      items = Array.isArray(whole) ? whole : (whole.steps || [whole]);
      leftOut = Number(whole.steps_left_out) || 0;
    } catch (e) {
      items = text.split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line));
    }
    const steps = items.filter((s) => s && typeof s.name === 'string');
    steps.leftOut = leftOut;  // the server lists the last steps of a very long outline
    return steps;
  }

  const MARKS = { success: '✓', failed: '✗', 'failed-continued': '!', running: '▶' };

  // An exit code as people write it: decimal below 0x10000, else 0x and hex.
  function codeText(code) {
    if (code == null || code === 0) return '';
    const unsigned = code >>> 0;
    return unsigned < 0x10000 ? String(unsigned) : '0x' + unsigned.toString(16).toUpperCase().padStart(8, '0');
  }

  function showOutline(steps) {
    const list = $('steps');
    list.replaceChildren(...steps.map((s) => {
      const li = document.createElement('li');
      const result = String(s.result || '');
      li.className = (s.kind === 'group' ? 'group ' : 'step ') + (result.startsWith('skipped') ? 'skipped' : result);
      li.style.paddingLeft = (8 + 14 * (s.depth || 0)) + 'px';  // CSSOM, allowed by the CSP
      li.title = result + (s.duration_ms != null ? ', ' + Math.round(s.duration_ms / 1000) + ' s' : '');
      const mark = document.createElement('span');
      mark.className = 'mark';
      mark.textContent = MARKS[result] || (result.startsWith('skipped') ? '–' : '');
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = s.name;
      li.append(mark, name);
      if (result.startsWith('failed') && codeText(s.exit_code)) {
        const code = document.createElement('span');
        code.className = 'code';
        code.textContent = codeText(s.exit_code);
        li.append(code);
      }
      return li;
    }));
    if (steps.leftOut) {
      const note = document.createElement('li');
      note.className = 'note';
      note.textContent = steps.leftOut.toLocaleString() + ' earlier steps not shown';
      list.prepend(note);
    }
    $('outline').hidden = steps.length === 0;
    // The first time, bring the failing step into view.
    const failed = list.querySelector('li.failed.step');
    if (failed && !outlineShown) {
      $('outline').scrollTop = failed.offsetTop - $('outline').clientHeight / 2;
      outlineShown = true;
    }
  }

  // Fetches triage and outline (now, or if not fetched for a while); a 404
  // hides the part, any other failure keeps what is shown.
  function refreshSide(now) {
    if (!now && Date.now() - sideFetched < SIDE_EVERY_MS) return;
    sideFetched = Date.now();
    const hideOn404 = (id) => (e) => {
      if (e instanceof HttpError && e.status === 404) $(id).hidden = true;
    };
    api('/v1/triage').then(showTriage, hideOn404('triage'));
    api('/v1/outline', null, 20000, true).then((text) => showOutline(parseOutline(text)), hideOn404('outline'));
  }

  // ---- start -----------------------------------------------------------------

  function togglePause() {
    paused = !paused;
    $('pause').textContent = paused ? 'Resume' : 'Pause';
    $('pause').setAttribute('aria-pressed', String(paused));
    if (paused) {
      epoch++;
      if (controller) controller.abort();
      setStatus('paused');
    } else {
      restart();    // catches up from where it stopped
    }
  }

  function wire() {
    // Pasting an address or a token sets the fragment; a new fragment starts over.
    $('prompt-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const value = $('prompt-input').value.trim();
      location.hash = value.includes('#') ? value.slice(value.indexOf('#') + 1) : value;
    });
    window.addEventListener('hashchange', () => location.reload());
    $('file').addEventListener('change', () => {
      current = $('file').value;
      next = null;
      $('rows').replaceChildren();
      restart();
    });
    $('pause').addEventListener('click', togglePause);
    new ResizeObserver(keepBottom).observe($('list'));
    // A click unfolds a long or multi-line message; another folds it back.
    $('rows').addEventListener('click', (event) => {
      const tr = event.target.closest('tr');
      if (tr && !window.getSelection().toString()) tr.classList.toggle('open');
    });
  }

  function start() {
    wire();
    if (!token) {
      $('gate').hidden = false;
      $('prompt').hidden = false;
      $('prompt-input').focus();
      return;
    }
    document.title = 'LogWeave — ' + location.hostname;
    $('title').textContent = document.title;
    $('app').hidden = false;
    setStatus('connecting…');
    // The list first: a refused token stops here, before anything else is asked.
    listFiles().then(() => {
      refreshSide(true);
      restart();
    }, (e) => {
      if (e instanceof Refused) refuse(e.status);
      else restart();     // the loop retries and says the connection is lost
    });
  }

  start();
})();
