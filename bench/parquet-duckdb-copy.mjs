// DuckDB's side of bench/parquet-vs-duckdb.sh: builds the same columns as
// bench/parquet_bench.cpp inside DuckDB (same formulas), then times only
// COPY ... TO (FORMAT parquet) per column and codec; prints JSON lines.
//   node bench/parquet-duckdb-copy.mjs ROWS LIST_ROWS REPEATS DIR
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [rows, listRows, repeats, dir] = process.argv.slice(2);
const tools = process.env.RECSYS_TOOLS_DIR ?? path.join(path.dirname(new URL(import.meta.url).pathname), '../tools');
const { DuckDBInstance } = await import(pathToFileURL(path.join(tools, 'node_modules/@duckdb/node-api/lib/index.js')).href);
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
fs.mkdirSync(dir, { recursive: true });
const threads = Number((await con.runAndReadAll(`SELECT current_setting('threads') AS t`)).getRowObjectsJS()[0].t);

await con.run(`CREATE TABLE int64 AS SELECT ((i * 2654435761) % 1000000007)::BIGINT AS v FROM range(${rows}) r(i)`);
await con.run(`CREATE TABLE float AS SELECT (((i * 48271) % 2147483647)::DOUBLE / 2147483647)::FLOAT AS v FROM range(${rows}) r(i)`);
await con.run(`CREATE TABLE list_float AS SELECT list_transform(range(8 + i % 9), j -> (((i * 31 + j) % 1000)::DOUBLE / 1000)::FLOAT) AS v
               FROM range(${listRows}) r(i)`);
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
for (const table of ['int64', 'float', 'list_float']) {
  const values = table === 'list_float'
    ? Number((await con.runAndReadAll(`SELECT sum(len(v)) AS n FROM list_float`)).getRowObjectsJS()[0].n)
    : Number(rows);
  const mb = (values * (table === 'int64' ? 8 : 4)) / 1e6;
  for (const codec of ['snappy', 'zstd', 'uncompressed']) {
    const file = path.join(dir, `duckdb_${table}_${codec}.parquet`);
    const times = [];
    for (let r = 0; r < Number(repeats); r++) {
      const t0 = process.hrtime.bigint();
      await con.run(`COPY ${table} TO '${file}' (FORMAT parquet, COMPRESSION ${codec})`);
      times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    }
    const s = median(times);
    console.log(JSON.stringify({ column: table, codec, raw_mb: mb, write_s: s, write_mbs: mb / s,
                                 file_mb: fs.statSync(file).size / 1e6, threads }));
    fs.rmSync(file);
  }
}
