// Joins the JSON lines of every engine (stdin) into one Markdown table: workload × engine → median ms,
// rows/s, time relative to this project's compiled path, and whether the checksum agrees.
//
// Checksums are compared per (workload, row count) against the first engine reported for it. Integer
// fields (null counts, true counts, string lengths, distinct and group counts) must be equal; float sums
// are compared with a relative tolerance of 1e-9, because each engine sums in its own order (DuckDB and
// Polars in parallel chunks, numpy pairwise, C# and Python sequentially or exactly).
import readline from 'node:readline';

const lines = [];
for await (const line of readline.createInterface({ input: process.stdin })) {
  if (line.trim().startsWith('{')) lines.push(JSON.parse(line));
}

const baselineOrder = ['dsl-compiled', 'hand-vector256'];
const tolerance = 1e-9;
const integerFields = new Set(['nulls', 'groups', 'count', 'distinct']);
const label = r => `${r.engine} (${r.threads}t)`;
let mismatches = 0;

const references = new Map();
for (const r of lines) {
  const key = `${r.workload}/${r.rows}`;
  if (r.checksum && !references.has(key)) references.set(key, r);
}

function agree(r) {
  if (r.unsupported) return '—';
  const ref = references.get(`${r.workload}/${r.rows}`);
  if (!ref || ref === r) return 'reference';
  for (const [field, expected] of Object.entries(ref.checksum)) {
    const actual = r.checksum?.[field];
    const exact = integerFields.has(field) || r.workload === 'W2' || r.workload === 'W3';
    const ok = exact ? actual === expected
      : Math.abs(actual - expected) <= tolerance * Math.max(Math.abs(expected), Math.abs(actual), 1);
    if (!ok) { mismatches++; return `MISMATCH ${field}: ${actual} vs ${expected} (${label(ref)})`; }
  }
  return 'ok';
}

const out = ['| workload | engine | rows | median ms | rows/s | time vs compiled | checksum |', '|---|---|---:|---:|---:|---:|---|'];
for (const workload of [...new Set(lines.map(r => r.workload))].sort()) {
  const rows = lines.filter(r => r.workload === workload);
  const baseline = baselineOrder.map(e => rows.filter(r => r.engine === e && r.median_ms != null)
    .sort((a, b) => b.threads - a.threads)[0]).find(Boolean);
  for (const r of rows) {
    const check = agree(r);
    if (r.median_ms == null) {
      if (r.unsupported) out.push(`| ${workload} | ${label(r)} | ${r.rows} | not yet supported | | | ${r.unsupported} |`);
      continue;
    }
    const perRow = r.median_ms / r.rows;
    const ratio = baseline ? `${(perRow / (baseline.median_ms / baseline.rows)).toFixed(2)}×` : 'n/a';
    const rate = r.rows / (r.median_ms / 1000);
    out.push(`| ${workload} | ${label(r)} | ${r.rows} | ${r.median_ms.toFixed(2)} | ${rate.toExponential(2)} | ${ratio} | ${check} |`);
  }
  // Reference-only lines (no timing) still take part in the checksum comparison.
  for (const r of rows.filter(r => r.median_ms == null && !r.unsupported)) {
    const check = agree(r);
    if (check !== 'ok' && check !== 'reference') out.push(`| ${workload} | ${label(r)} | ${r.rows} | | | | ${check} |`);
  }
}
console.log(out.join('\n'));
const baselineNote = lines.some(r => r.engine === 'dsl-compiled') ? 'dsl-compiled (most threads)' : 'hand-vector256 (most threads; the compiled path is not measured yet)';
console.log(`\ntime vs compiled: an engine's time per row divided by ${baselineNote}'s; above 1 is slower.`);
console.log(mismatches === 0 ? 'checksums: all engines agree' : `checksums: ${mismatches} MISMATCH(ES)`);
process.exit(mismatches === 0 ? 0 : 1);
