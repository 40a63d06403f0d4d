// Shared by the Node peers: argument parsing, timing (warm-up, then the median of R runs) and the
// one-JSON-line-per-workload output that bench/run.sh reads.
import fs from 'node:fs';
import path from 'node:path';

export function parseArgs(argv) {
  const o = { runs: 5, threads: 0, workloads: 'W1,W2,W3,W4,W5' };
  for (let i = 0; i < argv.length; i += 2) o[argv[i].replace(/^--/, '')] = argv[i + 1];
  if (!o.data) throw new Error('--data DIR is required (a directory written by bench/data/generate.mjs)');
  o.runs = Number(o.runs);
  o.threads = Number(o.threads);
  o.meta = JSON.parse(fs.readFileSync(path.join(o.data, 'meta.json'), 'utf8'));
  o.workloads = o.workloads.split(',');
  return o;
}

/** Runs `compute` once to warm up, then `runs` times; returns the median and every run in milliseconds. */
export async function time(compute, runs) {
  let result = await compute();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    result = await compute();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return { result, median, times };
}

/** One line per (engine, workload): bench/run.sh joins these into the table. */
export function report(engine, threads, workload, rows, timing, checksum) {
  console.log(JSON.stringify({ engine, threads, workload, rows, median_ms: round(timing.median), runs_ms: timing.times.map(round), checksum }));
}

const round = x => Math.round(x * 1000) / 1000;
