import type { Command } from 'commander';
import { NotAvailableError } from '../../core/errors.js';
import type { CommandRunner } from '../program.js';

export function registerLogin(program: Command, run: CommandRunner): void {
  program
    .command('login')
    .description('log into Instagram and keep the session')
    .option('-u, --username <username>', 'Instagram username (env IGTG_IG_USERNAME)')
    .option('--password-stdin', 'read the password from standard input (or env IGTG_IG_PASSWORD)')
    .option('--code <code>', 'finish a pending login with a two-factor or challenge code')
    .option('--sessionid <value>', "log in with a browser's sessionid cookie")
    .option('--cookies <file>', "log in with a browser's cookies (JSON or a 'copy as cURL' command)")
    .action(
      run(async () => {
        throw new NotAvailableError('login');
      }),
    );
}

export function registerLogout(program: Command, run: CommandRunner): void {
  program
    .command('logout')
    .description("forget the profile's Instagram session and credentials")
    .action(
      run(async () => {
        throw new NotAvailableError('logout');
      }),
    );
}
