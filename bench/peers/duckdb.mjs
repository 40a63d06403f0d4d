// DuckDB peer: loads bench.parquet into an in-memory table, then times each workload as a
// CREATE TEMP TABLE … AS SELECT (the result column is materialised, as every other engine's is).
//   node bench/peers/duckdb.mjs --data DIR --threads T [--runs R] [--workloads W1,W2]
import { DuckDBInstance } from '@duckdb/node-api';
import path from 'node:path';
import { parseArgs, time, report } from './common.mjs';

const o = parseArgs(process.argv.slice(2));
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
if (o.threads > 0) await con.run(`SET threads = ${o.threads}`);
const threads = Number((await con.runAndReadAll(`SELECT current_setting('threads')`)).getRows()[0][0]);
await con.run(`CREATE TABLE t AS SELECT * FROM read_parquet('${path.resolve(o.data, 'bench.parquet')}')`);

const discounted = `CASE WHEN discount IS NOT NULL THEN greatest(subtotal - discount, 0.0::DOUBLE) ELSE subtotal END`;
const user = `split_part(email, '@', 1)`;
const w4 = `ln(1.0::DOUBLE + subtotal) * sqrt(amount)`;
const columns = {
  W1: `CASE WHEN NOT taxable OR tax_rate IS NULL THEN ${discounted} ELSE ${discounted} * (1.0::DOUBLE + tax_rate) END`,
  W2: `subtotal > 1000.0::DOUBLE`,
  W3: `lower(CASE WHEN suffix(email, '@gmail.com') THEN replace(split_part(${user}, '+', 1), '.', '') ELSE ${user} END)`,
  // Math.Clamp keeps NaN; DuckDB orders NaN above every number, so NaN is tested first.
  W4: `CASE WHEN isnan(${w4}) THEN ${w4} WHEN ${w4} < 0 THEN 0.0::DOUBLE WHEN ${w4} > 100 THEN 100.0::DOUBLE ELSE ${w4} END`,
};
const checksums = {
  W1: `SELECT sum(v), count(*) - count(v) FROM r`,
  W2: `SELECT count(*) FILTER (WHERE v), count(*) - count(v) FROM r`,
  W3: `SELECT sum(length(v)), count(*) - count(v), count(DISTINCT v) FROM r`,
  W4: `SELECT sum(v), count(*) - count(v) FROM r`,
  W5: `SELECT sum(s), count(*) - count(s), count(*), sum(c), sum(m) FROM r`,
};

// W1P: W1 straight from the Parquet file, to set next to this project evaluating while it reads the file.
const parquet = path.resolve(o.data, 'bench.parquet');
columns.W1P = columns.W1;
checksums.W1P = checksums.W1;
for (const w of o.workloads) {
  const select = w === 'W5'
    ? `SELECT user_id, sum(amount) AS s, count(*) AS c, avg(amount) AS m FROM t
       WHERE epoch_us("at") >= ${o.meta.windowStartMicros} GROUP BY user_id`
    : `SELECT ${columns[w]} AS v FROM ${w === 'W1P' ? `read_parquet('${parquet}')` : 't'}`;
  const timing = await time(() => con.run(`CREATE OR REPLACE TEMP TABLE r AS ${select}`), o.runs);
  const row = (await con.runAndReadAll(checksums[w])).getRows()[0].map(Number);
  const checksum = w === 'W5'
    ? { sum: row[0], nulls: row[1], groups: row[2], count: row[3], mean_sum: row[4] }
    : w === 'W3' ? { sum: row[0], nulls: row[1], distinct: row[2] } : { sum: row[0], nulls: row[1] };
  report('duckdb', threads, w, o.meta.rows, timing, checksum);
}
