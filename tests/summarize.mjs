// Count the individual test cases of one or more meson build directories and print the final
// line "N passed, N failed". TAP unit tests count their ok / not ok lines; the node:test suite
// counts its "# pass" / "# fail" summary. A test executable that failed without a countable
// failure (crash, timeout, sanitizer report) counts as one failure; a plain exit-code test
// counts as one case. A test that skipped itself (exit 77: tests/docker/image.sh where podman
// cannot run containers) counts neither way and is listed with the reason it printed.
import fs from 'node:fs';
import path from 'node:path';

let passed = 0;
let failed = 0;
const skipped = [];
for (const dir of process.argv.slice(2)) {
  const log = path.join(dir, 'meson-logs', 'testlog.json');
  if (!fs.existsSync(log)) {
    console.log(`${dir}: no test log (build or test run failed)`);
    failed += 1;
    continue;
  }
  for (const line of fs.readFileSync(log, 'utf8').split('\n').filter(Boolean)) {
    const t = JSON.parse(line);
    const out = t.stdout || '';
    if (t.result === 'SKIP') {
      const why = (out.match(/^SKIP: (.*)$/m) || [])[1] || 'no reason printed';
      console.log(`${path.basename(dir)}: ${t.name}: skipped: ${why}`);
      skipped.push(`${path.basename(dir)}: ${t.name}`);
      continue;
    }
    let p = 0;
    let f = 0;
    const pass = out.match(/^# pass (\d+)$/m);
    const fail = out.match(/^# fail (\d+)$/m);
    if (pass || fail) {
      p = Number(pass?.[1] || 0);
      f = Number(fail?.[1] || 0);
    } else {
      p = (out.match(/^ok /gm) || []).length;
      f = (out.match(/^not ok /gm) || []).length;
    }
    if (p + f === 0) {
      if (t.result === 'OK') p = 1; // a plain exit-code test (clang-format) is one case
    }
    if (t.result !== 'OK' && f === 0) f = 1;
    console.log(`${path.basename(dir)}: ${t.name}: ${p} passed, ${f} failed (${t.result})`);
    passed += p;
    failed += f;
  }
}
if (skipped.length) console.log(`skipped (not counted): ${skipped.join(', ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
