import type { Command } from 'commander';
import { NotAvailableError } from '../../core/errors.js';
import type { CommandRunner } from '../program.js';

export function registerExport(program: Command, run: CommandRunner): void {
  program
    .command('export')
    .description('export messages as html, md, json, jsonl or csv (safe under cron)')
    .action(
      run(async () => {
        throw new NotAvailableError('export');
      }),
    );
}
