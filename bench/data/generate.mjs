// Deterministic benchmark data generator for the side-by-side benchmark (bench/run.sh).
//
//   node bench/data/generate.mjs --rows N --seed S --out DIR
//
// Writes into DIR:
//   bench.arrow     Arrow IPC file (record batches of 2^20 rows) — the data every engine starts from;
//   bench.parquet   the same table, written by Polars from bench.arrow (DuckDB has no built-in Arrow IPC
//                   reader without downloading an extension, but reads Parquet natively);
//   npy/<col>.npy   raw columns for numpy and plain Python (numpy cannot read Arrow IPC by itself):
//                   values as float64/int64/bool, `<col>_valid.npy` (bool) for nullable columns,
//                   `email.npy` as fixed-width ASCII bytes (numpy dtype S<w>), `at.npy` as int64 µs;
//   meta.json       rows, seed, column list, the 30-day window bounds used by W5.
//
// Every value comes from one seeded PRNG per column, so the same (rows, seed) gives byte-identical files.

import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(new URL('../peers/package.json', import.meta.url));
const arrow = require('apache-arrow');

const args = parseArgs(process.argv.slice(2));
const rows = Number(args.rows ?? 10_000_000);
const seed = Number(args.seed ?? 42);
const out = args.out ?? `bench/out/data-${rows}`;
const batchRows = 1 << 20;

/** 2026-01-01T00:00:00Z in microseconds; `at` spans [start, start + 90 days). */
const startMicros = 1_767_225_600_000_000n;
const dayMicros = 86_400_000_000n;
const spanDays = 90n;

fs.mkdirSync(path.join(out, 'npy'), { recursive: true });

// mulberry32: small, fast and deterministic; one stream per column so columns are independent of each other.
function rng(streamSeed) {
  let a = (seed * 0x9e3779b1 + streamSeed * 0x85ebca6b) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rSubtotal = rng(1), rDiscount = rng(2), rTax = rng(3), rTaxable = rng(4);
const rEmail = rng(5), rUser = rng(6), rAmount = rng(7), rAt = rng(8);
const users = Math.max(1, Math.floor(rows / 20));
const taxRates = [0.05, 0.0625, 0.0725, 0.08, 0.0875, 0.1, 0.2];
const firsts = ['John', 'mary', 'Ana', 'li', 'Olu', 'Sven', 'Priya', 'zoe', 'Mateo', 'Kenji', 'Aisha', 'Noah', 'eva', 'Ravi', 'Chen', 'Fatima'];
const lasts = ['Smith', 'garcia', 'Ng', 'Okafor', 'Larsen', 'Patel', 'Kim', 'Rossi', 'Tanaka', 'Haddad', 'Brown', 'Silva', 'Muller', 'Khan'];
const tags = ['promo', 'news', 'Shop', 'x1', 'bench'];
const domains = ['gmail.com', 'gmail.com', 'gmail.com', 'yahoo.com', 'outlook.com', 'example.org', 'proton.me', 'corp.co.uk'];

/** An ASCII email with mixed case, dots, digits and +tags on every domain (only gmail.com drops them in W3). */
function email(r) {
  const f = firsts[Math.floor(r() * firsts.length)], l = lasts[Math.floor(r() * lasts.length)];
  const shape = Math.floor(r() * 5);
  let user = shape === 0 ? `${f}.${l}` : shape === 1 ? `${f}${l}` : shape === 2 ? `${f[0]}.${l}.${Math.floor(r() * 100)}`
    : shape === 3 ? `${f}_${l}${Math.floor(r() * 1000)}` : `${f}.${l[0]}.x`;
  if (r() < 0.25) user += `+${tags[Math.floor(r() * tags.length)]}`;
  return `${user}@${domains[Math.floor(r() * domains.length)]}`;
}

const emailWidth = 40;
const npyFiles = {
  subtotal: npy('subtotal', '<f8'), discount: npy('discount', '<f8'), discount_valid: npy('discount_valid', '|b1'),
  tax_rate: npy('tax_rate', '<f8'), tax_rate_valid: npy('tax_rate_valid', '|b1'), taxable: npy('taxable', '|b1'),
  email: npy('email', `|S${emailWidth}`), user_id: npy('user_id', '<i8'), amount: npy('amount', '<f8'), at: npy('at', '<i8'),
};

const arrowPath = path.join(out, 'bench.arrow');
const writer = new arrow.RecordBatchFileWriter();

for (let offset = 0; offset < rows; offset += batchRows) {
  const n = Math.min(batchRows, rows - offset);
  const batch = makeBatch(n);
  writer.write(batch);
}
writer.finish();
fs.writeFileSync(arrowPath, writer.toUint8Array(true));
for (const f of Object.values(npyFiles)) fs.closeSync(f.fd);

// Parquet for DuckDB, written by a second, independent Arrow reader (Polars), which also checks the IPC file.
const pl = require('nodejs-polars');
const df = pl.readIPC(fs.readFileSync(arrowPath)); // a string path is read as inline IPC unless it ends in .ipc
if (df.height !== rows) throw new Error(`polars read ${df.height} rows from ${arrowPath}, expected ${rows}`);
df.writeParquet(path.join(out, 'bench.parquet'));

const endMicros = startMicros + spanDays * dayMicros;
fs.writeFileSync(path.join(out, 'meta.json'), JSON.stringify({
  rows, seed, users, batchRows,
  columns: ['subtotal', 'discount', 'tax_rate', 'taxable', 'email', 'user_id', 'amount', 'at'],
  emailWidth,
  // W5 window: the last 30 days of the 90-day span, [windowStart, end).
  windowStartMicros: String(endMicros - 30n * dayMicros), endMicros: String(endMicros),
}, null, 2));
console.error(`generated ${rows} rows (seed ${seed}) in ${out}`);

function makeBatch(n) {
  const subtotal = new Float64Array(n), discount = new Float64Array(n), taxRate = new Float64Array(n), amount = new Float64Array(n);
  const discountValid = new Uint8Array(n), taxValid = new Uint8Array(n), taxable = new Uint8Array(n);
  const userId = new BigInt64Array(n), at = new BigInt64Array(n);
  const emailFixed = new Uint8Array(n * emailWidth);
  const emailOffsets = new Int32Array(n + 1);
  let emailBytes = new Uint8Array(n * 24);
  for (let i = 0; i < n; i++) {
    subtotal[i] = Math.round(rSubtotal() * 300_000) / 100;                      // 0.00 .. 3000.00
    if (rDiscount() >= 0.3) { discountValid[i] = 1; discount[i] = Math.round(rDiscount() * 5_000) / 100; }
    if (rTax() >= 0.2) { taxValid[i] = 1; taxRate[i] = taxRates[Math.floor(rTax() * taxRates.length)]; }
    taxable[i] = rTaxable() < 0.7 ? 1 : 0;
    const e = email(rEmail);
    if (e.length > emailWidth) throw new Error(`email longer than ${emailWidth}: ${e}`);
    if (emailOffsets[i] + e.length > emailBytes.length) {
      const grown = new Uint8Array(emailBytes.length * 2); grown.set(emailBytes); emailBytes = grown;
    }
    for (let k = 0; k < e.length; k++) {
      const c = e.charCodeAt(k);
      emailBytes[emailOffsets[i] + k] = c;
      emailFixed[i * emailWidth + k] = c;
    }
    emailOffsets[i + 1] = emailOffsets[i] + e.length;
    userId[i] = BigInt(Math.floor(rUser() * users));
    amount[i] = Math.round(rAmount() * 50_000) / 100;                           // 0.00 .. 500.00
    at[i] = startMicros + BigInt(Math.floor(rAt() * Number(spanDays * dayMicros)));
  }

  append(npyFiles.subtotal, subtotal); append(npyFiles.discount, discount); append(npyFiles.discount_valid, discountValid);
  append(npyFiles.tax_rate, taxRate); append(npyFiles.tax_rate_valid, taxValid); append(npyFiles.taxable, taxable);
  append(npyFiles.email, emailFixed); append(npyFiles.user_id, userId); append(npyFiles.amount, amount); append(npyFiles.at, at);

  const { makeData, Float64, Bool, Utf8, Int64, TimestampMicrosecond, RecordBatch, Schema, Field, Struct } = arrow;
  const f64 = (values, valid) => makeData({ type: new Float64(), length: n, data: values, ...(valid ? bitmap(valid) : {}) });
  const fields = [
    new Field('subtotal', new Float64(), false), new Field('discount', new Float64(), true),
    new Field('tax_rate', new Float64(), true), new Field('taxable', new Bool(), false),
    new Field('email', new Utf8(), false), new Field('user_id', new Int64(), false),
    new Field('amount', new Float64(), false), new Field('at', new TimestampMicrosecond('UTC'), false),
  ];
  const children = [
    f64(subtotal), f64(discount, discountValid), f64(taxRate, taxValid),
    makeData({ type: new Bool(), length: n, data: packBits(taxable) }),
    makeData({ type: new Utf8(), length: n, valueOffsets: emailOffsets, data: emailBytes.subarray(0, emailOffsets[n]) }),
    makeData({ type: new Int64(), length: n, data: userId }),
    f64(amount),
    makeData({ type: new TimestampMicrosecond('UTC'), length: n, data: at }),
  ];
  const schema = new Schema(fields);
  const struct = makeData({ type: new Struct(fields), length: n, nullCount: 0, children });
  return new RecordBatch(schema, struct);
}

function bitmap(valid) {
  let nulls = 0;
  for (let i = 0; i < valid.length; i++) nulls += valid[i] ? 0 : 1;
  return { nullBitmap: packBits(valid), nullCount: nulls };
}

/** Arrow bit order: bit i of the buffer is byte i >> 3, bit i & 7 (least significant first). */
function packBits(bytes) {
  const packed = new Uint8Array((bytes.length + 7) >> 3);
  for (let i = 0; i < bytes.length; i++) if (bytes[i]) packed[i >> 3] |= 1 << (i & 7);
  return packed;
}

/** A .npy (format 1.0) file whose header is written last, once the row count is known: it is fixed up front. */
function npy(name, descr) {
  const fd = fs.openSync(path.join(out, 'npy', `${name}.npy`), 'w');
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${rows},), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1'); pre[6] = 1; pre[7] = 0; pre.writeUInt16LE(header.length, 8);
  fs.writeSync(fd, pre); fs.writeSync(fd, Buffer.from(header, 'latin1'));
  return { fd };
}

function append(file, typed) {
  fs.writeSync(file.fd, new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength));
}

function parseArgs(argv) {
  const o = {};
  for (let i = 0; i < argv.length; i += 2) o[argv[i].replace(/^--/, '')] = argv[i + 1];
  return o;
}
