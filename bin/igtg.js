#!/usr/bin/env node
// `igtg --version` is answered before loading the command tree: scripts call it often.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { readFileSync } = await import('node:fs');
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  // As in every command: a reader that closed the pipe ends the output; any other failure is one line.
  process.stdout.on('error', (error) => {
    if (error.code !== 'EPIPE') process.stderr.write(`error: cannot write the output: ${error.message}\n`);
    process.exit(error.code === 'EPIPE' ? 0 : 1);
  });
  process.stdout.write(`${pkg.version}\n`);
} else {
  await import('../dist/cli/main.js');
}
