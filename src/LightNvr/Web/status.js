// The status page's live part. It asks for the page's view (GET /api/status/view) every 2 s and puts
// it into the elements the server rendered: every word, colour, sentence and number about the state
// was decided by the appliance (Web/StatusView.cs), as for the first paint. The script words only its
// own requests: an action's answer, a thumbnail that did not come, the detection boxes over a frame
// (fetched with that frame, so they match it). Each thumbnail refreshes every 5 s. Every loop schedules
// its next run only after the previous one ended, so a slow appliance never gets a pile of requests.
'use strict';
(() => {
  const $ = (s, root = document) => root.querySelector(s);
  const $$ = (s, root = document) => [...root.querySelectorAll(s)];
  const enc = encodeURIComponent;
  const cards = new Map(); // name → the camera's card as the last view showed it

  const text = (el, v) => { v = String(v); if (el && el.textContent !== v) el.textContent = v; };
  const pill = (el, p) => { text(el, p.word); const c = 'pill ' + p.tone; if (el.className !== c) el.className = c; };
  const el = (tag, cls, txt) => { const e = document.createElement(tag); if (cls) e.className = cls; if (txt != null) e.textContent = txt; return e; };
  // True once per new value: lists are rebuilt only when what they show changed.
  const changed = (e, value) => { const k = JSON.stringify(value); if (e.dataset.key === k) return false; e.dataset.key = k; return true; };
  const codes = (list, lines) => { if (changed(list, lines)) list.replaceChildren(...lines.map(x => { const li = el('li'); li.append(el('code', null, x)); return li; })); };

  async function get(url, ms = 10000) {
    const ctl = new AbortController();
    const t = setTimeout(() => ctl.abort(), ms);
    try { return signInIfRefused(await fetch(url, { cache: 'no-store', signal: ctl.signal, credentials: 'same-origin' })); } finally { clearTimeout(t); }
  }
  // The session ended (expired, password changed): back to the login page, then here again.
  function signInIfRefused(r) {
    if (r.status === 401) location.assign('/login?return=' + encodeURIComponent(location.pathname));
    return r;
  }
  async function send(method, url, body) {
    const init = { method, credentials: 'same-origin', headers: {} };
    if (body !== undefined) { init.headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body); }
    const r = signInIfRefused(await fetch(url, init));
    let json = null;
    try { json = await r.json(); } catch { /* empty body */ }
    return { ok: r.ok, status: r.status, json };
  }
  const problem = res => res.json ? [res.json.title, res.json.detail].filter(Boolean).join(': ') : 'HTTP ' + res.status;

  // Runs fn now and then every `every` ms after it finished; `kick` runs it early (after an action).
  function loop(fn, every) {
    let timer = null, running = false;
    const run = async () => {
      clearTimeout(timer);
      if (running) return;
      running = true;
      try { await fn(); } catch { /* the next pass tries again */ } finally { running = false; timer = setTimeout(run, every); }
    };
    run();
    return run;
  }

  // ---- the view: header, banner, go2rtc, restarts, cameras, log, configuration, board
  let thumbnailsStarted = false;
  async function refreshView() {
    let r;
    try { r = await get('/api/status/view'); } catch { $('#conn').hidden = false; return; }
    $('#conn').hidden = r.ok;
    if (!r.ok) return;
    render(await r.json());
    if (!thumbnailsStarted) { thumbnailsStarted = true; $$('#cameras .cam').forEach(thumbnails); } // the first paint's cards
  }

  function render(v) {
    const g = v.go2rtc, b = v.board, c = v.config;
    const texts = { '#version': v.version, '#banner': v.banner || '', '#g-message': g.message, '#g-version': g.version, '#g-pid': g.pid,
      '#g-uptime': g.uptime, '#g-rss': g.memory, '#g-restarts': g.restarts, '#g-exit': g.last_exit, '#led-word': b.led, '#b-led': b.led,
      '#b-meaning': b.meaning, '#b-button': b.last_press, '#b-led-device': b.led_device, '#b-button-device': b.button, '#b-console': b.console };
    for (const [sel, value] of Object.entries(texts)) text($(sel), value);
    $('#standin').hidden = !v.stand_in;
    $('#banner').hidden = !v.banner;
    pill($('#g-phase'), g.phase);
    const list = $('#restarts');
    if (changed(list, v.restarts)) list.replaceChildren(...v.restarts.map(x => {
      const li = el('li'), t = el('time', null, x.when);
      t.dateTime = x.at;
      li.append(t, ' ', el('b', null, x.reason), ' ' + x.outcome);
      return li;
    }));
    $('#no-restarts').hidden = v.restarts.length > 0;
    renderCameras(v.cameras);
    const pre = $('#go2rtc-log');
    const bottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    text(pre, v.log);
    if (bottom) pre.scrollTop = pre.scrollHeight;
    const state = $('#c-state');
    if (changed(state, [c.state, c.note])) state.replaceChildren(el('span', 'pill ' + c.state.tone, c.state.word), c.note ? ' ' + c.note : '');
    codes($('#config-errors'), c.errors);
    codes($('#write-errors'), c.write_errors);
    const led = $('#led');
    if (led.dataset.led !== b.led) led.dataset.led = b.led;
    if (led.title !== b.meaning) led.title = b.meaning;
  }

  // ---- cameras: the card set follows the view's cameras
  const cardOf = name => $$('#cameras .cam').find(c => c.dataset.name === name);

  function renderCameras(list) {
    cards.clear();
    list.forEach(c => cards.set(c.name, c));
    const grid = $('#cameras');
    $$('.cam', grid).forEach(card => { if (!cards.has(card.dataset.name)) card.remove(); });
    for (const c of list) if (!cardOf(c.name)) grid.append(newCard(c.name));
    text($('#cam-count'), list.length);
    $('#no-cameras').hidden = list.length > 0;
    for (const c of list) fill(cardOf(c.name), c);
  }

  function fill(card, c) {
    pill($('[data-f=state]', card), c.state);
    text($('[data-f=rate]', card), c.rate);
    text($('[data-f=viewers]', card), c.viewers);
    const why = $('[data-f=why]', card);
    text(why, c.why || '');
    why.hidden = !c.why;
    const watch = $('[data-f=watch]', card);
    if (watch.getAttribute('href') !== c.watch) watch.setAttribute('href', c.watch);
  }

  function newCard(name) {
    const card = $('#camera-card').content.firstElementChild.cloneNode(true);
    card.dataset.name = name;
    text($('[data-f=name]', card), name);
    if (thumbnailsStarted) thumbnails(card);
    return card;
  }

  // ---- thumbnails and detection boxes, one loop per card
  function thumbnails(card) {
    const thumb = $('.thumb', card), img = $('img', thumb), msg = $('[data-f=frame]', card);
    let shown = null;
    const fail = (title, detail) => {
      thumb.classList.remove('has-frame');
      img.hidden = true;
      msg.replaceChildren(el('b', null, title), el('span', null, detail || ''));
      card.dataset.frame = title;
      $('.boxes', card).replaceChildren();
    };
    const once = async () => {
      const name = card.dataset.name, c = cards.get(name);
      if (document.hidden) return;
      if (c && c.no_frame) { fail(c.no_frame.title, c.no_frame.detail); return; }
      const w = Math.min(1280, Math.round((thumb.clientWidth || 320) * (window.devicePixelRatio || 1)));
      let r;
      try { r = await get(`/api/streams/${enc(name)}/frame.jpeg?w=${w}`, 15000); } catch { fail('no answer', 'the appliance did not answer in time'); return; }
      if (!r.ok) {
        let p = null;
        try { p = await r.json(); } catch { /* not problem+json */ }
        fail(p && p.title || 'HTTP ' + r.status, p && p.detail);
        return;
      }
      const url = URL.createObjectURL(await r.blob());
      await new Promise(done => { img.onload = img.onerror = done; img.src = url; });
      if (shown) URL.revokeObjectURL(shown);
      shown = url;
      if (!img.naturalWidth) { fail('not-jpeg', 'the browser could not show this frame'); return; }
      img.hidden = false;
      thumb.classList.add('has-frame');
      fitBoxes(thumb, img);
      card.dataset.frame = 'ok';
      await detections(card);
    };
    const run = async () => {
      if (!card.isConnected && card.dataset.started) return; // removed: the loop ends with the card
      card.dataset.started = '1';
      try { await once(); } catch { /* next pass */ }
      setTimeout(run, 5000);
    };
    run();
  }

  // The thumbnail keeps 16:9 and letterboxes other shapes: the box layer covers exactly the image.
  function fitBoxes(thumb, img) {
    const cr = thumb.clientWidth / thumb.clientHeight || 16 / 9, ir = img.naturalWidth / img.naturalHeight;
    const w = ir > cr ? 100 : ir / cr * 100, h = ir > cr ? cr / ir * 100 : 100;
    Object.assign($('.boxes', thumb).style, { left: (100 - w) / 2 + '%', top: (100 - h) / 2 + '%', width: w + '%', height: h + '%' });
  }

  const clamp = v => Math.max(0, Math.min(1, Number(v) || 0));
  async function detections(card) {
    const layer = $('.boxes', card), state = $('[data-f=detector]', card);
    let d = null;
    try {
      const r = await get(`/api/streams/${enc(card.dataset.name)}/detections`, 8000);
      if (r.ok) d = await r.json(); // 404: this camera has no detection feed
    } catch { /* no feed this time */ }
    if (d && d.detector === 'off') d = null; // no detection configured for this camera
    state.hidden = !d;
    if (!d) { layer.replaceChildren(); return; }
    text(state, 'detector ' + d.detector);
    layer.replaceChildren(...(d.detections || []).map(x => {
      const b = x.box || x.bounding_box || x;
      const x0 = clamp(b.x_min), y0 = clamp(b.y_min), x1 = clamp(b.x_max), y1 = clamp(b.y_max);
      const box = el('div', 'box' + (y0 < 0.1 ? ' low-top' : ''));
      const pct = v => (v * 100).toFixed(2) + '%';
      Object.assign(box.style, { left: pct(x0), top: pct(y0), width: pct(x1 - x0), height: pct(y1 - y0) });
      box.append(el('span', null, `${x.label} ${Math.round((x.confidence || 0) * 100)}%`));
      return box;
    }));
  }

  // ---- actions
  const kickView = loop(refreshView, 2000);
  $('#go2rtc-log').scrollTop = 1e9; // the newest lines are the interesting ones

  $('#restart').addEventListener('click', async e => {
    const btn = e.currentTarget, note = $('#restart-note');
    btn.disabled = true;
    text(note, 'restarting…');
    try {
      const res = await send('POST', '/api/go2rtc/restart');
      text(note, res.ok ? `restarted (PID ${res.json.pid})` : problem(res));
    } catch { text(note, 'the appliance did not answer'); } finally { btn.disabled = false; kickView(); }
  });

  // What camera-form.js (loaded after this script) uses; it adds openForm.
  window.lightnvr = { $, $$, enc, text, send, problem, refresh: () => kickView() };

  $('#cameras').addEventListener('click', async e => {
    const btn = e.target.closest('button[data-act]');
    if (!btn) return;
    const card = btn.closest('.cam'), name = card.dataset.name, act = btn.dataset.act;
    const why = $('[data-f=why]', card);
    const say = (msg, bad) => { text(why, msg); why.hidden = !msg; why.style.color = bad ? '' : 'var(--ok)'; setTimeout(() => { why.style.color = ''; }, 4000); };
    if (act === 'remove' && !btn.classList.contains('armed')) {
      // Two clicks instead of confirm(): no native dialog, works the same on every phone.
      btn.classList.add('armed');
      text(btn, 'Really remove?');
      setTimeout(() => { btn.classList.remove('armed'); text(btn, 'Remove'); }, 4000);
      return;
    }
    btn.disabled = true;
    try {
      if (act === 'edit') {
        const res = await send('GET', `/api/streams/${enc(name)}`); // the camera's settings as saved now
        if (res.ok) window.lightnvr.openForm(res.json); else say(problem(res), true);
      } else if (act === 'reregister') {
        const res = await send('POST', `/api/streams/${enc(name)}/reregister`);
        say(res.ok ? (res.json.registered ? 're-registered' : 're-registration failed: ' + (res.json.error || '')) : problem(res), !(res.ok && res.json.registered));
      } else if (act === 'remove') {
        const res = await send('DELETE', `/api/streams/${enc(name)}`);
        if (!res.ok) say(problem(res), true);
        kickView();
      }
    } catch { say('the appliance did not answer', true); } finally { btn.disabled = false; }
  });
})();
