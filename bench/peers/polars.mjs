// Polars peer: reads bench.arrow into a DataFrame (rechunked), then times each workload as a select of
// one expression (W5: filter + group_by). Threads come from POLARS_MAX_THREADS, read when Polars loads.
//   POLARS_MAX_THREADS=T node bench/peers/polars.mjs --data DIR [--runs R] [--workloads W1,W2]
import pl from 'nodejs-polars';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, time, report } from './common.mjs';

const o = parseArgs(process.argv.slice(2));
const threads = Number(process.env.POLARS_MAX_THREADS ?? 0) || (await import('node:os')).availableParallelism();
const df = pl.readIPC(fs.readFileSync(path.join(o.data, 'bench.arrow'))).rechunk();
const col = pl.col, lit = pl.lit;

const discounted = pl.when(col('discount').isNotNull())
  .then(pl.when(col('subtotal').sub(col('discount')).gt(0)).then(col('subtotal').sub(col('discount'))).otherwise(lit(0.0)))
  .otherwise(col('subtotal'));
const user = col('email').str.extract('^([^@]*)', 1);
const w4 = col('subtotal').add(1.0).log().mul(col('amount').pow(0.5));
const expressions = {
  W1: pl.when(col('taxable').not().or(col('tax_rate').isNull())).then(discounted)
    .otherwise(discounted.mul(col('tax_rate').add(1.0))),
  W2: col('subtotal').gt(1000.0),
  W3: pl.when(col('email').str.endsWith('@gmail.com'))
    .then(user.str.replaceAll('\\+.*$', '').str.replaceAll('\\.', ''))
    .otherwise(user).str.toLowerCase(),
  W4: pl.when(w4.isNan()).then(w4).when(w4.lt(0)).then(lit(0.0)).when(w4.gt(100)).then(lit(100.0)).otherwise(w4),
};

for (const w of o.workloads) {
  let timing, checksum;
  if (w === 'W5') {
    const cutoff = BigInt(o.meta.windowStartMicros);
    timing = await time(() => df.filter(col('at').cast(pl.Int64).gtEq(lit(cutoff)))
      .groupBy('user_id').agg(col('amount').sum().alias('s'), col('amount').count().alias('c'), col('amount').mean().alias('m')), o.runs);
    const r = timing.result;
    checksum = { sum: r.getColumn('s').sum(), nulls: r.getColumn('s').nullCount(), groups: r.height,
      count: Number(r.getColumn('c').sum()), mean_sum: r.getColumn('m').sum() };
  } else {
    timing = await time(() => df.select(expressions[w].alias('v')), o.runs);
    const v = timing.result.getColumn('v');
    checksum = w === 'W2' ? { sum: v.cast(pl.Int64).sum(), nulls: v.nullCount() }
      : w === 'W3' ? { sum: Number(v.str.lengths().sum()), nulls: v.nullCount(), distinct: v.nUnique() }
      : { sum: v.sum(), nulls: v.nullCount() };
  }
  report('polars', threads, w, o.meta.rows, timing, checksum);
}
