#!/usr/bin/env node
// npm run bench: generates seeded synthetic exports in a temporary folder (nothing is
// committed), then times, on the same files and in the same run:
//   1. the floor: csv-parse parsing the file to arrays and nothing else;
//   2. pace-audit audit <file> --format json > /dev/null;
//   3. the same with 5x the events for the same children.
// Each figure is the median of several runs. Exits 1 when a target is missed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { writeExport } from './synth.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const MiB = 1024 * 1024;
const here = new URL('.', import.meta.url).pathname;
const BIN = join(here, '..', 'bin', 'pace-audit.js');
const TARGETS = { auditOverFloor: 1.5, peakMiB: 150, fiveTimesMemory: 1.2 };

const dir = mkdtempSync(join(tmpdir(), 'pace-audit-bench-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

function once(args) {
  const rssFile = join(dir, 'rss');
  const out = openSync('/dev/null', 'w');
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', join(here, 'bench-rss.mjs'), ...args], { stdio: ['ignore', out, 'ignore'], env: { ...process.env, BENCH_RSS_FILE: rssFile } });
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  closeSync(out);
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  return { seconds, rss: Number(readFileSync(rssFile, 'utf8')) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summary = (runs) => ({ seconds: median(runs.map((r) => r.seconds)), peakMiB: median(runs.map((r) => r.rss)) / MiB });

/** Floor and audit runs alternate, so that a noisy machine slows both alike. */
function measurePair(floorArgs, auditArgs) {
  const floor = [];
  const audit = [];
  for (let i = 0; i < RUNS; i++) {
    floor.push(once(floorArgs));
    audit.push(once(auditArgs));
  }
  // The ratio is the median of each run's own ratio: robust to a slow spell across a pair.
  const ratio = median(floor.map((f, i) => audit[i].seconds / f.seconds));
  return { floor: summary(floor), audit: summary(audit), ratio };
}

const sizes = [
  { name: '100k', children: 16_100, perChild: 1 },
  { name: '1M', children: 161_000, perChild: 1 },
  { name: '1M x5', children: 161_000, perChild: 5 },
];
const rows = [];
for (const s of sizes) {
  const file = join(dir, `${s.name.replace(/\W/g, '')}.csv`);
  const events = await writeExport(file, { children: s.children, perChild: s.perChild });
  const mb = statSync(file).size / MiB;
  process.stderr.write(`${s.name}: ${events.toLocaleString('en-GB')} events, ${s.children.toLocaleString('en-GB')} children, ${mb.toFixed(0)} MiB; measuring...\n`);
  const m = measurePair([join(here, 'bench-floor.mjs'), file], [BIN, 'audit', file, '--format', 'json', '--as-of', '2026-11-01', '--no-progress']);
  rows.push({ name: s.name, events, children: s.children, fileMiB: +mb.toFixed(1), ...m });
  rmSync(file);
}

const one = rows.find((r) => r.name === '1M');
const five = rows.find((r) => r.name === '1M x5');
const checks = [
  // Time is judged on the 1M file; memory on the 1M file and on 5x its events for the same children.
  { target: `1M: audit at most ${TARGETS.auditOverFloor}x the parse floor`, value: one.ratio, ok: one.ratio <= TARGETS.auditOverFloor },
  { target: `1M: peak memory at most ${TARGETS.peakMiB} MiB`, value: one.audit.peakMiB, ok: one.audit.peakMiB <= TARGETS.peakMiB },
  { target: `5x events, same children: at most ${TARGETS.fiveTimesMemory}x the 1M peak memory`, value: five.audit.peakMiB / one.audit.peakMiB, ok: five.audit.peakMiB / one.audit.peakMiB <= TARGETS.fiveTimesMemory },
];

const f = (n, d = 2) => n.toFixed(d);
const table = [
  ['input', 'events', 'floor s', 'audit s', 'events/s', 'audit/floor', 'floor MiB', 'audit MiB'],
  ...rows.map((r) => [r.name, r.events.toLocaleString('en-GB'), f(r.floor.seconds), f(r.audit.seconds), Math.round(r.events / r.audit.seconds).toLocaleString('en-GB'), f(r.ratio), f(r.floor.peakMiB, 0), f(r.audit.peakMiB, 0)]),
];
const widths = table[0].map((_, i) => Math.max(...table.map((r) => String(r[i]).length)));
const machine = `${cpus().length} x ${cpus()[0]?.model.trim()}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}`;
console.log(`pace-audit benchmark, median of ${RUNS} runs, on ${machine}\n`);
for (const r of table) console.log(r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  '));
console.log('');
for (const c of checks) console.log(`${c.ok ? 'PASS' : 'FAIL'}  ${c.target}: ${f(c.value)}`);
console.log('\n' + JSON.stringify({ machine, runs: RUNS, results: rows, targets: TARGETS, checks }, null, 2));
if (checks.some((c) => !c.ok)) process.exitCode = 1;
