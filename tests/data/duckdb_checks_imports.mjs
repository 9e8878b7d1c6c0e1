// DuckDB, as an independent reader, checks what `recsys import` wrote against
// DuckDB's own reading of the source text files (ml-1m, yelp-1k).
// Usage: node duckdb_checks_imports.mjs RECSYS_BINARY SHARED_DATA_DIR WORK_DIR
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [binary, data, work] = process.argv.slice(2);
const tools = process.env.RECSYS_TOOLS_DIR;
const { DuckDBInstance } = await import(
  pathToFileURL(path.join(tools, 'node_modules/@duckdb/node-api/lib/index.js')).href);
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const rows = async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJson();
let failures = 0;
const expectEqual = (what, got, want) => {
  const g = JSON.stringify(got), w = JSON.stringify(want);
  if (g !== w) { console.error(`FAIL ${what}: got ${g}, want ${w}`); failures++; }
  else console.log(`ok   ${what}: ${g}`);
};

// --- cf / ml-1m -------------------------------------------------------------
const ml = path.join(data, 'cf', 'ml-1m');
const cfOut = path.join(work, 'ml-1m');
execFileSync(binary, ['import', 'cf', '--train', path.join(ml, 'train.txt'), '--valid',
  path.join(ml, 'valid.txt'), '--test', path.join(ml, 'test.txt'), '--output-dir', cfOut, '-q']);
// The text files through DuckDB: one VARCHAR per line, split on spaces.
const lines = (f) => `(select string_split(trim(line), ' ') t from read_csv('${path.join(ml, f)}',
  columns={'line': 'VARCHAR'}, header=false, delim='\\t', quote='', escape=''))`;
for (const [file, split] of [['train.txt', 'train'], ['valid.txt', 'valid'], ['test.txt', 'test']]) {
  const text = await rows(`select sum(len(t) - 1)::BIGINT n, max(t[1]::INTEGER) max_user
    from ${lines(file)} where len(t) > 0 and t[1] <> ''`);
  const pq = await rows(`select count(*)::BIGINT n, max(user_id) max_user, count(timestamp)::BIGINT ts
    from '${cfOut}/interactions.parquet' where split = '${split}'`);
  expectEqual(`ml-1m ${split} rows`, pq[0].n, text[0].n);
  expectEqual(`ml-1m ${split} max user`, pq[0].max_user, text[0].max_user);
  expectEqual(`ml-1m ${split} timestamps are null`, pq[0].ts, '0');
}
const pairsText = await rows(`select count(*)::BIGINT n from (
  select t[1]::INTEGER u, unnest(t[2:])::INTEGER i from ${lines('test.txt')} where len(t) > 1
  except select user_id, place_id from '${cfOut}/interactions.parquet' where split = 'test')`);
expectEqual('ml-1m test pairs all present', pairsText[0].n, '0');
expectEqual('ml-1m users/places rows',
  await rows(`select (select count(*) from '${cfOut}/users.parquet')::BIGINT u,
                     (select count(*) from '${cfOut}/places.parquet')::BIGINT p`),
  [{ u: '6039', p: '3628' }]);

// --- lbsn / yelp-1k ---------------------------------------------------------
const yelp = path.join(data, 'lbsn', 'yelp-1k');
const lbOut = path.join(work, 'yelp');
execFileSync(binary, ['import', 'lbsn', '--input', yelp, '--output-dir', lbOut, '-q']);
const tsv = (f, cols) => `read_csv('${path.join(yelp, f)}', delim='\\t', header=false,
  columns={${cols.map((c) => `'${c}': 'DOUBLE'`).join(', ')}})`;
const splitSql = `(select u::INTEGER u, p::INTEGER p, 'train' s from ${tsv('train.txt', ['u', 'p', 'c'])}
  union all select u::INTEGER, p::INTEGER, 'valid' from ${tsv('tune.txt', ['u', 'p', 'c'])}
  union all select u::INTEGER, p::INTEGER, 'test' from ${tsv('test.txt', ['u', 'p', 'c'])})`;
const want = await rows(`select s, count(*)::BIGINT n from ${tsv('check_ins.txt', ['u', 'p', 't'])} c
  join ${splitSql} sp on c.u::INTEGER = sp.u and c.p::INTEGER = sp.p group by s order by s`);
const got = await rows(`select split s, count(*)::BIGINT n from '${lbOut}/interactions.parquet'
  group by split order by split`);
expectEqual('yelp check-ins per split', got, want);
const checkinRows = `select u::INTEGER u, p::INTEGER p, t::DOUBLE t from ${tsv('check_ins.txt', ['u', 'p', 't'])}`;
const parquetRows = `select user_id, place_id, epoch(timestamp)::DOUBLE from '${lbOut}/interactions.parquet'`;
expectEqual('yelp check-ins (user, place, time) as a multiset',
  await rows(`select (select count(*) from (${parquetRows} except all ${checkinRows}))::BIGINT extra,
                     (select count(*) from (${checkinRows} except all ${parquetRows}))::BIGINT missing`),
  [{ extra: '0', missing: '0' }]);
expectEqual('yelp friendships',
  await rows(`select count(*)::BIGINT n, count(*) filter (where user_a >= user_b)::BIGINT bad
    from '${lbOut}/user_user_edges.parquet'`),
  await rows(`select count(distinct (least(a, b), greatest(a, b)))::BIGINT n, 0::BIGINT bad
    from ${tsv('social_relations.txt', ['a', 'b'])}`));
expectEqual('yelp place coordinates',
  await rows(`select count(*)::BIGINT n from '${lbOut}/places.parquet' p
    join ${tsv('poi_coos.txt', ['id', 'lat', 'lon'])} c on p.place_id = c.id::INTEGER
    and p.lat = c.lat and p.lon = c.lon`), [{ n: '5255' }]);
expectEqual('yelp place categories',
  await rows(`select count(*)::BIGINT n from (select place_id, unnest(category_ids) c
    from '${lbOut}/places.parquet')`),
  await rows(`select count(distinct (p, c))::BIGINT n from ${tsv('poi_categories.txt', ['p', 'c'])}`));
expectEqual('yelp neighborhoods inside their place\'s city',
  await rows(`select count(*)::BIGINT n from '${lbOut}/places.parquet' p
    join '${lbOut}/neighborhoods.parquet' n using (neighborhood_id) where n.city_id <> p.city_id`),
  [{ n: '0' }]);
expectEqual('yelp metadata',
  await rows(`select value::VARCHAR v from parquet_kv_metadata('${lbOut}/users.parquet')
    where key::VARCHAR = 'recsys.importer'`), [{ v: 'lbsn 1' }]);

fs.rmSync(work, { recursive: true, force: true });
if (failures) { console.error(`${failures} check(s) failed`); process.exit(1); }
console.log('all DuckDB checks passed');
