// DuckDB, as an independent reader, reads the Parquet tables `recsys export` writes and checks
// them against the .npy files of the same folder (parsed here, not by the project's code):
// same row count, ids, list length = dim and every float equal.
// Usage: node duckdb_reads_export.mjs RECSYS_BINARY WORK_DIR
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadDuckDB } from '../io/interop_common.mjs';

const [binary, work] = process.argv.slice(2);
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });
const run = (...args) => execFileSync(binary, [...args, '-q'], { stdio: ['ignore', 'ignore', 'inherit'] });
run('generate', '--output-dir', path.join(work, 'data'), '--n-users', '300', '--n-places', '200',
  '--n-cities', '3');
run('build-graph', '--data', path.join(work, 'data'), '--output', path.join(work, 'graph'));
run('train', '--graph', path.join(work, 'graph'), '--model', 'mf-bpr', '--epochs', '2', '--dim', '8',
  '--output', path.join(work, 'model'));
const emb = path.join(work, 'emb');
run('export', '--model', path.join(work, 'model'), '--output', emb);

// A NumPy format 1.0 file: magic, version, little-endian u16 header length, header, data.
function readNpy(file) {
  const b = fs.readFileSync(file);
  if (b.toString('latin1', 0, 6) !== '\x93NUMPY') throw new Error(`${file}: not a .npy file`);
  const headerLength = b.readUInt16LE(8);
  const header = b.toString('latin1', 10, 10 + headerLength);
  const descr = /'descr': '([^']+)'/.exec(header)[1];
  const shape = /'shape': \(([^)]*)\)/.exec(header)[1].split(',').filter((s) => s.trim()).map(Number);
  const data = b.subarray(10 + headerLength);
  const copy = data.buffer.slice(data.byteOffset, data.byteOffset + data.length);
  const values = descr === '<f4' ? new Float32Array(copy)
    : descr === '<i4' ? new Int32Array(copy) : descr === '<i8' ? new BigInt64Array(copy) : null;
  if (!values) throw new Error(`${file}: dtype ${descr}`);
  return { descr, shape, values };
}

const { DuckDBInstance } = await loadDuckDB();
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
let failures = 0;
const check = (what, ok, detail = '') => {
  if (ok) console.log(`ok   ${what}`);
  else { console.error(`FAIL ${what} ${detail}`); failures++; }
};

const manifest = JSON.parse(fs.readFileSync(path.join(emb, 'manifest.json'), 'utf8'));
for (const node of ['user', 'place']) {
  const table = path.join(emb, `${node}s.parquet`);
  const vectors = readNpy(path.join(emb, `${node}_embeddings.npy`));
  const ids = readNpy(path.join(emb, `${node}_ids.npy`));
  const [rows, dim] = vectors.shape;
  check(`${node}: npy shape matches the manifest`,
    rows === manifest.counts[`${node}s`] && dim === manifest.dim, JSON.stringify(vectors.shape));
  const types = (await con.runAndReadAll(`describe select * from '${table}'`)).getRowObjectsJson();
  check(`${node}: DuckDB column types`,
    JSON.stringify(types.map((t) => [t.column_name, t.column_type])) ===
      JSON.stringify([[`${node}_id`, 'INTEGER'], ['embedding', 'FLOAT[]']]), JSON.stringify(types));
  const result = await con.runAndReadAll(
    `select ${node}_id id, embedding from '${table}'`);
  const got = result.getRowsJson();
  check(`${node}: ${rows} rows`, got.length === rows, `got ${got.length}`);
  let idMismatch = 0, lengthMismatch = 0, valueMismatch = 0;
  got.forEach(([id, embedding], r) => {
    if (Number(id) !== Number(ids.values[r])) idMismatch++;
    if (embedding.length !== dim) { lengthMismatch++; return; }
    for (let c = 0; c < dim; c++) {
      // DuckDB's FLOAT comes back as a JSON number; a float32 read back as double is exact.
      if (Math.fround(Number(embedding[c])) !== vectors.values[r * dim + c]) valueMismatch++;
    }
  });
  check(`${node}: ids in npy row order`, idMismatch === 0, `${idMismatch} rows differ`);
  check(`${node}: list length = dim ${dim}`, lengthMismatch === 0, `${lengthMismatch} rows`);
  check(`${node}: every float equals the npy value`, valueMismatch === 0, `${valueMismatch} values`);
}
if (failures) { console.error(`${failures} check(s) failed`); process.exit(1); }
console.log('all checks passed');
