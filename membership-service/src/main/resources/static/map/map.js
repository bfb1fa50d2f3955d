// The Charter network map: draws GET /api/v1/network-map and draws it again every few seconds.
// Plain JavaScript, no dependency. The data call is authenticated like every API call: by the browser's
// client certificate (mTLS) when it has one, else by the API's signed token, made here with a wallet key
// the operator chooses (WebCrypto, non-extractable, kept in memory only).
'use strict';
(() => {
  const API = '/api/v1/network-map';
  const params = new URLSearchParams(location.search);
  const REFRESH_MS = Math.max(1, Number(params.get('refresh')) || 5) * 1000;
  const encoder = new TextEncoder();
  let identity = null; // { certificate: base64 DER, key: CryptoKey }
  let timer = null;
  let lastSuccess = 0;

  const $ = (id) => document.getElementById(id);

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'class') node.className = value;
      else if (name.startsWith('data-')) node.setAttribute(name, value);
      else node.setAttribute(name, value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // --- the API's signed token -------------------------------------------------------------------

  function base64(bytes) {
    let text = '';
    for (const b of new Uint8Array(bytes)) text += String.fromCharCode(b);
    return btoa(text);
  }

  function pemBlock(text, labels) {
    const match = new RegExp('-----BEGIN (' + labels.join('|') + ')-----([^-]+)-----END \\1-----').exec(text);
    if (!match) throw new Error('no ' + labels[0] + ' block in the file');
    const binary = atob(match[2].replace(/\s+/g, ''));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  }

  function derInteger(bytes) {
    let i = 0;
    while (i < bytes.length - 1 && bytes[i] === 0) i++;
    let value = bytes.slice(i);
    if (value[0] & 0x80) value = Uint8Array.of(0, ...value);
    return Uint8Array.of(0x02, value.length, ...value);
  }

  // WebCrypto signs ECDSA as r || s; the API takes DER, as Java's SHA256withECDSA writes it.
  function derSignature(raw) {
    const bytes = new Uint8Array(raw);
    const half = bytes.length / 2;
    const r = derInteger(bytes.slice(0, half));
    const s = derInteger(bytes.slice(half));
    return Uint8Array.of(0x30, r.length + s.length, ...r, ...s);
  }

  async function authorization(method, path, body) {
    const timestamp = String(Date.now());
    const bodyHash = base64(await crypto.subtle.digest('SHA-256', encoder.encode(body)));
    const payload = encoder.encode(method + '\n' + path + '\n' + bodyHash + '\n' + timestamp);
    const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, identity.key, payload);
    return {
      'Authorization': 'Charter ' + identity.certificate + '.' + base64(derSignature(signature)),
      'X-Charter-Timestamp': timestamp,
    };
  }

  /** Uses a wallet identity: its certificate PEM (the first block is the leaf) and its PKCS#8 key PEM. */
  async function signIn(certificatePem, keyPem) {
    const certificate = base64(pemBlock(certificatePem, ['CERTIFICATE']));
    const key = await crypto.subtle.importKey('pkcs8', pemBlock(keyPem, ['PRIVATE KEY']),
      { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
    identity = { certificate, key };
    $('sign-in-error').textContent = '';
    return refresh();
  }

  async function signInFromFiles() {
    try {
      const certificate = $('certificate-file').files[0];
      const key = $('key-file').files[0];
      if (!certificate || !key) throw new Error('choose both files');
      await signIn(await certificate.text(), await key.text());
    } catch (e) {
      $('sign-in-error').textContent = 'Cannot sign in: ' + e.message;
    }
  }

  // --- fetching -----------------------------------------------------------------------------------

  async function refresh() {
    clearTimeout(timer);
    try {
      const headers = identity ? await authorization('GET', API, '') : {};
      const response = await fetch(API, { headers, cache: 'no-store', credentials: 'same-origin' });
      if (response.status === 401 || response.status === 403) {
        const problem = await response.json().catch(() => ({}));
        identity = null;
        showSignIn(problem.code ? problem.code + ': ' + problem.message : '');
        return;
      }
      if (!response.ok) throw new Error('HTTP ' + response.status);
      const map = await response.json();
      render(map);
      lastSuccess = Date.now();
      setStatus('updated ' + new Date(map.generatedAt).toLocaleTimeString() + ' · refreshed every '
        + REFRESH_MS / 1000 + ' s', false);
    } catch (e) {
      setStatus('not refreshed: ' + e.message + (lastSuccess ? ' (showing '
        + new Date(lastSuccess).toLocaleTimeString() + ')' : ''), true);
    }
    timer = setTimeout(refresh, REFRESH_MS);
  }

  function setStatus(text, stale) {
    const status = $('status');
    status.textContent = text;
    status.classList.toggle('stale', stale);
  }

  function showSignIn(reason) {
    $('sign-in').hidden = false;
    $('summary').hidden = true;
    $('organizations').replaceChildren();
    $('sign-in-error').textContent = reason || '';
    setStatus('sign in to see the network', true);
  }

  // --- drawing ------------------------------------------------------------------------------------

  function ago(instant) {
    if (!instant) return 'never';
    const seconds = Math.max(0, Math.round((Date.now() - new Date(instant).getTime()) / 1000));
    if (seconds < 120) return seconds + ' s ago';
    if (seconds < 7200) return Math.round(seconds / 60) + ' min ago';
    return Math.round(seconds / 3600) + ' h ago';
  }

  function drawNode(node) {
    const up = node.state === 'UP';
    const leader = node.leaderOf.length > 0;
    const expiring = node.certificates.some((c) => c.expiring);
    return el('article', {
      class: 'node ' + (up ? 'up' : 'down'), 'data-node': node.nodeId, 'data-state': node.state,
      'data-role': node.role, 'data-leader': leader ? node.leaderOf.join(' ') : null,
      'data-expiring': expiring ? 'true' : null,
    },
      el('header', {},
        el('span', { class: 'name' }, node.nodeId),
        leader ? el('span', { class: 'leader-mark', title: 'holds the leader lease of ' + node.mspId },
          '★ leader ' + node.leaderOf.join(', ')) : null,
        el('span', { class: 'badge ' + (up ? 'up' : 'down') }, node.state)),
      el('div', { class: 'meta' }, node.endpoints.join(', ') || 'no endpoint',
        node.anchor ? ' · anchor' : '', ' · heartbeat ' + ago(node.lastHeartbeat)),
      Object.keys(node.heights).length === 0 ? null : el('table', { class: 'heights' },
        el('tbody', {}, Object.entries(node.heights).map(([channel, height]) =>
          el('tr', { 'data-channel': channel }, el('td', {}, channel),
            el('td', { class: 'height' }, 'height ' + height))))),
      el('ul', { class: 'certs' }, node.certificates.map((c) =>
        el('li', { class: 'cert' + (c.expiring ? ' expiring' : ''), 'data-profile': c.profile,
          title: 'serial ' + c.serial + ', not after ' + c.notAfter },
        c.profile + ' certificate ' + (c.daysLeft < 0 ? 'expired' : 'expires in ' + c.daysLeft + ' d')
          + ' (' + c.notAfter.slice(0, 10) + ')'))));
  }

  function drawOrganization(organization) {
    const roles = new Map();
    for (const node of organization.nodes) {
      if (!roles.has(node.role)) roles.set(node.role, []);
      roles.get(node.role).push(node);
    }
    const up = organization.nodes.filter((n) => n.state === 'UP').length;
    return el('section', { class: 'org' + (organization.nodes.length ? '' : ' empty'), 'data-org': organization.mspId },
      el('h2', {}, organization.mspId,
        el('small', {}, (organization.consortium ? 'consortium · ' : '')
          + up + '/' + organization.nodes.length + ' nodes up')),
      organization.nodes.length === 0 ? el('p', { class: 'none' }, 'no registered nodes') : null,
      [...roles].map(([role, nodes]) => el('div', { class: 'role', 'data-role': role },
        el('h3', {}, role + 's'), el('div', { class: 'nodes' }, nodes.map(drawNode)))));
  }

  function render(map) {
    $('sign-in').hidden = true;
    $('summary').hidden = false;
    $('expiry-days').textContent = map.expiryWarningDays;
    $('channels').replaceChildren(...map.channels.map((c) =>
      el('span', { class: 'channel', 'data-channel': c.name }, el('b', {}, c.name), ' height ' + c.height)));
    // Organizations with nodes first, then the others, each group by MSP id.
    const organizations = [...map.organizations].sort((a, b) =>
      (b.nodes.length > 0) - (a.nodes.length > 0) || a.mspId.localeCompare(b.mspId));
    $('organizations').replaceChildren(...organizations.map(drawOrganization));
    document.body.dataset.rendered = String(Date.now());
  }

  window.charterMap = { signIn, refresh };

  document.addEventListener('DOMContentLoaded', () => {
    $('sign-in-button').addEventListener('click', signInFromFiles);
    refresh();
  });
})();
