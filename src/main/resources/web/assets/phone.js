// The virtual phone: reads /sandbox/handsets/{msisdn} every second and answers prompts as each
// prompt's "answer" describes (approve URL, fields, labels), so a new kind of prompt needs no
// change here; dials USSD codes through /sandbox/ussd/sessions. No framework, no build.
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('phone-config').textContent);
  var msisdn = config.msisdn;
  function $(id) { return document.getElementById(id); }
  var prompts = new Map();   // reference -> {form, data}
  var firstLoad = true;
  var smsSeen = 0;
  var session = null;
  var busy = false;

  function call(method, url, body) {
    var init = { method: method, headers: { 'Accept': 'application/json' } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(url, init).then(function (r) {
      return r.text().then(function (t) {
        var data = {};
        try { data = t ? JSON.parse(t) : {}; } catch (e) { data = { errorMessage: t }; }
        return { status: r.status, ok: r.ok, data: data };
      });
    }, function () {
      return { status: 0, ok: false, data: { errorMessage: 'The gateway did not answer.' } };
    });
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (attrs[k] !== undefined && attrs[k] !== null && attrs[k] !== false) { e.setAttribute(k, attrs[k] === true ? '' : attrs[k]); }
    });
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }

  function safeId(s) { return String(s).replace(/[^A-Za-z0-9_-]/g, '-'); }

  function human(word) {
    if (!word) { return ''; }
    var w = String(word).replace(/_/g, ' ').toLowerCase();
    return w.charAt(0).toUpperCase() + w.slice(1);
  }

  function notice(text, bad) {
    var n = $('notice');
    n.textContent = text;
    n.className = bad ? 'notice bad' : 'notice';
    n.hidden = false;
    clearTimeout(notice.timer);
    notice.timer = setTimeout(function () { n.hidden = true; }, 6000);
  }

  // Tabs
  function show(panel) {
    document.querySelectorAll('.tabs .tab').forEach(function (t) {
      var on = t.getAttribute('data-panel') === panel;
      t.setAttribute('aria-pressed', String(on));
      $(t.getAttribute('data-panel')).hidden = !on;
    });
    if (panel === 'panel-sms') { markSmsSeen(); }
    if (panel === 'panel-dial') { history(); }
  }
  document.querySelectorAll('.tabs .tab').forEach(function (t) {
    t.addEventListener('click', function () { show(t.getAttribute('data-panel')); });
  });
  function current() {
    var on = document.querySelector('.tabs .tab[aria-pressed=true]');
    return on ? on.getAttribute('data-panel') : null;
  }

  // Prompts, drawn from their answer description
  function answerOf(p) {
    if (p.answer && p.answer.approve) { return p.answer; }
    var base = '/sandbox/handsets/' + msisdn + '/prompts/' + encodeURIComponent(p.reference);
    return { approve: base + '/approve', reject: base + '/reject', approveLabel: 'Approve',
      fields: [{ name: 'pin', label: 'PIN', kind: 'secret' }] };
  }

  function titleOf(p) {
    if (p.title) { return p.title; }
    if (p.amount) { return p.amount + ' ' + (p.currency || '') + (p.correspondent ? ' · ' + p.correspondent : ''); }
    return human(p.kind) || 'Request';
  }

  function field(ref, f, i) {
    var id = 'f-' + safeId(ref) + '-' + safeId(f.name);
    var wrap;
    if (f.kind === 'choice') {
      wrap = el('fieldset', { 'class': 'choice', 'data-name': f.name });
      wrap.appendChild(el('legend', {}, f.label || human(f.name)));
      (f.options || []).forEach(function (o, j) {
        var label = el('label', { 'class': 'option' });
        var input = el('input', { type: 'radio', name: id, value: o.value, id: id + '-' + j, 'data-name': f.name });
        if (j === 0) { input.checked = true; }
        label.appendChild(input);
        label.appendChild(document.createTextNode(o.label || o.value));
        wrap.appendChild(label);
      });
      return wrap;
    }
    wrap = el('div', { 'class': 'field' });
    wrap.appendChild(el('label', { 'for': id }, f.label || human(f.name)));
    var secret = f.kind === 'secret';
    var input = el('input', { id: id, 'data-name': f.name, type: secret ? 'password' : 'text',
      inputmode: secret ? 'numeric' : null, autocomplete: secret ? 'one-time-code' : 'off',
      pattern: f.pattern || null, maxlength: f.maxLength || 64, required: true });
    wrap.appendChild(input);
    return wrap;
  }

  function promptCard(p) {
    var a = answerOf(p);
    var form = el('form', { 'class': 'prompt', 'data-reference': p.reference, 'aria-label': titleOf(p) });
    form.appendChild(el('p', { 'class': 'what' }, titleOf(p)));
    form.appendChild(el('p', { 'class': 'message' }, p.message || ''));
    form.appendChild(el('p', { 'class': 'due' }));
    (a.fields || []).forEach(function (f, i) { form.appendChild(field(p.reference, f, i)); });
    var error = el('p', { 'class': 'error', role: 'alert' });
    form.appendChild(error);
    var row = el('div', { 'class': 'row' });
    if (a.reject) {
      var reject = el('button', { type: 'button', 'class': 'reject' }, a.rejectLabel || 'Reject');
      reject.addEventListener('click', function () { answer(p, form, a.reject, undefined, 'Rejected'); });
      row.appendChild(reject);
    }
    row.appendChild(el('button', { type: 'submit', 'class': 'primary approve' }, a.approveLabel || 'Approve'));
    form.appendChild(row);
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var body = {};
      (a.fields || []).forEach(function (f) {
        if (f.kind === 'choice') {
          var checked = form.querySelector('input[data-name="' + f.name + '"]:checked');
          if (checked) { body[f.name] = checked.value; }
        } else {
          body[f.name] = form.querySelector('input[data-name="' + f.name + '"]').value;
        }
      });
      answer(p, form, a.approve, body, 'Approved');
    });
    return form;
  }

  function answer(p, form, url, body, done) {
    var buttons = form.querySelectorAll('button');
    buttons.forEach(function (b) { b.disabled = true; });
    call('POST', url, body === undefined ? {} : body).then(function (r) {
      buttons.forEach(function (b) { b.disabled = false; });
      if (r.ok) {
        notice(done + ': ' + titleOf(p));
        form.remove();
        prompts.delete(p.reference);
        refresh();
        return;
      }
      form.querySelector('.error').textContent = r.data.errorMessage || ('HTTP ' + r.status);
      var secret = form.querySelector('input[type=password]');
      if (secret) { secret.value = ''; secret.focus(); }
      if (r.status === 404) { setTimeout(refresh, 500); }
    });
  }

  function due(p) {
    var at = p.autoApprovesAt || p.expiresAt;
    if (!at) { return ''; }
    var s = Math.max(0, Math.round((Date.parse(at) - Date.now()) / 1000));
    return p.autoApprovesAt ? 'The simulated customer approves by itself in ' + s + ' s.' : 'Expires in ' + s + ' s.';
  }

  function renderPrompts(list) {
    var seen = new Set();
    var added = null;
    list.forEach(function (p) {
      seen.add(p.reference);
      var known = prompts.get(p.reference);
      if (!known) {
        var form = promptCard(p);
        $('prompts').appendChild(form);
        prompts.set(p.reference, { form: form, data: p });
        added = added || form;
      } else {
        known.data = p;
      }
    });
    prompts.forEach(function (v, ref) {
      if (!seen.has(ref)) { v.form.remove(); prompts.delete(ref); }
    });
    $('no-prompts').hidden = prompts.size > 0;
    $('count-prompts').textContent = prompts.size > 0 ? String(prompts.size) : '';
    if (added && !firstLoad && !$('ussd').open) {
      show('panel-prompts');
      notice('New prompt: ' + added.getAttribute('aria-label'));
      var a = document.activeElement;
      if (!a || a === document.body || a.classList.contains('tab')) {
        var first = added.querySelector('input');
        if (first) { first.focus(); }
      }
    }
  }

  function tick() {
    prompts.forEach(function (v) { v.form.querySelector('.due').textContent = due(v.data); });
    var d = new Date();
    $('clock').textContent = ('0' + d.getHours()).slice(-2) + ':' + ('0' + d.getMinutes()).slice(-2);
  }

  // SMS
  function renderSms(list) {
    var box = $('sms');
    var sorted = list.slice().sort(function (a, b) { return b.id - a.id; });
    if (box.getAttribute('data-top') !== String(sorted.length ? sorted[0].id : 0)) {
      box.textContent = '';
      sorted.forEach(function (s) {
        var li = el('li', { 'data-id': s.id });
        li.appendChild(el('span', { 'class': 'from' }, s.sender));
        li.appendChild(el('span', { 'class': 'at' }, new Date(s.at).toLocaleTimeString()));
        li.appendChild(el('p', { 'class': 'text' }, s.text));
        box.appendChild(li);
      });
      box.setAttribute('data-top', String(sorted.length ? sorted[0].id : 0));
    }
    $('no-sms').hidden = sorted.length > 0;
    var top = sorted.length ? sorted[0].id : 0;
    if (firstLoad) { smsSeen = top; }
    if (current() === 'panel-sms') { smsSeen = top; }
    var unseen = sorted.filter(function (s) { return s.id > smsSeen; }).length;
    $('count-sms').textContent = unseen > 0 ? String(unseen) : '';
  }
  function markSmsSeen() {
    var first = $('sms').querySelector('li');
    if (first) { smsSeen = Math.max(smsSeen, Number(first.getAttribute('data-id'))); }
    $('count-sms').textContent = '';
  }

  // Wallet, accounts, cards: any list of objects, drawn from the fields it has
  function itemTitle(o) {
    return o.name || o.label || o.display || o.masked || o.maskedPan || o.number || o.cardId || o.id || '';
  }
  function renderItems(listId, blockId, items) {
    var box = $(listId);
    $(blockId).hidden = !items || items.length === 0;
    box.textContent = '';
    (items || []).forEach(function (o) {
      var li = el('li');
      var left = el('span', {}, itemTitle(o));
      var extra = Object.keys(o).filter(function (k) {
        return ['name', 'label', 'balance', 'currency'].indexOf(k) < 0 && o[k] !== null && typeof o[k] !== 'object'
          && String(o[k]) !== itemTitle(o);
      }).map(function (k) { return human(k) + ': ' + o[k]; }).join(' · ');
      if (extra) { left.appendChild(el('span', { 'class': 'sub' }, extra)); }
      li.appendChild(left);
      li.appendChild(el('span', { 'class': 'num' }, o.balance !== undefined ? o.balance + ' ' + (o.currency || '') : ''));
      box.appendChild(li);
    });
  }
  function renderWallet(d) {
    $('wallet').textContent = d.wallet ? d.wallet.balance + ' ' + d.wallet.currency
      : 'No wallet yet: it opens with the first payment.';
    renderItems('accounts', 'accounts-block', d.accounts);
    renderItems('cards', 'cards-block', d.cards);
    if (document.activeElement !== $('manual')) { $('manual').checked = d.approval === 'manual'; }
    $('approval-help').textContent = d.approval === 'manual'
      ? 'On: prompts wait for you here until they expire.'
      : 'Off: the simulated customer approves by itself after a short delay.';
    $('kyc').textContent = d.kyc ? 'Registered as ' + d.kyc.givenName + ' ' + d.kyc.familyName + '.' : '';
  }
  $('manual').addEventListener('change', function () {
    call('PUT', '/sandbox/handsets/' + msisdn + '/wallet', { approval: $('manual').checked ? 'manual' : 'auto' })
      .then(function (r) {
        if (!r.ok) { notice(r.data.errorMessage || 'Could not change the approval mode', true); }
        refresh();
      });
  });

  function refresh() {
    if (busy) { return Promise.resolve(); }
    busy = true;
    // Card PIN prompts of the simulated issuers come from their own list, described the same way
    // (an answer beside each prompt); a gateway or number without cards answers it with an error.
    var cards = call('GET', '/sandbox/handsets/' + msisdn + '/card-prompts')
      .then(function (c) { return c.ok ? (c.data.prompts || []) : []; }, function () { return []; });
    return Promise.all([call('GET', '/sandbox/handsets/' + msisdn), cards]).then(function (both) {
      var r = both[0];
      busy = false;
      if (!r.ok) { return; }
      renderPrompts((r.data.prompts || []).concat(both[1]));
      renderSms(r.data.sms || []);
      renderWallet(r.data);
      firstLoad = false;
      tick();
    });
  }
  function loop() { refresh().then(function () { setTimeout(loop, config.pollMillis); }); }

  // Dialer and USSD sessions
  document.querySelectorAll('.keypad .key').forEach(function (k) {
    k.addEventListener('click', function () {
      $('dial-code').value += k.getAttribute('data-key');
    });
  });
  $('dial-form').addEventListener('submit', function (e) {
    e.preventDefault();
    $('dial-error').textContent = '';
    $('dial-button').disabled = true;
    call('POST', '/sandbox/ussd/sessions', { msisdn: msisdn, serviceCode: $('dial-code').value.trim() })
      .then(function (r) {
        $('dial-button').disabled = false;
        if (r.status === 201) { screen(r.data, null); return; }
        $('dial-error').textContent = r.data.errorMessage || ('HTTP ' + r.status);
      });
  });
  function screen(s, message) {
    session = s;
    var d = $('ussd');
    if (!d.open) { d.showModal(); }
    $('ussd-code').textContent = s.serviceCode;
    var text = s.screen || '';
    if (s.state === 'FAILED') { text = 'Connection problem or invalid MMI code.'; }
    if (s.state === 'TIMED_OUT') { text = 'Session timed out.'; }
    if (s.state === 'HUNG_UP') { text = 'Session closed.'; }
    $('ussd-screen').textContent = text;
    $('ussd-error').textContent = message || (s.state === 'FAILED' || s.state === 'TIMED_OUT' ? (s.error || '') : '');
    var open = s.state === 'OPEN';
    $('ussd-form').hidden = !open;
    $('ussd-done').hidden = open;
    if (open) { $('ussd-input').value = ''; $('ussd-input').focus(); } else { $('ussd-ok').focus(); }
  }
  $('ussd-form').addEventListener('submit', function (e) {
    e.preventDefault();
    if (!session) { return; }
    $('ussd-send').disabled = true;
    call('POST', '/sandbox/ussd/sessions/' + encodeURIComponent(session.sessionId) + '/input',
      { input: $('ussd-input').value }).then(function (r) {
      $('ussd-send').disabled = false;
      if (r.data && r.data.sessionId) { screen(r.data, r.ok ? null : r.data.errorMessage); return; }
      $('ussd-error').textContent = r.data.errorMessage || ('HTTP ' + r.status);
    });
  });
  function hangUp() {
    if (session && session.state === 'OPEN') {
      call('DELETE', '/sandbox/ussd/sessions/' + encodeURIComponent(session.sessionId)).then(history);
    }
    close();
  }
  function close() {
    session = null;
    if ($('ussd').open) { $('ussd').close(); }
    history();
    refresh().then(function () {
      if (prompts.size > 0) {
        show('panel-prompts');
        var first = $('prompts').querySelector('input');
        if (first) { first.focus(); }
      } else {
        $('dial-code').focus();
      }
    });
  }
  $('ussd-cancel').addEventListener('click', hangUp);
  $('ussd-ok').addEventListener('click', close);
  $('ussd').addEventListener('cancel', function (e) { e.preventDefault(); hangUp(); });

  function history() {
    call('GET', '/sandbox/ussd/sessions?msisdn=' + msisdn).then(function (r) {
      var box = $('ussd-history');
      box.textContent = '';
      ((r.data && r.data.sessions) || []).slice(0, 5).forEach(function (s) {
        var li = el('li');
        var left = el('span', {}, s.serviceCode);
        left.appendChild(el('span', { 'class': 'sub' }, new Date(s.created).toLocaleTimeString()));
        li.appendChild(left);
        li.appendChild(el('span', { 'class': 'badge ' + s.state }, human(s.state)));
        box.appendChild(li);
      });
    });
  }

  setInterval(tick, 1000);
  loop();
})();
