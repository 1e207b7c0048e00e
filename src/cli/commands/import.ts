import type { Command } from 'commander';
import { NotAvailableError } from '../../core/errors.js';
import type { CommandRunner } from '../program.js';

export function registerImport(program: Command, run: CommandRunner): void {
  program
    .command('import')
    .description('import Instagram\'s "Download your information" archive (zip or folder)')
    .argument('<path>', 'the zip file, its unpacked folder, or a folder inside it')
    .option('--no-media', 'do not copy media files')
    .option('--skip-bad', 'import the good threads and list the bad files')
    .option('--timezone <zone>', 'time zone of HTML archives (default: the system one)')
    .action(
      run(async () => {
        throw new NotAvailableError('import');
      }),
    );
}
