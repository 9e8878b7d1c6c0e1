// Interop (a): DuckDB reads the files our writer wrote — every column type,
// codec and null pattern, several row groups — and every value must equal the
// one we wrote. Also checks DuckDB's view of the types, row groups, statistics
// and key-value metadata. Usage: node duckdb_reads_ours.mjs WRITER_BINARY WORK_DIR
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { compareRows, loadDuckDB, parseExact } from './interop_common.mjs';

const [writer, dir] = process.argv.slice(2);
fs.rmSync(dir, { recursive: true, force: true });
execFileSync(writer, [dir], { stdio: 'inherit' });

const { DuckDBInstance } = await loadDuckDB();
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();

const kinds = { b: 'bool', i8: 'int', i16: 'int', i32: 'int', i64: 'bigint', ts: 'ts', f32: 'f32',
                f64: 'f64', s: 'str', li: 'li', lf: 'lf' };
const duckTypes = { b: 'BOOLEAN', i8: 'TINYINT', i16: 'SMALLINT', i32: 'INTEGER', i64: 'BIGINT',
                    ts: 'TIMESTAMP WITH TIME ZONE', f32: 'FLOAT', f64: 'DOUBLE', s: 'VARCHAR',
                    li: 'INTEGER[]', lf: 'FLOAT[]' };
const sqlString = (s) => `'${s.replaceAll("'", "''")}'`;

let problems = [];
let files = 0;
for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.parquet')).sort()) {
  const file = path.join(dir, name);
  const expected = fs.readFileSync(file.replace(/\.parquet$/, '.jsonl'), 'utf8')
    .split('\n').filter((l) => l.length > 0).map(parseExact);
  const desc = (await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${sqlString(file)})`))
    .getRowObjectsJS();
  for (const d of desc) {
    if (duckTypes[d.column_name] !== d.column_type) {
      problems.push(`${name}: column ${d.column_name} is ${d.column_type} in DuckDB, expected ${duckTypes[d.column_name]}`);
    }
  }
  const rows = (await con.runAndReadAll(
    `SELECT * EXCLUDE (ts, file_row_number), epoch_us(ts) AS ts
     FROM read_parquet(${sqlString(file)}, file_row_number = true) ORDER BY file_row_number`)).getRowObjectsJS();
  problems = problems.concat(compareRows(name, kinds, expected, rows));
  if (name !== 'ours_empty.parquet') {
    const kv = (await con.runAndReadAll(
      `SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata(${sqlString(file)})`)).getRowObjectsJS();
    if (!kv.some((e) => e.k === 'recsys.test' && e.v === name.replace('.parquet', ''))) {
      problems.push(`${name}: key-value metadata not visible to DuckDB: ${JSON.stringify(kv)}`);
    }
    const groups = (await con.runAndReadAll(
      `SELECT count(DISTINCT row_group_id) AS n FROM parquet_metadata(${sqlString(file)})`)).getRowObjectsJS();
    if (Number(groups[0].n) !== 3) problems.push(`${name}: DuckDB sees ${groups[0].n} row groups, expected 3`);
    // Statistics: DuckDB's min/max of i64 must equal the true min/max of what we wrote.
    const stats = (await con.runAndReadAll(
      `SELECT row_group_id, stats_min_value AS mn, stats_max_value AS mx, stats_null_count AS nc
       FROM parquet_metadata(${sqlString(file)}) WHERE path_in_schema = 'i64' ORDER BY row_group_id`)).getRowObjectsJS();
    for (const st of stats) {
      const part = expected.slice(Number(st.row_group_id) * 400, Number(st.row_group_id) * 400 + 400);
      const present = part.map((r) => r.i64).filter((v) => v !== null);
      const nulls = part.length - present.length;
      if (BigInt(st.nc ?? -1) !== BigInt(nulls)) problems.push(`${name}: rg ${st.row_group_id} null_count ${st.nc} != ${nulls}`);
      if (present.length > 0) {
        const mn = present.reduce((a, b) => (b < a ? b : a));
        const mx = present.reduce((a, b) => (b > a ? b : a));
        if (String(mn) !== st.mn || String(mx) !== st.mx) {
          problems.push(`${name}: rg ${st.row_group_id} i64 stats ${st.mn}..${st.mx}, true ${mn}..${mx}`);
        }
      }
    }
  }
  files++;
}
if (files < 13) problems.push(`only ${files} files written`);
if (problems.length) {
  console.error(problems.slice(0, 40).join('\n'));
  console.error(`FAILED: ${problems.length} problems`);
  process.exit(1);
}
console.log(`DuckDB ${(await con.runAndReadAll('SELECT version() AS v')).getRowObjectsJS()[0].v} read ${files} files written by recsys; all values equal`);
