// frontdesk web chat widget. On the /chat page it runs the chat; on any other page, loaded
// with one script tag, it adds a launcher button that opens /chat in a frame:
//
//   <script src="https://support.example/chat/widget.js" data-token="PORTAL_JWT" async></script>
//
// A portal page may also hold the chat in place: an element <main id="frontdesk-chat"> and
// the same script tag (its origin then belongs in webchat.allowed_origins). The protocol is
// documented in docs/channels/webchat.md.
(function () {
  'use strict';
  var script = document.currentScript;
  // base is the chat's folder on the frontdesk server (.../chat/), wherever the page is.
  var base = new URL('.', script.src);
  var root = document.getElementById('frontdesk-chat');
  if (!root) {
    embed();
    return;
  }
  if (root.querySelector('.fd-fatal')) {
    return; // the server already said why this link cannot open a chat
  }
  chat(root);

  // embed adds the launcher and the framed chat to a page of another site.
  function embed() {
    var css = document.createElement('link');
    css.rel = 'stylesheet';
    css.href = new URL('widget.css', base).href;
    document.head.appendChild(css);
    var button = el('button', 'fd-launcher', 'Chat with support');
    button.type = 'button';
    button.setAttribute('aria-expanded', 'false');
    var frame = null;
    button.addEventListener('click', function () {
      if (!frame) {
        frame = document.createElement('iframe');
        frame.className = 'fd-frame';
        frame.title = 'Chat with support';
        var token = script.getAttribute('data-token');
        // The token travels in the fragment, which is never sent to a server or logged.
        frame.src = new URL('../chat', base).href + (token ? '#token=' + encodeURIComponent(token) : '');
        document.body.appendChild(frame);
      } else {
        frame.hidden = !frame.hidden;
      }
      button.setAttribute('aria-expanded', String(!frame.hidden));
    });
    document.body.appendChild(button);
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  // chat runs the conversation inside root.
  function chat(root) {
    // An emailed link's key opens a new chat (the server uses it up); otherwise the chat of
    // this tab resumes, or a portal token opens one.
    var key = new URLSearchParams(location.search).get('key') || '';
    var session = key ? '' : sessionStorage.getItem('frontdesk.session') || '';
    var params = new URLSearchParams(location.hash.slice(1));
    // A page of the portal may hold the chat itself (an element #frontdesk-chat and this
    // script with data-token) instead of the framed one.
    var token = params.get('token') || script.getAttribute('data-token') || '';
    if (location.search || location.hash) {
      // Keep the used link and the token out of the address bar and the history.
      history.replaceState(null, '', location.pathname);
    }
    var log = el('ol', 'fd-log');
    log.setAttribute('role', 'log');
    log.setAttribute('aria-live', 'polite');
    log.setAttribute('aria-label', 'Conversation');
    var typing = el('p', 'fd-typing');
    typing.setAttribute('aria-live', 'polite');
    var status = el('p', 'fd-status');
    status.setAttribute('role', 'alert');
    var composer = el('form', 'fd-composer');
    var label = el('label', null, 'Your message');
    label.htmlFor = 'fd-input';
    var input = el('textarea');
    input.id = 'fd-input';
    input.rows = 1;
    input.maxLength = 2000;
    var send = el('button', null, 'Send message');
    send.type = 'submit';
    composer.append(label, input, send);
    root.append(log, typing, status, composer);

    var ws = null;
    var lastSeq = 0;
    var pending = []; // frames sent and not yet acknowledged, sent again after a reconnect
    var counter = 0;
    var retry = 0;
    var closedForGood = false;

    if (!session && !token && !key) {
      status.textContent = 'Open the chat from the link in your email, or log in to the portal.';
      composer.hidden = true;
      return;
    }
    connect();

    composer.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var text = input.value.trim();
      if (!text) return;
      input.value = '';
      submit({ type: 'text', text: text });
    });
    input.addEventListener('keydown', function (ev) {
      if (ev.key === 'Enter' && !ev.shiftKey) {
        ev.preventDefault();
        composer.requestSubmit();
      }
    });

    function connect() {
      var url = new URL('ws', base);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      ws = new WebSocket(url.href);
      ws.onopen = function () {
        if (session) {
          raw({ type: 'resume', session: session, last_seq: lastSeq });
        } else if (key) {
          raw({ type: 'hello', key: key });
        } else {
          raw({ type: 'hello', token: token });
        }
      };
      ws.onmessage = function (ev) {
        var f;
        try { f = JSON.parse(ev.data); } catch (e) { return; }
        receive(f);
      };
      ws.onclose = function () {
        typing.textContent = '';
        if (closedForGood) return;
        status.textContent = 'Connection lost. Reconnecting…';
        retry = Math.min(retry + 1, 6);
        setTimeout(connect, 250 * Math.pow(2, retry));
      };
    }

    function raw(f) {
      if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(f));
    }

    // submit sends a frame with an id, kept until the server acknowledges it.
    function submit(f) {
      f.id = 'c' + Date.now().toString(36) + '-' + (++counter);
      pending.push(f);
      raw(f);
    }

    function receive(f) {
      switch (f.type) {
        case 'welcome':
          session = f.session;
          sessionStorage.setItem('frontdesk.session', session);
          status.textContent = '';
          retry = 0;
          pending.forEach(raw);
          break;
        case 'message':
          if (f.seq <= lastSeq) return; // already shown before a reconnect
          lastSeq = f.seq;
          typing.textContent = '';
          show(f.message);
          break;
        case 'typing':
          typing.textContent = f.on ? 'Support is typing…' : '';
          break;
        case 'ack':
          pending = pending.filter(function (p) { return p.id !== f.id; });
          break;
        case 'error':
          typing.textContent = '';
          status.textContent = f.text;
          if (f.closing) {
            closedForGood = true;
            pending = [];
            composer.hidden = true;
            log.hidden = !log.children.length;
            if (f.code === 'session_unknown') sessionStorage.removeItem('frontdesk.session');
          }
          break;
      }
    }

    // show adds a message to the log; only the newest question keeps live controls.
    function show(m) {
      log.querySelectorAll('button, input, textarea').forEach(function (c) { c.disabled = true; });
      var item = el('li', 'fd-msg ' + (m.from === 'customer' ? 'fd-customer' : 'fd-bot'));
      if (m.card) item.appendChild(card(m.card));
      if (m.text) item.appendChild(el('div', 'fd-text', m.text));
      if (m.error && !m.form) item.appendChild(el('div', 'fd-msg-error', m.error));
      if (m.quick_replies) item.appendChild(quick(m.quick_replies));
      if (m.form) item.appendChild(form(m.form, m.error));
      if (m.csat) item.appendChild(csat());
      log.appendChild(item);
      item.scrollIntoView({ block: 'end' });
      var first = item.querySelector('input, button');
      if (first && m.from !== 'customer') first.focus();
    }

    function card(c) {
      var box = el('div', 'fd-card');
      if (c.title) box.appendChild(el('strong', null, c.title));
      if (c.image) {
        var img = document.createElement('img');
        img.src = c.image;
        img.alt = c.alt || '';
        box.appendChild(img);
      }
      if (c.body) box.appendChild(el('p', null, c.body));
      return box;
    }

    function quick(replies) {
      var group = el('div', 'fd-quick');
      group.setAttribute('role', 'group');
      group.setAttribute('aria-label', 'Answers');
      replies.forEach(function (r) {
        var b = el('button', null, r.label);
        b.type = 'button';
        b.addEventListener('click', function () { submit({ type: 'choice', value: r.value }); });
        group.appendChild(b);
      });
      return group;
    }

    // form renders a question's fields with the browser's own checks (required, maxlength,
    // pattern), shows a message per field, and sends the values when all pass.
    function form(spec, errorText) {
      var f = el('form', 'fd-form');
      f.noValidate = true;
      var errs = spec.errors || {};
      if (errorText) {
        var summary = el('p', 'fd-msg-error', errorText);
        summary.setAttribute('role', 'alert');
        f.appendChild(summary);
      }
      var inputs = spec.fields.map(function (fd, i) {
        var id = 'fd-f' + lastSeq + '-' + i;
        var l = el('label', null, fd.label + (fd.required ? ' (required)' : ''));
        l.htmlFor = id;
        var inp = el(fd.type === 'textarea' ? 'textarea' : 'input');
        if (fd.type !== 'textarea') inp.type = fd.type || 'text';
        inp.id = id;
        inp.name = fd.name;
        inp.required = !!fd.required;
        if (fd.max) inp.maxLength = fd.max;
        if (fd.pattern) inp.pattern = fd.pattern;
        var msg = el('span', 'fd-field-error', errs[fd.name] || '');
        msg.id = id + '-error';
        inp.setAttribute('aria-describedby', msg.id);
        if (errs[fd.name]) inp.setAttribute('aria-invalid', 'true');
        f.append(l, inp, msg);
        return { inp: inp, msg: msg, spec: fd };
      });
      var b = el('button', null, spec.submit || 'Send');
      b.type = 'submit';
      f.appendChild(b);
      f.addEventListener('submit', function (ev) {
        ev.preventDefault();
        var ok = true;
        var values = {};
        inputs.forEach(function (x) {
          var problem = '';
          if (x.inp.validity.valueMissing) problem = x.spec.label + ' is required.';
          else if (x.inp.validity.patternMismatch) problem = x.spec.label + ' is not in the expected format.';
          else if (x.inp.validity.tooLong) problem = x.spec.label + ' is too long.';
          x.msg.textContent = problem;
          x.inp.setAttribute('aria-invalid', problem ? 'true' : 'false');
          if (problem && ok) { ok = false; x.inp.focus(); }
          values[x.spec.name] = x.inp.value.trim();
        });
        if (ok) submit({ type: 'form', fields: values });
      });
      return f;
    }

    function csat() {
      var box = el('form', 'fd-csat');
      var set = el('fieldset');
      set.appendChild(el('legend', null, 'How satisfied are you with this chat? (1 = not at all, 5 = very)'));
      for (var i = 1; i <= 5; i++) {
        (function (score) {
          var b = el('button', null, String(score));
          b.type = 'button';
          b.setAttribute('aria-label', 'Rate ' + score + ' of 5');
          b.addEventListener('click', function () { submit({ type: 'csat', score: score }); });
          set.appendChild(b);
        })(i);
      }
      box.appendChild(set);
      return box;
    }
  }
})();
