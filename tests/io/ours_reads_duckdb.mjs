// Interop (b): DuckDB writes Parquet files with COPY ... TO for every codec, in
// data page v1 and v2 (PARQUET_VERSION v2: delta and byte-stream-split
// encodings), with dictionaries and many row groups; `recsys inspect --json`
// must print exactly DuckDB's values. A column of a type we do not support
// must be listed as such and never silently mis-read.
// Usage: node ours_reads_duckdb.mjs RECSYS_BINARY WORK_DIR
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { compareRows, loadDuckDB, parseExact } from './interop_common.mjs';

const [recsys, dir] = process.argv.slice(2);
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(dir, { recursive: true });

const { DuckDBInstance } = await loadDuckDB();
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();

await con.run(`CREATE TABLE t AS SELECT
    i::INTEGER AS id,
    CASE WHEN i % 7 = 0 THEN NULL ELSE i % 3 = 0 END AS b,
    CASE WHEN i % 11 = 0 THEN NULL ELSE ((i * 31) % 256 - 128)::TINYINT END AS i8,
    ((i * 7919) % 65536 - 32768)::SMALLINT AS i16,
    ((hash(i * 3) % 4294967296)::BIGINT - 2147483648)::INTEGER AS i32,
    CASE WHEN i % 13 = 0 THEN NULL
         WHEN i = 1 THEN -9223372036854775808
         WHEN i = 2 THEN 9223372036854775807
         ELSE (hash(i) % 9223372036854775807)::BIGINT * (CASE WHEN i % 2 = 0 THEN 1 ELSE -1 END) END AS i64,
    CASE WHEN i % 19 = 0 THEN NULL
         ELSE TIMESTAMPTZ '1950-01-01 00:00:00+00' + to_microseconds((hash(i) % 3000000000000000)::BIGINT) END AS ts,
    TIMESTAMP '1999-12-31 23:59:59.123456' + to_microseconds(i * 1000003) AS ts_local,
    CASE WHEN i % 17 = 0 THEN NULL ELSE (((hash(i) % 2000001)::DOUBLE - 1000000) / 777)::FLOAT END AS f32,
    ((hash(i + 1) % 2000000001)::DOUBLE - 1e9) / 7.0 AS f64,
    CASE WHEN i % 5 = 0 THEN NULL WHEN i % 97 = 0 THEN repeat('long-é', 700)
         ELSE 'place ' || (i % 500) || ' ☕ "q"' END AS s,
    'unique-' || i AS su,
    CASE WHEN i % 9 = 0 THEN NULL WHEN i % 4 = 0 THEN [] ELSE [i, -i, i * 2]::INTEGER[] END AS li,
    CASE WHEN i % 10 = 0 THEN NULL WHEN i % 6 = 0 THEN [] ELSE [i / 3.0, -1.5]::FLOAT[] END AS lf,
    [(i % 4)::FLOAT]::FLOAT[] AS lf_req
  FROM range(10000) r(i)`);

const kinds = { id: 'int', b: 'bool', i8: 'int', i16: 'int', i32: 'int', i64: 'bigint', ts: 'ts',
                ts_local: 'ts', f32: 'f32', f64: 'f64', s: 'str', su: 'str', li: 'li', lf: 'lf', lf_req: 'lf' };
const truth = (await con.runAndReadAll(
  `SELECT * EXCLUDE (ts, ts_local), epoch_us(ts) AS ts, epoch_us(ts_local) AS ts_local FROM t ORDER BY id`)).getRowObjectsJS();

function inspectJson(file) {
  const out = execFileSync(recsys, ['inspect', file, '--json'], { maxBuffer: 1 << 30, encoding: 'utf8' });
  return out.split('\n').filter((l) => l.length > 0).map(parseExact);
}

let problems = [];
let files = 0;
for (const version of ['v1', 'v2']) {
  for (const codec of ['snappy', 'zstd', 'gzip', 'uncompressed']) {
    const file = path.join(dir, `duckdb_${version}_${codec}.parquet`);
    await con.run(`COPY (SELECT * FROM t ORDER BY id) TO '${file}'
                   (FORMAT parquet, COMPRESSION ${codec}, PARQUET_VERSION ${version}, ROW_GROUP_SIZE 2048)`);
    const groups = (await con.runAndReadAll(
      `SELECT count(DISTINCT row_group_id) AS n FROM parquet_metadata('${file}')`)).getRowObjectsJS()[0].n;
    if (Number(groups) < 4) problems.push(`${file}: expected several row groups, DuckDB wrote ${groups}`);
    const ours = inspectJson(file);
    problems = problems.concat(compareRows(path.basename(file), kinds, ours, truth));
    // Exactly the columns of the file, in order.
    if (ours.length && Object.keys(ours[0]).join(',') !== Object.keys(kinds).join(',')) {
      problems.push(`${file}: columns ${Object.keys(ours[0])}`);
    }
    files++;
  }
}

// A column type without a ColumnType (DATE): listed as unsupported, never mis-read.
const dated = path.join(dir, 'duckdb_date.parquet');
await con.run(`COPY (SELECT id, DATE '2024-01-01' + id AS d FROM t) TO '${dated}' (FORMAT parquet)`);
const res = spawnSync(recsys, ['inspect', dated, '--head', '2'], { encoding: 'utf8' });
if (res.status !== 0 || !/d\s+UNSUPPORTED.*DATE/.test(res.stdout)) {
  problems.push(`inspect of a DATE column: status ${res.status}, output:\n${res.stdout}${res.stderr}`);
}
const jsonRows = spawnSync(recsys, ['inspect', dated, '--json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
const firstRow = jsonRows.stdout.split('\n')[0];
if (jsonRows.status !== 0 || firstRow !== '{"id":0}') problems.push(`inspect --json with a DATE column: ${firstRow}`);

// Not a Parquet file: one clear error line naming the file, non-zero exit.
const bogus = path.join(dir, 'bogus.parquet');
fs.writeFileSync(bogus, 'PAR1 certainly not parquet');
const bad = spawnSync(recsys, ['inspect', bogus], { encoding: 'utf8' });
if (bad.status === 0 || !bad.stderr.includes(bogus) || bad.stdout !== '') {
  problems.push(`inspect of a bogus file: status ${bad.status}, stderr ${bad.stderr}`);
}

if (problems.length) {
  console.error(problems.slice(0, 40).join('\n'));
  console.error(`FAILED: ${problems.length} problems`);
  process.exit(1);
}
console.log(`recsys read ${files} files written by DuckDB (v1 and v2 pages, 4 codecs, ${truth.length} rows each); all values equal`);
