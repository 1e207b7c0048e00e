// `npm run bench`: every benchmark, each in its own process (so memory figures don't mix), printing its figures.
// Pass names to run some only: `npm run bench -- version import`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const BENCHES: Record<string, string> = {
  version: 'version-bench.ts',
  import: 'import-bench.ts',
  html: 'html-bench.ts',
  sync: 'sync-bench.ts',
  export: 'export-bench.ts',
  bridge: 'bridge-bench.ts',
  realtime: 'realtime-bench.ts',
  search: 'search-bench.ts',
};

const selected = process.argv.slice(2);
const unknown = selected.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  console.error(`unknown benchmark: ${unknown.join(', ')} (choose from ${Object.keys(BENCHES).join(', ')})`);
  process.exit(2);
}

let failed = 0;
for (const [name, file] of Object.entries(BENCHES)) {
  if (selected.length > 0 && !selected.includes(name)) continue;
  console.log(`\n== ${name}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, file)], {
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    failed += 1;
    console.log(`${name}: failed (exit ${result.status ?? result.signal})`);
  }
}
process.exit(failed > 0 ? 1 : 0);
