import type { Command } from 'commander';
import { NotAvailableError } from '../../core/errors.js';
import type { CommandRunner } from '../program.js';

export function registerConfig(program: Command, run: CommandRunner): void {
  const config = program.command('config').description('read and change settings');
  for (const name of ['get', 'set', 'unset', 'list']) {
    config.command(name).action(
      run(async () => {
        throw new NotAvailableError(`config ${name}`);
      }),
    );
  }
}
