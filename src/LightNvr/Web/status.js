// The status page's live part. Health refreshes every 2 s, cameras/log/config/board every 6 s,
// each thumbnail every 5 s. Every loop schedules its next run only after the previous one ended,
// so a slow appliance never gets a pile of requests.
'use strict';
(() => {
  const $ = (s, root = document) => root.querySelector(s);
  const $$ = (s, root = document) => [...root.querySelectorAll(s)];
  const enc = encodeURIComponent;
  const cams = new Map(); // name → camera as GET /api/streams shows it
  let health = null;

  const text = (el, v) => { v = String(v); if (el && el.textContent !== v) el.textContent = v; };
  const tone = w => ({ live: 'ok', registered: 'ok', stalled: 'bad', error: 'bad', unreachable: 'bad', disabled: 'muted', idle: 'muted' })[w] || 'warn';
  const rate = bps => { const k = bps * 8 / 1000; return k >= 1000 ? (k / 1000).toFixed(1) + ' Mbit/s' : Math.round(k) + ' kbit/s'; };
  const viewers = n => n === 1 ? '1 viewer' : n + ' viewers';
  const mb = b => b > 0 ? (b / 1048576).toFixed(1) + ' MB' : '—';
  const word = r => r === 'ConfigChanged' ? 'config-changed' : String(r).toLowerCase();
  const duration = s => {
    if (!(s >= 0)) return '—';
    s = Math.floor(s);
    const d = Math.floor(s / 86400), h = Math.floor(s / 3600) % 24, m = Math.floor(s / 60) % 60, x = s % 60;
    return d ? `${d}d ${h}h ${m}m` : h ? `${h}h ${m}m` : m ? `${m}m ${x}s` : `${x}s`;
  };
  // go2rtc's JSON log lines as "HH:mm:ss.fff LVL message key=value" (Web/LogView.cs does the same).
  const human = line => {
    if (line[0] !== '{') return line;
    try {
      const o = JSON.parse(line);
      const rest = Object.keys(o).filter(k => !['time', 'level', 'message'].includes(k)).sort()
        .map(k => k + '=' + (typeof o[k] === 'string' ? o[k] : JSON.stringify(o[k])));
      return [typeof o.time === 'number' ? new Date(o.time).toISOString().slice(11, 23) : '', (o.level || '').slice(0, 3).toUpperCase(),
        o.message || '', ...rest].filter(Boolean).join(' ');
    } catch { return line; }
  };
  const el = (tag, cls, txt) => { const e = document.createElement(tag); if (cls) e.className = cls; if (txt != null) e.textContent = txt; return e; };

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

  // ---- health: go2rtc, restarts, stream states
  async function refreshHealth() {
    let r;
    try { r = await get('/api/health'); } catch { $('#conn').hidden = false; return; }
    $('#conn').hidden = r.ok;
    if (!r.ok) return;
    health = await r.json();
    const g = health.go2rtc, phase = g.phase.toLowerCase();
    const pill = $('#g-phase');
    text(pill, phase);
    pill.className = 'pill ' + (phase === 'ready' ? 'ok' : ['failed', 'binaryproblem', 'portconflict'].includes(phase) ? 'bad' : 'warn');
    text($('#g-message'), g.message || '');
    text($('#g-version'), g.version || '—');
    $('#standin').hidden = !g.stand_in;
    text($('#g-pid'), g.pid ?? '—');
    text($('#g-uptime'), g.pid && g.started_at ? duration((Date.parse(health.at) - Date.parse(g.started_at)) / 1000) : '—');
    text($('#g-rss'), mb(health.rss_bytes));
    text($('#g-restarts'), g.restarts);
    text($('#g-exit'), g.last_exit || '—');
    const banner = health.failed || (health.consensus === 'CamerasOrNetworkDown'
      ? 'Most cameras are down and restarting go2rtc did not bring them back: the cameras or the network are down, not go2rtc.' : '')
      || (health.cpu_warning ? 'go2rtc has used over 90 % of a core for 5 minutes (transcoding?).' : '');
    text($('#banner'), banner);
    $('#banner').hidden = !banner;
    const list = $('#restarts'), restarts = [...health.restarts].reverse().slice(0, 10);
    const key = restarts.map(x => x.at + x.outcome).join();
    if (list.dataset.key !== key) {
      list.dataset.key = key;
      list.replaceChildren(...restarts.map(x => {
        const li = el('li'), t = el('time', null, new Date(x.at).toLocaleString());
        t.dateTime = x.at;
        li.append(t, ' ', el('b', null, word(x.reason)), ' ' + (x.outcome === 'Ok' ? 'ok' : 'failed') + (x.is_retry ? ' (retry)' : ''));
        return li;
      }));
      $('#no-restarts').hidden = restarts.length > 0;
    }
    $$('#cameras .cam').forEach(updateCard);
  }

  // ---- cameras: the card set follows GET /api/streams
  const cardOf = name => $$('#cameras .cam').find(c => c.dataset.name === name);

  function updateCard(card) {
    const name = card.dataset.name, c = cams.get(name);
    const live = health && health.streams.find(s => s.camera === name);
    const w = c && !c.enabled ? 'disabled' : live ? live.state.toLowerCase() : c ? c.state : 'pending';
    const pill = $('[data-f=state]', card);
    text(pill, w);
    pill.className = 'pill ' + tone(w);
    text($('[data-f=rate]', card), live ? rate(live.bytes_per_second) : '—');
    text($('[data-f=viewers]', card), live ? viewers(live.consumers) : '—');
    const why = (live && live.why) || (c && (c.error || c.warning)) || '';
    text($('[data-f=why]', card), why);
    $('[data-f=why]', card).hidden = !why;
  }

  async function refreshCameras() {
    const r = await get('/api/streams');
    if (!r.ok) return;
    const list = (await r.json()).cameras;
    cams.clear();
    list.forEach(c => cams.set(c.name, c));
    const grid = $('#cameras');
    $$('.cam', grid).forEach(card => { if (!cams.has(card.dataset.name)) card.remove(); });
    for (const c of list) if (!cardOf(c.name)) grid.append(newCard(c.name));
    text($('#cam-count'), list.length);
    $('#no-cameras').hidden = list.length > 0;
    $$('.cam', grid).forEach(updateCard);
  }

  function newCard(name) {
    const card = $('#camera-card').content.firstElementChild.cloneNode(true);
    card.dataset.name = name;
    text($('[data-f=name]', card), name);
    $('[data-f=watch]', card).href = '/webrtc/' + enc(name);
    thumbnails(card);
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
      const name = card.dataset.name, c = cams.get(name);
      if (document.hidden) return;
      if (c && !c.enabled) { fail('disabled', 'this camera is switched off'); return; }
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

  // ---- the slower parts: go2rtc's log, config errors, the board
  async function refreshStatus() {
    const r = await get('/api/status');
    if (r.ok) {
      const s = await r.json(), pre = $('#go2rtc-log');
      const bottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
      text(pre, s.go2rtc.recent_log.length ? s.go2rtc.recent_log.map(human).join('\n') : '(nothing yet)');
      if (bottom) pre.scrollTop = pre.scrollHeight;
      const c = s.config, state = $('#c-state');
      state.replaceChildren(el('span', 'pill ' + (c.valid ? 'ok' : 'bad'), c.valid ? 'valid' : 'has errors'),
        c.using_last_good ? ' running on the last valid copy' : '');
      $('#config-errors').replaceChildren(...c.errors.map(e => { const li = el('li'); li.append(el('code', null, e)); return li; }));
      $('#write-errors').replaceChildren(...(s.write_errors || []).map(e => { const li = el('li'); li.append(el('code', null, e)); return li; }));
    }
  }

  async function refreshBoard() {
    const b = await get('/api/board');
    if (b.ok) {
      const x = await b.json();
      const led = $('#led');
      if (led.dataset.led !== x.led) led.dataset.led = x.led;
      led.title = x.meaning;
      text($('#led-word'), x.led);
      text($('#b-led'), x.led);
      text($('#b-meaning'), x.meaning);
      text($('#b-button'), 'last: ' + x.last_button_press);
      text($('#b-led-device'), x.led_device);
      text($('#b-button-device'), x.button);
      text($('#b-console'), x.console);
    }
  }

  // ---- actions
  const kickHealth = loop(async () => { await refreshHealth(); await refreshBoard(); }, 2000);
  const kickCameras = loop(async () => { await refreshCameras(); await refreshStatus(); }, 6000);
  $$('#cameras .cam').forEach(thumbnails);
  $('#go2rtc-log').scrollTop = 1e9; // the newest lines are the interesting ones

  $('#restart').addEventListener('click', async e => {
    const btn = e.currentTarget, note = $('#restart-note');
    btn.disabled = true;
    text(note, 'restarting…');
    try {
      const res = await send('POST', '/api/go2rtc/restart');
      text(note, res.ok ? `restarted (PID ${res.json.pid})` : problem(res));
    } catch { text(note, 'the appliance did not answer'); } finally { btn.disabled = false; kickHealth(); }
  });

  $('#cameras').addEventListener('click', async e => {
    const btn = e.target.closest('button[data-act]');
    if (!btn) return;
    const card = btn.closest('.cam'), name = card.dataset.name, act = btn.dataset.act;
    const why = $('[data-f=why]', card);
    const say = (msg, bad) => { text(why, msg); why.hidden = !msg; why.style.color = bad ? '' : 'var(--ok)'; setTimeout(() => { why.style.color = ''; }, 4000); };
    if (act === 'edit') return openForm(cams.get(name));
    if (act === 'remove' && !btn.classList.contains('armed')) {
      // Two clicks instead of confirm(): no native dialog, works the same on every phone.
      btn.classList.add('armed');
      text(btn, 'Really remove?');
      setTimeout(() => { btn.classList.remove('armed'); text(btn, 'Remove'); }, 4000);
      return;
    }
    btn.disabled = true;
    try {
      if (act === 'reregister') {
        const res = await send('POST', `/api/streams/${enc(name)}/reregister`);
        say(res.ok ? (res.json.registered ? 're-registered' : 're-registration failed: ' + (res.json.error || '')) : problem(res), !(res.ok && res.json.registered));
      } else if (act === 'remove') {
        const res = await send('DELETE', `/api/streams/${enc(name)}`);
        if (!res.ok) say(problem(res), true);
        kickCameras();
      }
    } catch { say('the appliance did not answer', true); } finally { btn.disabled = false; }
  });

  // ---- the camera form: add and edit through the streams API, its field errors shown beside the fields
  const dialog = $('#camera-dialog'), form = $('#camera-form');
  const fields = ['name', 'url', 'username', 'password', 'sub_url', 'transport'];
  const kept = ['watch', 'backchannel', 'timeout', 'media', 'video', 'audio', 'hardware', 'preload'];
  function clearErrors() {
    $$('[data-err]', form).forEach(x => { x.textContent = ''; });
    $$('[aria-invalid]', form).forEach(x => x.removeAttribute('aria-invalid'));
  }
  function showError(field, msg) {
    const slot = $(`[data-err="${CSS.escape(field)}"]`, form) || $('#form-error');
    slot.textContent = (slot.textContent ? slot.textContent + ' ' : '') + (slot.id === 'form-error' && field !== 'camera' ? field + ': ' : '') + msg;
    const input = form.elements[field];
    if (input && input.setAttribute) input.setAttribute('aria-invalid', 'true');
  }
  function openForm(camera) {
    form.reset();
    clearErrors();
    form.dataset.editing = camera ? camera.name : '';
    text($('#camera-form-title'), camera ? 'Edit ' + camera.name : 'Add camera');
    form.elements.name.readOnly = !!camera;
    if (camera) {
      for (const f of fields) if (f !== 'password') form.elements[f].value = camera[f] || '';
      form.elements.enabled.checked = camera.enabled;
      form.elements.password.placeholder = camera.password_set ? 'unchanged' : '';
    } else form.elements.password.placeholder = '';
    dialog.showModal();
    (camera ? form.elements.url : form.elements.name).focus();
  }
  $('#add-camera').addEventListener('click', () => openForm(null));
  $('#camera-cancel').addEventListener('click', () => dialog.close());
  form.addEventListener('submit', async e => {
    e.preventDefault();
    clearErrors();
    const editing = form.dataset.editing, old = editing ? cams.get(editing) : null;
    const v = n => form.elements[n].value.trim() || null;
    const body = {};
    if (old) for (const k of kept) if (old[k] != null) body[k] = old[k];
    Object.assign(body, { name: v('name') || '', url: v('url') || '', username: v('username'), sub_url: v('sub_url'),
      transport: v('transport'), enabled: form.elements.enabled.checked });
    if (form.elements.password.value) body.password = form.elements.password.value; // left out on edit: the API keeps it
    // The API never shows credentials: an address still holding its *** mask must be typed again.
    for (const f of ['url', 'sub_url']) if (old && body[f] && body[f] === old[f] && body[f].includes('***')) {
      showError(f, 'this address holds credentials that are never shown: type it again in full');
      return;
    }
    const save = $('#camera-save');
    save.disabled = true;
    try {
      const res = await send(editing ? 'PUT' : 'POST', editing ? '/api/streams/' + enc(editing) : '/api/streams', body);
      if (res.ok) { dialog.close(); await refreshCameras(); return; }
      if (res.json && res.json.errors) for (const [k, msgs] of Object.entries(res.json.errors)) showError(k, [].concat(msgs).join(' '));
      else if (res.json && /already exists/.test(res.json.detail || '')) showError('name', res.json.detail);
      else showError('camera', problem(res));
    } catch { showError('camera', 'the appliance did not answer'); } finally { save.disabled = false; }
  });
})();
