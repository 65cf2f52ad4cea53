// The status page's camera form: add and edit through the streams API, its field errors shown beside
// the fields. status.js (loaded before this script) shares its helpers and opens the form for Edit.
'use strict';
(() => {
  const { $, $$, enc, text, send, problem, refresh } = window.lightnvr;
  const dialog = $('#camera-dialog'), form = $('#camera-form');
  const fields = ['name', 'url', 'username', 'password', 'sub_url', 'transport'];
  const kept = ['watch', 'backchannel', 'timeout', 'media', 'video', 'audio', 'hardware', 'preload', 'record'];
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
  let editing = null; // the camera being edited, as GET /api/streams/NAME showed it
  function openForm(camera) {
    editing = camera;
    form.reset();
    clearErrors();
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
  window.lightnvr.openForm = openForm;
  $('#add-camera').addEventListener('click', () => openForm(null));
  $('#camera-cancel').addEventListener('click', () => dialog.close());
  form.addEventListener('submit', async e => {
    e.preventDefault();
    clearErrors();
    const old = editing;
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
      const res = await send(old ? 'PUT' : 'POST', old ? '/api/streams/' + enc(old.name) : '/api/streams', body);
      if (res.ok) { dialog.close(); refresh(); return; }
      if (res.json && res.json.errors) for (const [k, msgs] of Object.entries(res.json.errors)) showError(k, [].concat(msgs).join(' '));
      else if (res.json && /already exists/.test(res.json.detail || '')) showError('name', res.json.detail);
      else showError('camera', problem(res));
    } catch { showError('camera', 'the appliance did not answer'); } finally { save.disabled = false; }
  });
})();
