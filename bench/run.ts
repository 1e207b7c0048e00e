// `npm run bench`: every benchmark, one after another, printing its figures.
// Pass names to run some only: `npm run bench -- version import`.
import { runVersionBench } from './version-bench.js';

const selected = new Set(process.argv.slice(2));
const wanted = (name: string) => selected.size === 0 || selected.has(name);

if (wanted('version')) runVersionBench();
