// Independent check of a generated data set with DuckDB (label `interop`):
// generates a small set with the recsys program, then recomputes invariants in
// SQL — row counts, sums to 1, tags within the place's categories, ratings,
// ordering, edge co-attendance from the interactions, label/edge consistency,
// oracle ranking order and the key-value metadata; and that the part files of a
// sharded run (generate --shard i/3) read as one table equal the single files.
//   node duckdb_checks_dataset.mjs RECSYS_BINARY WORK_DIR   (RECSYS_TOOLS_DIR set)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [binary, work] = process.argv.slice(2);
if (!binary || !work) {
  console.error('usage: duckdb_checks_dataset.mjs RECSYS_BINARY WORK_DIR');
  process.exit(2);
}
const tools = process.env.RECSYS_TOOLS_DIR;
if (!tools) throw new Error('RECSYS_TOOLS_DIR is not set');
const { DuckDBInstance } = await import(
  pathToFileURL(path.join(tools, 'node_modules/@duckdb/node-api/lib/index.js')).href);

fs.mkdirSync(work, { recursive: true });
const dir = path.join(work, 'data');
const nUsers = 800, nPlaces = 600, nCities = 6;
const summary = JSON.parse(execFileSync(binary, [
  'generate', '--output-dir', dir, '--force', '--n-users', String(nUsers), '--n-places',
  String(nPlaces), '--n-cities', String(nCities), '--log-format', 'json'], { stdio: ['ignore', 'pipe', 'ignore'] })
  .toString().trim().split('\n').pop());

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const f = (name) => `'${path.join(dir, name)}'`;
async function one(sql) {
  const rows = (await con.runAndReadAll(sql)).getRowObjectsJson();
  return rows[0];
}
let failures = 0;
function check(name, ok, detail) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${JSON.stringify(detail)}`);
  if (!ok) failures++;
}

for (const stage of summary.stages) {
  const r = await one(`select count(*)::BIGINT as n from ${f(stage.file)}`);
  check(`row count of ${stage.file}`, Number(r.n) === stage.rows, { duckdb: r.n, recsys: stage.rows });
}

let r = await one(`select max(abs(list_sum(tag_vector) - 1)) as dev, min(len(tag_vector)) as lo,
                          max(len(tag_vector)) as hi from ${f('places.parquet')}`);
check('places: tag_vector sums to 1, fixed length', r.dev < 1e-5 && r.lo === r.hi, r);
r = await one(`select max(abs(list_sum(category_pref) - 1)) as c, max(abs(list_sum(tag_pref) - 1)) as t
               from ${f('users.parquet')}`);
check('users: preference vectors sum to 1', r.c < 1e-5 && r.t < 1e-5, r);
r = await one(`select count(*)::BIGINT as bad from (select place_id, unnest(tag_ids) as tag, category_ids
                 from ${f('places.parquet')}) p join ${f('tags.parquet')} t on t.tag_id = p.tag
               where not list_contains(p.category_ids, t.category_id)`);
check('places: every tag in one of the place\'s categories', Number(r.bad) === 0, r);
r = await one(`select min(implicit_rating) as lo, max(implicit_rating) as hi,
                 count(distinct user_id)::BIGINT as users, max(place_id) as max_place
               from ${f('interactions.parquet')}`);
check('interactions: ratings in [1, 5], ids in range',
      r.lo >= 1 && r.hi <= 5 && Number(r.users) <= nUsers && r.max_place < nPlaces, r);
r = await one(`select count(*)::BIGINT as bad from (select user_id, timestamp,
                 lag(user_id) over (order by file_row_number) as pu,
                 lag(timestamp) over (order by file_row_number) as pt
                 from read_parquet(${f('interactions.parquet')}, file_row_number = true))
               where pu > user_id or (pu = user_id and pt > timestamp)`);
check('interactions: sorted by (user_id, timestamp)', Number(r.bad) === 0, r);
r = await one(`with att as (select distinct user_id, place_id from ${f('interactions.parquet')} where attended),
                    co as (select a.user_id as ua, b.user_id as ub, count(*) as n from att a join att b
                           on a.place_id = b.place_id and a.user_id < b.user_id group by all)
               select count(*)::BIGINT as bad, (select count(*) from ${f('user_user_edges.parquet')} where user_a >= user_b)::BIGINT as unordered
               from ${f('user_user_edges.parquet')} e left join co on co.ua = e.user_a and co.ub = e.user_b
               where e.co_attendance != coalesce(co.n, 0)`);
check('edges: user_a < user_b, co_attendance matches the interactions',
      Number(r.bad) === 0 && Number(r.unordered) === 0, r);
r = await one(`select count(*) filter (where l.label = 1 and e.user_a is null)::BIGINT as pos_not_edge,
                      count(*) filter (where l.label = 0 and e.user_a is not null)::BIGINT as neg_on_edge,
                      count(*) filter (where l.label = 1)::BIGINT as positives
               from ${f('friend_labels.parquet')} l left join ${f('user_user_edges.parquet')} e
               on e.user_a = l.user_a and e.user_b = l.user_b`);
check('labels: positives are edges, negatives are not',
      Number(r.pos_not_edge) === 0 && Number(r.neg_on_edge) === 0 && Number(r.positives) > 0, r);
r = await one(`select count(*)::BIGINT as bad from (select true_score, rank,
                 lag(true_score) over (partition by user_id order by rank) as prev
                 from ${f('ground_truth/oracle_top_places.parquet')}) where prev < true_score`);
check('oracle: scores non-increasing by rank', Number(r.bad) === 0, r);
r = await one(`select count(*)::BIGINT as n,
                 max(case when decode(key) = 'recsys.schema_version' then decode(value) end) as version
               from parquet_kv_metadata(${f('users.parquet')})
               where decode(key) in ('recsys.schema_version', 'recsys.synthetic_config', 'recsys.table')`);
check('metadata: schema version, table and config present', Number(r.n) === 3 && r.version === '1', r);

// Sharded generation: DuckDB reads each folder of part files (Hive-style) as one table, and the
// union of 3 shards holds exactly the single run's rows.
const sharded = path.join(work, 'sharded');
fs.rmSync(sharded, { recursive: true, force: true });
for (let i = 0; i < 3; i++) {
  execFileSync(binary, ['generate', '--output-dir', sharded, '--shard', `${i}/3`, '--n-users',
    String(nUsers), '--n-places', String(nPlaces), '--n-cities', String(nCities), '-q'],
    { stdio: 'ignore' });
}
for (const table of ['interactions', 'user_user_edges', 'friend_labels',
                     'ground_truth/oracle_top_places']) {
  const parts = `'${path.join(sharded, table)}/*.parquet'`;
  r = await one(`select (select count(*) from ${parts})::BIGINT as rows,
                        (select count(*) from ${f(table + '.parquet')})::BIGINT as single_rows,
                        (select count(*) from (select * from ${f(table + '.parquet')}
                                               except all select * from ${parts}))::BIGINT as missing,
                        (select count(*) from (select * from ${parts}
                                               except all select * from ${f(table + '.parquet')}))::BIGINT as extra`);
  check(`sharded ${table}: the parts read as one table equal the single file`,
        Number(r.rows) === Number(r.single_rows) && Number(r.missing) === 0 &&
        Number(r.extra) === 0 && Number(r.rows) > 0, r);
}

if (failures) {
  console.error(`${failures} DuckDB check(s) failed`);
  process.exit(1);
}
console.log('all DuckDB checks passed');
