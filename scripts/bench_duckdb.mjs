// Runs scripts/bench_compare.sql (the comparison as DuckDB SQL) for
// scripts/bench and prints its list counts as one JSON line.
//
//   node scripts/bench_duckdb.mjs --registry GLOB --roster GLOB --aid GLOB
//        --province GLOB --out DIR [--as-of YYYY-MM-DD] [--threads N] [--sql FILE]
//
// DuckDB comes from the npm package @duckdb/node-api, installed outside the
// repository: BIDUI_DUCKDB_DIR (default /tmp/bidui-duckdb) holds its
// node_modules (scripts/bench installs it there with npm).
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const opt = { 'as-of': '2021-08-31', threads: '2', sql: join(here, 'bench_compare.sql') };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) {
        console.error(`bench_duckdb: unexpected argument '${argv[i]}'`);
        process.exit(2);
    }
    opt[m[1]] = m[2] !== undefined ? m[2] : argv[++i];
}
for (const k of ['registry', 'roster', 'aid', 'province', 'out']) {
    if (!opt[k]) {
        console.error(`bench_duckdb: --${k} is required`);
        process.exit(2);
    }
}
if (!/^\d{4}-\d{2}-\d{2}$/.test(opt['as-of']) || !/^[1-9]\d*$/.test(opt.threads)) {
    console.error('bench_duckdb: --as-of wants YYYY-MM-DD, --threads a positive number');
    process.exit(2);
}

const moddir = resolve(process.env.BIDUI_DUCKDB_DIR || '/tmp/bidui-duckdb');
const require = createRequire(join(moddir, 'package.json'));
let duckdb;
try {
    duckdb = require('@duckdb/node-api');
} catch (e) {
    console.error(`bench_duckdb: @duckdb/node-api not found in ${moddir}/node_modules ` +
                  `(npm install --prefix ${moddir} @duckdb/node-api)`);
    process.exit(1);
}

const out = resolve(opt.out);
mkdirSync(out, { recursive: true });
const tmp = join(out, '.duckdb-tmp');
const quote = (s) => String(s).replace(/'/g, "''");
const fields = {
    THREADS: opt.threads,
    TMP: quote(tmp),
    OUT: quote(out),
    ASOF: opt['as-of'].replace(/-/g, ''),
    REGISTRY: quote(opt.registry),
    ROSTERS: quote(opt.roster),
    AID: quote(opt.aid),
    PROVINCE: quote(opt.province),
};
const sql = readFileSync(opt.sql, 'utf8').replace(/\{\{([A-Z]+)\}\}/g, (m, k) => {
    if (!(k in fields))
        throw new Error(`bench_duckdb: unknown field ${m} in ${opt.sql}`);
    return fields[k];
});

const instance = await duckdb.DuckDBInstance.create(':memory:', { threads: opt.threads });
const conn = await instance.connect();
// every statement in turn; the last one is the counts
const stmts = await conn.extractStatements(sql);
let reader;
for (let i = 0; i < stmts.count; i++) {
    const st = await stmts.prepare(i);
    if (i < stmts.count - 1)
        await st.run();
    else
        reader = await st.runAndReadAll();
}
const row = reader.getRowObjectsJson()[0];
const counts = {};
for (const [k, v] of Object.entries(row))
    counts[k] = Number(v);
process.stdout.write(JSON.stringify({ version: duckdb.version ? duckdb.version() : undefined,
                                      lists: counts }) + '\n');
conn.closeSync();
