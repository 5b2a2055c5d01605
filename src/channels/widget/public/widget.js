/*
 * The web chat widget, embedded by a shop with
 *   <script src="https://<service>/widget.js" data-site-key="<key>" data-lang="zh|en" async></script>
 * A launcher button opens a small chat panel. The visitor is an anonymous random id kept in
 * localStorage; messages go to POST /channels/widget/messages on the script's own origin, and
 * replies arrive over server-sent events (GET /channels/widget/stream), or by polling when the
 * stream cannot be used. Everything lives in a shadow root, so the shop's styles do not reach
 * it, and every text is set with textContent: nothing a visitor or a reply says becomes HTML.
 * Plain ES2017 with no dependencies; served as is (the server fills in SETTINGS).
 */
(function () {
  'use strict';
  var SETTINGS = { maxTextChars: 4000 }; /* @settings: replaced when served */

  var script = document.currentScript;
  if (!script || !script.src) return;
  var base = new URL(script.src).origin;
  var siteKey = script.getAttribute('data-site-key') || '';
  if (!siteKey) {
    console.warn('triage widget: data-site-key is missing on the script tag');
    return;
  }
  var requested = (script.getAttribute('data-lang') || navigator.language || 'en').toLowerCase();
  var lang = requested.indexOf('zh') === 0 ? 'zh' : 'en';
  var locale =
    lang === 'zh' ? 'zh-CN' : script.getAttribute('data-lang') ? 'en' : navigator.language;

  var strings = {
    en: {
      open: 'Chat with us',
      title: 'Customer service',
      close: 'Close',
      welcome: 'Hi! Ask us anything about your order, delivery or refund.',
      placeholder: 'Type your question…',
      send: 'Send',
      you: 'You',
      bot: 'Assistant',
      agent: 'Agent',
      sending: 'Sending…',
      waiting: 'We are looking into it…',
      failed: 'Not sent. Check your connection and try again.',
      tooLong: 'Your message is too long: at most {n} characters.',
      tooMany: 'Too many messages. Try again in {s} s.',
      retry: 'Retry',
      reconnecting: 'Connection lost, reconnecting…',
      unread: 'New reply',
    },
    zh: {
      open: '联系客服',
      title: '在线客服',
      close: '关闭',
      welcome: '您好！订单、物流、退款的问题都可以问我们。',
      placeholder: '请输入您的问题…',
      send: '发送',
      you: '我',
      bot: '智能助手',
      agent: '人工客服',
      sending: '发送中…',
      waiting: '正在为您查询…',
      failed: '发送失败，请检查网络后重试。',
      tooLong: '消息太长：最多 {n} 个字。',
      tooMany: '发送太频繁，请 {s} 秒后再试。',
      retry: '重试',
      reconnecting: '连接中断，正在重新连接…',
      unread: '有新回复',
    },
  }[lang];

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_, name) {
      return String(values[name]);
    });
  }

  function randomId() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (byte) {
        return (byte + 0x100).toString(16).slice(1);
      })
      .join('');
  }

  // One anonymous visitor per browser and site key; a blocked localStorage gives a visitor per page view.
  var visitorKey = 'triage-widget:visitor:' + siteKey;
  var visitorId;
  try {
    visitorId = localStorage.getItem(visitorKey);
    if (!/^[A-Za-z0-9_-]{22,64}$/.test(visitorId || '')) {
      visitorId = randomId();
      localStorage.setItem(visitorKey, visitorId);
    }
  } catch (error) {
    visitorId = visitorId && /^[A-Za-z0-9_-]{22,64}$/.test(visitorId) ? visitorId : randomId();
  }

  var css = [
    ':host { all: initial; }',
    '.tw-root { position: fixed; right: 20px; bottom: 20px; z-index: 2147483000;',
    '  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif;',
    '  color: #1f2328; }',
    '.tw-launcher { display: flex; align-items: center; gap: 8px; border: 0; border-radius: 24px;',
    '  padding: 12px 18px; background: #1463d8; color: #fff; font: inherit; font-weight: 600;',
    '  cursor: pointer; box-shadow: 0 4px 14px rgba(0,0,0,.2); float: right; }',
    '.tw-launcher:focus-visible, .tw-send:focus-visible, .tw-close:focus-visible { outline: 3px solid #8ab4f8; outline-offset: 2px; }',
    '.tw-badge { display: none; width: 9px; height: 9px; border-radius: 50%; background: #ffb020; }',
    '.tw-unread .tw-badge { display: inline-block; }',
    '.tw-panel { display: none; flex-direction: column; width: 340px; max-width: calc(100vw - 40px);',
    '  height: 460px; max-height: calc(100vh - 100px); margin-bottom: 12px; background: #fff;',
    '  border-radius: 12px; box-shadow: 0 8px 30px rgba(0,0,0,.25); overflow: hidden; }',
    '.tw-open .tw-panel { display: flex; }',
    '.tw-header { display: flex; align-items: center; justify-content: space-between;',
    '  padding: 12px 14px; background: #1463d8; color: #fff; font-weight: 600; }',
    '.tw-close { border: 0; background: transparent; color: #fff; font: inherit; font-size: 20px;',
    '  line-height: 1; cursor: pointer; padding: 0 4px; }',
    '.tw-log { flex: 1; overflow-y: auto; padding: 12px; background: #f5f7fa; }',
    '.tw-msg { max-width: 82%; margin: 0 0 10px; padding: 8px 11px; border-radius: 10px;',
    '  white-space: pre-wrap; overflow-wrap: anywhere; }',
    '.tw-who { display: block; font-size: 11px; color: #57606a; margin-bottom: 2px; }',
    '.tw-customer { margin-left: auto; background: #1463d8; color: #fff; }',
    '.tw-customer .tw-who { color: #dbe7fb; }',
    '.tw-bot, .tw-agent, .tw-welcome { background: #fff; border: 1px solid #e1e4e8; }',
    '.tw-agent { border-color: #2da44e; }',
    '.tw-pending { opacity: .65; }',
    '.tw-status { min-height: 18px; padding: 2px 12px; font-size: 12px; color: #57606a; background: #f5f7fa; }',
    '.tw-status.tw-error { color: #c62828; }',
    '.tw-form { display: flex; gap: 8px; padding: 10px; border-top: 1px solid #e1e4e8; background: #fff; }',
    '.tw-input { flex: 1; resize: none; height: 40px; padding: 8px; border: 1px solid #c9ced6;',
    '  border-radius: 8px; font: inherit; color: inherit; background: #fff; }',
    '.tw-send { border: 0; border-radius: 8px; padding: 0 14px; background: #1463d8; color: #fff;',
    '  font: inherit; font-weight: 600; cursor: pointer; }',
    '.tw-send:disabled { background: #9bb8e6; cursor: default; }',
  ].join('\n');

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var host = element('div');
  host.setAttribute('data-triage-widget', '');
  var shadow = host.attachShadow({ mode: 'open' });
  // A constructed sheet is not an inline <style>, so a shop's strict style-src does not block it.
  if (shadow.adoptedStyleSheets !== undefined && typeof CSSStyleSheet === 'function') {
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      shadow.adoptedStyleSheets = [sheet];
    } catch (error) {
      shadow.appendChild(element('style', '', css));
    }
  } else {
    shadow.appendChild(element('style', '', css));
  }

  var root = element('div', 'tw-root');
  root.setAttribute('lang', lang === 'zh' ? 'zh-CN' : 'en');
  var panel = element('section', 'tw-panel');
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-label', strings.title);
  var header = element('div', 'tw-header');
  header.appendChild(element('span', 'tw-title', strings.title));
  var close = element('button', 'tw-close', '×');
  close.type = 'button';
  close.setAttribute('aria-label', strings.close);
  header.appendChild(close);
  var log = element('div', 'tw-log');
  log.setAttribute('role', 'log');
  log.setAttribute('aria-live', 'polite');
  var welcome = element('div', 'tw-msg tw-welcome');
  welcome.appendChild(element('span', 'tw-who', strings.bot));
  welcome.appendChild(document.createTextNode(strings.welcome));
  log.appendChild(welcome);
  var status = element('div', 'tw-status');
  status.setAttribute('role', 'status');
  var form = element('form', 'tw-form');
  var input = element('textarea', 'tw-input');
  input.setAttribute('placeholder', strings.placeholder);
  input.setAttribute('aria-label', strings.placeholder);
  input.setAttribute('maxlength', String(SETTINGS.maxTextChars));
  input.setAttribute('rows', '1');
  var send = element('button', 'tw-send', strings.send);
  send.type = 'submit';
  form.appendChild(input);
  form.appendChild(send);
  panel.appendChild(header);
  panel.appendChild(log);
  panel.appendChild(status);
  panel.appendChild(form);
  var launcher = element('button', 'tw-launcher');
  launcher.type = 'button';
  launcher.setAttribute('aria-expanded', 'false');
  launcher.appendChild(element('span', 'tw-badge'));
  launcher.appendChild(element('span', '', strings.open));
  root.appendChild(panel);
  root.appendChild(launcher);
  shadow.appendChild(root);

  var shown = {}; // message id -> bubble
  var lastId; // the newest message shown, where a poll resumes
  var awaitingReply = false;

  function setStatus(text, isError) {
    status.textContent = text || '';
    status.className = 'tw-status' + (isError ? ' tw-error' : '');
  }

  function bubble(author, text, pending) {
    var node = element('div', 'tw-msg tw-' + author + (pending ? ' tw-pending' : ''));
    node.appendChild(element('span', 'tw-who', strings[author === 'customer' ? 'you' : author]));
    node.appendChild(document.createTextNode(text));
    log.appendChild(node);
    log.scrollTop = log.scrollHeight;
    return node;
  }

  function show(message) {
    lastId = message.id;
    if (shown[message.id]) {
      shown[message.id].classList.remove('tw-pending');
      return;
    }
    shown[message.id] = bubble(message.author, message.text, false);
    shown[message.id].setAttribute('data-message-id', message.id);
    if (message.author !== 'customer') {
      awaitingReply = false;
      setStatus('');
      if (!root.classList.contains('tw-open')) root.classList.add('tw-unread');
    }
  }

  // Replies: a stream while it works, polling when it cannot be opened.
  var source;
  var pollTimer;
  var following = false;

  function url(path, extra) {
    var query = new URLSearchParams({ siteKey: siteKey, visitorId: visitorId });
    if (extra) Object.keys(extra).forEach((name) => extra[name] && query.set(name, extra[name]));
    return base + path + '?' + query.toString();
  }

  function poll() {
    clearTimeout(pollTimer);
    fetch(url('/channels/widget/messages', { after: lastId }), { credentials: 'omit' })
      .then(function (response) {
        return response.ok ? response.json() : { messages: [] };
      })
      .then(function (body) {
        body.messages.forEach(show);
      })
      .catch(function () {})
      .then(function () {
        pollTimer = setTimeout(poll, awaitingReply ? 2000 : 6000);
      });
  }

  function follow() {
    if (following) return;
    following = true;
    if (typeof EventSource !== 'function') return poll();
    source = new EventSource(url('/channels/widget/stream', { after: lastId }));
    source.addEventListener('message', function (event) {
      setStatus('');
      show(JSON.parse(event.data));
    });
    source.addEventListener('error', function () {
      // EventSource retries a dropped stream itself; a refused one (403, 429) is closed for good.
      if (source.readyState === EventSource.CLOSED) {
        source = undefined;
        poll();
      } else if (awaitingReply) {
        setStatus(strings.reconnecting, false);
      }
    });
  }

  function setOpen(open) {
    root.classList.toggle('tw-open', open);
    root.classList.remove('tw-unread');
    launcher.setAttribute('aria-expanded', String(open));
    if (open) {
      follow();
      input.focus();
    }
  }

  function post(text, clientMessageId, pending, attempt) {
    return fetch(base + '/channels/widget/messages', {
      method: 'POST',
      credentials: 'omit',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        siteKey: siteKey,
        visitorId: visitorId,
        clientMessageId: clientMessageId,
        text: text,
        locale: locale,
      }),
    }).then(
      function (response) {
        return response.json().then(function (body) {
          if (response.ok) {
            pending.setAttribute('data-message-id', body.messageId);
            if (shown[body.messageId]) {
              // The stream showed it first.
              pending.remove();
            } else {
              pending.classList.remove('tw-pending');
              shown[body.messageId] = pending;
            }
            awaitingReply = true;
            setStatus(strings.waiting, false);
            return;
          }
          pending.remove();
          var seconds = response.headers.get('Retry-After');
          if (response.status === 429 && seconds)
            setStatus(format(strings.tooMany, { s: seconds }), true);
          else setStatus((body.error && body.error.message) || strings.failed, true);
          input.value = input.value || text;
        });
      },
      function () {
        // Lost on the way: the same clientMessageId again is safe (the service drops repeats).
        if (attempt < 3)
          return new Promise(function (done) {
            setTimeout(done, 1000 * attempt);
          }).then(function () {
            return post(text, clientMessageId, pending, attempt + 1);
          });
        pending.remove();
        setStatus(strings.failed, true);
        input.value = input.value || text;
      },
    );
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    if (text.length > SETTINGS.maxTextChars) {
      setStatus(format(strings.tooLong, { n: SETTINGS.maxTextChars }), true);
      return;
    }
    input.value = '';
    setStatus(strings.sending, false);
    follow();
    send.disabled = true;
    var pending = bubble('customer', text, true);
    post(text, randomId(), pending, 1).then(function () {
      send.disabled = false;
      input.focus();
    });
  });
  input.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : send.click();
    }
  });
  launcher.addEventListener('click', function () {
    setOpen(!root.classList.contains('tw-open'));
  });
  close.addEventListener('click', function () {
    setOpen(false);
    launcher.focus();
  });

  function mount() {
    document.body.appendChild(host);
  }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
