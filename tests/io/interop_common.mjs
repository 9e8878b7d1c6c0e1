// Shared by the DuckDB interop tests: loading @duckdb/node-api from the
// project's tools folder, an exact JSON parser (integers as BigInt), and the
// value comparison per column kind.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export async function loadDuckDB() {
  const tools = process.env.RECSYS_TOOLS_DIR;
  if (!tools) throw new Error('RECSYS_TOOLS_DIR is not set');
  const entry = path.join(tools, 'node_modules/@duckdb/node-api/lib/index.js');
  return import(pathToFileURL(entry).href);
}

// JSON.parse loses integers beyond 2^53; this parser keeps integer literals as BigInt.
export function parseExact(text) {
  let i = 0;
  const ws = () => { while (i < text.length && ' \t\r\n'.includes(text[i])) i++; };
  const value = () => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++; const o = {}; ws();
      if (text[i] === '}') { i++; return o; }
      for (;;) {
        ws(); const k = string(); ws();
        if (text[i++] !== ':') throw new Error(`bad JSON at ${i}`);
        o[k] = value(); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i++] !== '}') throw new Error(`bad JSON at ${i}`);
        return o;
      }
    }
    if (c === '[') {
      i++; const a = []; ws();
      if (text[i] === ']') { i++; return a; }
      for (;;) {
        a.push(value()); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i++] !== ']') throw new Error(`bad JSON at ${i}`);
        return a;
      }
    }
    if (c === '"') return string();
    if (text.startsWith('true', i)) { i += 4; return true; }
    if (text.startsWith('false', i)) { i += 5; return false; }
    if (text.startsWith('null', i)) { i += 4; return null; }
    const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
    if (!m) throw new Error(`bad JSON at ${i}: ${text.slice(i, i + 20)}`);
    i += m[0].length;
    return m[1] || m[2] ? Number(m[0]) : BigInt(m[0]);
  };
  const string = () => {
    const start = i;
    if (text[i++] !== '"') throw new Error(`expected string at ${start}`);
    while (text[i] !== '"') { if (text[i] === '\\') i++; i++; if (i > text.length) throw new Error('unterminated string'); }
    i++;
    return JSON.parse(text.slice(start, i));
  };
  const v = value(); ws();
  if (i !== text.length) throw new Error(`trailing data at ${i}`);
  return v;
}

export function isoToMicros(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{6})Z$/.exec(s);
  if (!m) throw new Error(`not an ISO timestamp: ${s}`);
  const d = new Date(0);
  d.setUTCFullYear(+m[1], +m[2] - 1, +m[3]);
  d.setUTCHours(+m[4], +m[5], +m[6], 0);
  return BigInt(d.getTime()) * 1000n + BigInt(m[7]);
}

const show = (v) => JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : x));

// kind: bool | int | bigint | ts | f32 | f64 | str | li | lf
// `ours` is a value from our JSON (parseExact), `duck` from DuckDB's getRowObjectsJS,
// with BIGINT columns as bigint and timestamps as epoch microseconds (bigint).
export function sameValue(kind, ours, duck) {
  if (ours === null || duck === null) return ours === null && duck === null;
  switch (kind) {
    case 'bool': return ours === duck;
    case 'int': return typeof ours === 'bigint' && ours === BigInt(duck);
    case 'bigint': return typeof ours === 'bigint' && ours === BigInt(duck);
    case 'ts': return isoToMicros(ours) === BigInt(duck);
    case 'f32': return Object.is(Math.fround(Number(ours)), duck);
    case 'f64': return Object.is(Number(ours), duck);
    case 'str': return ours === duck;
    case 'li': return Array.isArray(ours) && Array.isArray(duck) && ours.length === duck.length &&
        ours.every((x, j) => sameValue('int', x, duck[j]));
    case 'lf': return Array.isArray(ours) && Array.isArray(duck) && ours.length === duck.length &&
        ours.every((x, j) => sameValue('f32', x, duck[j]));
  }
  throw new Error(`unknown kind ${kind}`);
}

// Compares row lists; returns a list of mismatch descriptions (at most `limit`).
export function compareRows(label, kinds, oursRows, duckRows, limit = 10) {
  const problems = [];
  if (oursRows.length !== duckRows.length) {
    problems.push(`${label}: ${oursRows.length} rows vs DuckDB ${duckRows.length}`);
    return problems;
  }
  for (let r = 0; r < oursRows.length && problems.length < limit; r++) {
    for (const [col, kind] of Object.entries(kinds)) {
      const a = oursRows[r][col];
      const b = duckRows[r][col];
      if (a === undefined) { problems.push(`${label}: row ${r}: column ${col} missing in ours`); continue; }
      if (!sameValue(kind, a, b)) {
        problems.push(`${label}: row ${r} column ${col}: ours ${show(a)} vs DuckDB ${show(b)}`);
      }
    }
  }
  return problems;
}
