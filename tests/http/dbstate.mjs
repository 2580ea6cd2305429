// The state of a mock3as database as the bad-input suite compares it: the row count of every
// table and a SHA-256 of the whole content (`.dump`), read with the sqlite3 CLI (Debian package
// `sqlite3`, role `test` in deps/debian.txt). One read-only sqlite3 process per database file
// stays open and answers every dbState() of it (a process per call costs 20-30 ms, a query on
// the open one 1-2 ms). The server runs in WAL mode; each state is one read transaction of this
// second process, so it includes everything the server has committed before the call.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';

const SQLITE3 = process.env.SQLITE3 || 'sqlite3';
const readers = new Map(); // file -> reader

// A sqlite3 shell on `file` that runs one script at a time and hands back its output.
function openReader(file) {
  const proc = spawn(SQLITE3, ['-readonly', '-batch', file], { stdio: ['pipe', 'pipe', 'pipe'] });
  const reader = { proc, out: '', err: '', queue: Promise.resolve(), seq: 0, pending: 0, waiting: null, failed: null };
  proc.stdout.setEncoding('utf8');
  proc.stderr.setEncoding('utf8');
  proc.stdout.on('data', (d) => { reader.out += d; reader.waiting?.(); });
  proc.stderr.on('data', (d) => { reader.err += d; });
  proc.on('error', (e) => {
    reader.failed = new Error(e.code === 'ENOENT' ? `${SQLITE3} is not installed (Debian package sqlite3)` : `sqlite3 on ${file}: ${e.message}`);
    reader.waiting?.();
  });
  proc.on('exit', (code) => {
    reader.failed ||= new Error(`sqlite3 on ${file} exited (${code}): ${reader.err.trim()}`);
    reader.waiting?.();
  });
  hold(reader, false);
  return reader;
}

// An idle reader does not keep node running (a test file that forgets closeDbState() still
// ends); one with a query in flight does.
function hold(reader, busy) {
  for (const h of [reader.proc, reader.proc.stdin, reader.proc.stdout, reader.proc.stderr]) {
    if (busy) h.ref?.();
    else h.unref?.();
  }
}

// Run `script` on the reader of `file`; resolves with its standard output.
function run(file, script) {
  if (!readers.has(file)) readers.set(file, openReader(file));
  const r = readers.get(file);
  const mark = `--mark-${++r.seq}--`;
  if (r.pending++ === 0) hold(r, true);
  const result = r.queue.then(() => new Promise((resolve, reject) => {
    r.waiting = () => {
      if (r.failed) { r.waiting = null; reject(r.failed); return; }
      const at = r.out.indexOf(`${mark}\n`);
      if (at < 0) return;
      const out = r.out.slice(0, at);
      const err = r.err.trim();
      r.out = r.out.slice(at + mark.length + 1);
      r.err = '';
      r.waiting = null;
      if (err) reject(new Error(`sqlite3 on ${file}: ${err}`));
      else resolve(out);
    };
    r.proc.stdin.write(`${script}\nSELECT '${mark}';\n`);
    r.waiting();
  }));
  r.queue = result.catch(() => {}).finally(() => { if (--r.pending === 0) hold(r, false); });
  return result;
}

const tablesOf = new Map(); // file -> [table names]; the schema is fixed once the server runs
const DUMP = '--8<-- dump --8<--';

// { counts: {table: rows}, sha256, dump } of database `file`, in one read transaction.
export async function dbState(file) {
  if (!tablesOf.has(file)) {
    const out = await run(file, ".mode list\nSELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name;");
    tablesOf.set(file, out.split('\n').filter(Boolean));
  }
  const counts = tablesOf.get(file)
    .map((n) => `SELECT '${n.replace(/'/g, "''")}', count(*) FROM "${n.replace(/"/g, '""')}"`)
    .join(' UNION ALL ');
  const out = await run(file, `.mode list\n.separator "\\t"\nBEGIN;\n${counts};\nSELECT '${DUMP}';\n.dump\nCOMMIT;`);
  const at = out.indexOf(`${DUMP}\n`);
  if (at < 0) throw new Error(`sqlite3 on ${file}: unexpected output ${out.slice(0, 200)}`);
  const state = { counts: {}, dump: out.slice(at + DUMP.length + 1) };
  for (const row of out.slice(0, at).split('\n').filter(Boolean)) {
    const [name, n] = row.split('\t');
    state.counts[name] = Number(n);
  }
  state.sha256 = crypto.createHash('sha256').update(state.dump).digest('hex');
  return state;
}

// End the sqlite3 process of `file` (of every file without an argument).
export function closeDbState(file) {
  for (const [f, r] of readers) {
    if (file !== undefined && f !== file) continue;
    r.proc.stdin.end();
    readers.delete(f);
    tablesOf.delete(f);
  }
}

// null when `a` and `b` are the same state, else a short description of the difference: the
// tables whose counts changed and the first lines the dumps do not share.
export function dbDiff(a, b) {
  if (a.sha256 === b.sha256) return null;
  const counts = Object.keys({ ...a.counts, ...b.counts })
    .filter((t) => a.counts[t] !== b.counts[t])
    .map((t) => `${t}: ${a.counts[t]} -> ${b.counts[t]} rows`);
  const before = new Set(a.dump.split('\n'));
  const after = new Set(b.dump.split('\n'));
  const clip = (s) => (s.length > 200 ? `${s.slice(0, 200)}…` : s);
  const gone = [...before].filter((l) => !after.has(l)).slice(0, 3).map((l) => `- ${clip(l)}`);
  const added = [...after].filter((l) => !before.has(l)).slice(0, 3).map((l) => `+ ${clip(l)}`);
  return ['the database changed:', ...(counts.length ? counts : ['same row counts, other content']), ...gone, ...added].join('\n      ');
}
