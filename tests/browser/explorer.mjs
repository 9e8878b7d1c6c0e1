// The explorer page and the pipeline's report in a real browser (Debian chromium driven by
// playwright-core): a small pipeline run, `recsys serve` over it, then
//   /             pick a user: profile, recommended places (and a city filter), friends with
//                 attendance probabilities, similar places, the cold-start form; a screenshot;
//   report.html   every chart div holds a rendered SVG or canvas;
//   /docs         the routes of /openapi.json are rendered;
// with no console errors and no request leaving the server (or file://) on any page.
// Usage: node explorer.mjs RECSYS_BINARY WORK_DIR   (RECSYS_TOOLS_DIR: the tools/ folder)
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [binary, work] = process.argv.slice(2);
if (!binary || !work) throw new Error('usage: node explorer.mjs RECSYS_BINARY WORK_DIR');
const tools = process.env.RECSYS_TOOLS_DIR;
if (!tools) throw new Error('RECSYS_TOOLS_DIR is not set');
const CHROMIUM = process.env.RECSYS_CHROMIUM || '/usr/bin/chromium';
if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/setup (Debian package chromium)`);
const { chromium } = await import(pathToFileURL(path.join(tools, 'node_modules/playwright-core/index.mjs')).href);
const source = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function check(ok, message) {
  if (!ok) throw new Error(`check failed: ${message}`);
}
const step = (text) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${text}`);

// 1. A small pipeline workdir (the sizes of tests/pipeline/pipeline_command_test.cpp; a second
// run of the test reuses the stages that are up to date).
const wd = path.join(work, 'workdir');
fs.mkdirSync(work, { recursive: true });
step('pipeline');
execFileSync(binary, ['pipeline', '--workdir', wd,
  '--set', 'generator.scale.n_users=1000', '--set', 'generator.scale.n_places=1000',
  '--set', 'generator.scale.n_cities=4', '--set', 'model.hetero.max_epochs=1',
  '--set', 'model.hetero.dim=16', '--set', 'model.hetero.social_dim=8', '--set', 'model.hetero.hidden=16',
  '--set', 'model.hetero.negatives=64', '--set', 'model.hetero.city_negatives=64',
  '--set', 'model.hetero.friend_negatives=32', '--set', 'model.hetero.friend_city_negatives=32',
  '--set', 'model.hetero.batch_size=2048', '--threads', '2', '-q'],
{ cwd: source, stdio: ['ignore', 'ignore', 'inherit'] });

// 2. The server on a free port; its log line names the port.
step('serve');
const server = spawn(binary, ['serve', '--artifacts', wd, '--port', '0', '--threads', '2',
  '--events-log', path.join(work, 'events.jsonl')], { stdio: ['ignore', 'ignore', 'pipe'] });
let serverLog = '';
const port = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`recsys serve did not start:\n${serverLog}`)), 60000);
  server.stderr.on('data', (d) => {
    serverLog += d;
    const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(serverLog);
    if (m) { clearTimeout(timer); resolve(Number(m[1])); }
  });
  server.on('exit', (code) => reject(new Error(`recsys serve exited (${code}):\n${serverLog}`)));
});
const base = `http://127.0.0.1:${port}`;

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const problems = [];
// A page that records its console errors, uncaught exceptions and any request that is not to
// the server, a file:// URL or inline data.
async function newPage(name) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`${name}: console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`${name}: uncaught: ${e.message}`));
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(base + '/') || url.startsWith('file://') || url.startsWith('data:')) return route.continue();
    problems.push(`${name}: external request ${url}`);
    return route.abort();
  });
  page.setDefaultTimeout(20000);
  return page;
}
const numbers = async (locator) => (await locator.allTextContents()).map(Number);

try {
  // 3. The explorer.
  step('explorer');
  const page = await newPage('explorer');
  await page.goto(base + '/');
  await page.waitForFunction(() => document.querySelectorAll('#user-ids option').length > 0);
  // A user of the picker with a history and one without (held out: a cold-start user), if any.
  const listed = await page.locator('#user-ids option').evaluateAll((os) => os.map((o) => o.value));
  const profiles = await Promise.all(listed.map(async (u) => (await fetch(`${base}/v1/users/${u}`)).json()));
  const user = String(profiles.find((p) => p.seen_places > 0 && p.friends > 0).user_id);
  const newcomer = profiles.find((p) => p.seen_places === 0);
  await page.fill('#user-id', user);
  await page.click('#user-form button[type=submit]');
  await page.waitForSelector('#places-table tbody tr');
  await page.waitForSelector('#friends-table tbody tr');
  await page.waitForFunction(() => /User \d+\./.test(document.getElementById('status').textContent));
  check((await page.textContent('#profile-h')).includes(user), 'the profile names the user');
  const homeCity = (await page.textContent('#home-city')).trim();
  check(/^\d+$/.test(homeCity), `home city is a number (${homeCity})`);
  check(await page.locator('#recent li').count() > 0, 'recent places are listed');

  const scores = await numbers(page.locator('#places-table tbody td.num'));
  check(scores.length === 10 && scores.every(Number.isFinite), `10 recommended places with scores (${scores})`);
  const reasons = await page.locator('#places-table tbody td:nth-child(5)').allTextContents();
  check(reasons.every((t) => t.length > 0), 'every recommendation has an explanation');
  check(await page.locator('#map circle').count() > 0, 'the map shows points');

  const probs = await numbers(page.locator('#friends-table td.probability'));
  check(probs.length > 0 && probs.every((p) => p > 0 && p < 1), `attendance probabilities in (0, 1): ${probs}`);
  check(!/\b(null|undefined|NaN)\b/.test(await page.textContent('main')), 'no null / undefined / NaN shown');

  // The city filter: every listed place is in the chosen city.
  await page.fill('#filters input[name=city]', homeCity);
  await Promise.all([page.waitForResponse((r) => r.url().includes(`city=${homeCity}`) && r.status() === 200),
    page.click('#filters button[type=submit]')]);
  await page.waitForFunction((c) => {
    const rows = [...document.querySelectorAll('#places-table tbody td:nth-child(3)')];
    return rows.length > 0 && rows.every((td) => td.textContent.startsWith(`city ${c} `) || td.textContent === `city ${c}`);
  }, homeCity);

  // Similar places of the first recommended place.
  const first = (await page.locator('#places-table tbody td:nth-child(2) button').first().textContent()).trim();
  await page.locator('#places-table tbody td:nth-child(2) button').first().click();
  await page.waitForSelector('#similar-table tbody tr');
  check((await page.textContent('#similar-out p')).includes(first), 'similar places name the clicked place');

  // A user without history still gets places (the model's inductive answer or popularity).
  if (newcomer) {
    await page.fill('#user-id', String(newcomer.user_id));
    await page.click('#user-form button[type=submit]');
    await page.waitForFunction((u) => document.getElementById('status').textContent === `User ${u}.`,
      newcomer.user_id);
    check(await page.locator('#places-table tbody tr').count() > 0, `places for user ${newcomer.user_id} without history`);
    check((await page.textContent('#profile')).includes('No interactions.'), 'an empty history is said');
  }

  // Another user from the friends list.
  const friend = (await page.locator('#friends-table tbody td:first-child button').first().textContent()).trim();
  await page.locator('#friends-table tbody td:first-child button').first().click();
  await page.waitForFunction((f) => document.getElementById('profile-h').textContent.endsWith(` ${f}`), friend);
  await page.waitForFunction((f) => document.getElementById('status').textContent === `User ${f}.`, friend);

  // The cold-start form.
  await page.fill('#cold-form input[name=home_city]', homeCity);
  await page.fill('#cold-form input[name=interest_categories]', '1, 2');
  await page.fill('#cold-form input[name=liked_places]', first);
  await page.click('#cold-form button[type=submit]');
  await page.waitForSelector('#cold-table tbody tr');
  const coldScores = await numbers(page.locator('#cold-table tbody td.num'));
  check(coldScores.length === 10 && coldScores.every(Number.isFinite), `cold start lists 10 places (${coldScores})`);
  check((await page.textContent('#cold-source')).length > 'Answered from: '.length, 'cold start names its source');

  // An unknown user is reported, not a crash.
  const before = problems.length;
  await page.fill('#user-id', '987654321');
  await page.click('#user-form button[type=submit]');
  await page.waitForFunction(() => document.getElementById('status').textContent.includes('does not exist'));
  // The browser logs the expected 404 of /v1/users/987654321 as a console error.
  const unexpected = problems.splice(before).filter((p) => !p.includes('404'));
  problems.push(...unexpected);

  await page.fill('#user-id', user);
  await page.click('#user-form button[type=submit]');
  await page.waitForFunction((u) => document.getElementById('status').textContent === `User ${u}.`, user);
  const shot = path.join(work, 'explorer.png');
  await page.screenshot({ path: shot, fullPage: true });
  check(fs.statSync(shot).size > 10000, 'the screenshot was written');
  step(`screenshot ${shot}`);

  // 4. The pipeline's report: every chart rendered.
  step('report.html');
  const report = await newPage('report');
  await report.goto(pathToFileURL(path.join(wd, 'report.html')).href);
  const charts = await report.locator('[id^="chart-"]').count();
  check(charts >= 10, `report.html has its charts (${charts})`);
  await report.waitForFunction(() => [...document.querySelectorAll('[id^="chart-"]')]
    .every((d) => d.querySelector('svg, canvas')));
  const sizes = await report.$$eval('[id^="chart-"]', (ds) => ds.map((d) => {
    const r = d.querySelector('svg, canvas').getBoundingClientRect();
    return [d.id, r.width, r.height];
  }));
  for (const [id, w, h] of sizes) check(w > 50 && h > 50, `${id} drawn (${w}x${h})`);

  // 5. The API docs page.
  step('/docs');
  const docs = await newPage('docs');
  await docs.goto(base + '/docs');
  const spec = await (await fetch(base + '/openapi.json')).json();
  const operations = Object.values(spec.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
  await docs.waitForFunction((n) => document.querySelectorAll('#paths section.op').length === n, operations);
  const rendered = await docs.locator('#paths section.op h2 code').allTextContents();
  for (const p of Object.keys(spec.paths)) check(rendered.includes(p), `/docs renders ${p}`);

  check(problems.length === 0, `no console errors or external requests:\n  ${problems.join('\n  ')}`);
  step(`ok: ${charts} charts, ${operations} operations, user ${user}`);
} finally {
  await browser.close();
  server.kill('SIGTERM');
}
