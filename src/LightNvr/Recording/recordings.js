// The recordings page: cameras and days from /api/recordings, a day's segments and gaps from
// /api/recordings/CAMERA/DAY; a segment plays in the <video> (the server answers ranges, so it seeks).
'use strict';
const $ = id => document.getElementById(id);
const size = b => b >= 1048576 ? (b / 1048576).toFixed(1) + ' MiB' : (b / 1024).toFixed(0) + ' KiB';
const time = t => t ? new Date(t).toISOString().slice(11, 19) : '';
let cameras = [];

async function json(url) {
  const r = await fetch(url, { credentials: 'same-origin' });
  if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
  return r.json();
}

function fill(select, values) {
  select.replaceChildren(...values.map(v => new Option(v, v)));
}

async function loadCameras() {
  const view = await json('/api/recordings');
  cameras = view.cameras;
  fill($('camera'), cameras.map(c => c.camera));
  const params = new URLSearchParams(location.search);
  if (params.get('camera')) $('camera').value = params.get('camera');
  pickCamera(params.get('day'));
}

function pickCamera(day) {
  const c = cameras.find(x => x.camera === $('camera').value);
  fill($('day'), c ? c.days : []);
  $('message').textContent = c ? (c.state ? c.camera + ': ' + c.state + (c.error ? ' (' + c.error + ')' : '') : '') : 'No recordings yet.';
  if (day) $('day').value = day;
  loadDay();
}

async function loadDay() {
  const camera = $('camera').value, day = $('day').value;
  const body = $('segments').tBodies[0];
  body.replaceChildren();
  $('gaps').replaceChildren();
  if (!camera || !day) return;
  const view = await json('/api/recordings/' + encodeURIComponent(camera) + '/' + encodeURIComponent(day));
  for (const s of view.segments) {
    const url = '/recordings/' + encodeURIComponent(camera) + '/' + encodeURIComponent(day) + '/' + encodeURIComponent(s.file);
    const row = body.insertRow();
    for (const text of [time(s.start), time(s.end), size(s.bytes), s.status]) row.insertCell().textContent = text;
    const actions = row.insertCell();
    const play = document.createElement('button');
    play.textContent = 'Play';
    play.className = 'play';
    play.dataset.file = s.file;
    play.addEventListener('click', () => { $('video').src = url; $('playing').textContent = s.file; $('video').play().catch(() => {}); });
    const save = document.createElement('a');
    save.href = url + '?download=1';
    save.textContent = 'Download';
    actions.append(play, ' ', save);
  }
  for (const g of view.gaps) {
    const li = document.createElement('li');
    li.textContent = time(g.start) + ' – ' + time(g.end) + ': ' + g.reason;
    $('gaps').append(li);
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('camera').addEventListener('change', () => pickCamera());
  $('day').addEventListener('change', loadDay);
  loadCameras().catch(e => { $('message').textContent = String(e.message || e); });
});
