// Cold start: the median wall time of `igtg --version` over 20 fresh processes.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', 'bin', 'igtg.js');

export function runVersionBench(runs = 20): { medianMs: number; p90Ms: number } {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' });
    const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`igtg --version failed: ${result.stderr}`);
    times.push(elapsed);
  }
  times.sort((a, b) => a - b);
  const medianMs = times[Math.floor(times.length / 2)]!;
  const p90Ms = times[Math.floor(times.length * 0.9)]!;
  console.log(
    `cold igtg --version: median ${medianMs.toFixed(1)} ms, p90 ${p90Ms.toFixed(1)} ms over ${runs} runs (goal: median < 150 ms)`,
  );
  return { medianMs, p90Ms };
}

if (process.argv[1] === import.meta.filename) runVersionBench();
