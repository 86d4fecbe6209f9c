// Compatibility check: a USSD application written with the npm package ussd-menu-builder@1.2.0,
// unchanged, registered on Kulipa's USSD gateway and driven through sandbox sessions. The
// application is the library's README example shape: a start state, a balance branch, and an
// airtime branch that reads a number. Run by run.sh (KULIPA_BASE_URL, KULIPA_ADMIN_TOKEN).
'use strict';
const http = require('http');
const querystring = require('querystring');
const assert = require('assert');
const UssdMenu = require('ussd-menu-builder');

const base = process.env.KULIPA_BASE_URL;
const admin = process.env.KULIPA_ADMIN_TOKEN;
const seen = [];

function app() {
  const menu = new UssdMenu();
  menu.startState({
    run: () => menu.con('Welcome to Kulipa shop\n1. Check balance\n2. Buy airtime'),
    next: { '1': 'balance', '2': 'airtime' }
  });
  menu.state('balance', { run: () => menu.end('Your balance is 42.00 for ' + menu.args.phoneNumber) });
  menu.state('airtime', { run: () => menu.con('Enter amount:'), next: { '*\\d+': 'airtime.amount' } });
  menu.state('airtime.amount', {
    run: () => menu.end('Bought airtime of ' + Number(menu.val) + ' on network ' + menu.args.networkCode)
  });
  return menu;
}

function server() {
  return new Promise((resolve) => {
    const s = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        const args = querystring.parse(body);
        seen.push({ contentType: req.headers['content-type'], args });
        app().run(args, (answer) => {
          res.writeHead(200, { 'Content-Type': 'text/plain' });
          res.end(answer);
        });
      });
    });
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
}

async function call(method, path, body, token) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) { headers.Authorization = 'Bearer ' + token; }
  const r = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : {} };
}

(async () => {
  const s = await server();
  const code = '*384*' + (10000 + Math.floor(Math.random() * 89999)) + '#';
  const url = 'http://127.0.0.1:' + s.address().port + '/ussd';
  let r = await call('POST', '/ops/ussd/applications', { serviceCode: code, callbackUrl: url, name: 'npm check' }, admin);
  assert.strictEqual(r.status, 201, JSON.stringify(r.body));

  // Balance: one step after the menu.
  r = await call('POST', '/sandbox/ussd/sessions', { msisdn: '254712000001', serviceCode: code });
  assert.strictEqual(r.status, 201, JSON.stringify(r.body));
  assert.strictEqual(r.body.state, 'OPEN');
  assert.strictEqual(r.body.screen, 'Welcome to Kulipa shop\n1. Check balance\n2. Buy airtime');
  r = await call('POST', '/sandbox/ussd/sessions/' + r.body.sessionId + '/input', { input: '1' });
  assert.strictEqual(r.status, 200, JSON.stringify(r.body));
  assert.strictEqual(r.body.state, 'ENDED');
  assert.strictEqual(r.body.screen, 'Your balance is 42.00 for +254712000001');

  // Airtime: the library reads the amount from text "2*50" and the network from networkCode.
  r = await call('POST', '/sandbox/ussd/sessions', { msisdn: '254712000002', serviceCode: code });
  const id = r.body.sessionId;
  r = await call('POST', '/sandbox/ussd/sessions/' + id + '/input', { input: '2' });
  assert.strictEqual(r.body.screen, 'Enter amount:');
  assert.strictEqual(r.body.state, 'OPEN');
  r = await call('POST', '/sandbox/ussd/sessions/' + id + '/input', { input: '50' });
  assert.strictEqual(r.body.state, 'ENDED', JSON.stringify(r.body));
  assert.strictEqual(r.body.screen, 'Bought airtime of 50 on network 63902');

  // Shortcut dialling: *384*N*1# opens on *384*N# with the first input already given.
  r = await call('POST', '/sandbox/ussd/sessions', { msisdn: '254712000003', serviceCode: code.replace('#', '*1#') });
  assert.strictEqual(r.body.state, 'ENDED', JSON.stringify(r.body));
  assert.ok(r.body.screen.startsWith('Your balance is 42.00'));

  // What the application received is Africa's Talking's form, field for field.
  const airtime = seen.filter((x) => x.args.sessionId === id).map((x) => x.args.text);
  assert.deepStrictEqual(airtime, ['', '2', '2*50']);
  for (const x of seen) {
    assert.ok(x.contentType.startsWith('application/x-www-form-urlencoded'), x.contentType);
    assert.deepStrictEqual(Object.keys(x.args).sort(), ['networkCode', 'phoneNumber', 'serviceCode', 'sessionId', 'text']);
    assert.strictEqual(x.args.serviceCode, code);
  }
  s.close();
  console.log('ussd-menu-builder@1.2.0 compatibility: OK (' + seen.length + ' steps)');
})().catch((e) => { console.error('ussd-npm compat FAILED:', e.message); process.exit(1); });
