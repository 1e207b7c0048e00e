// `igtg bridge install [--now]` and `igtg bridge uninstall`.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import type { Context } from '../../cli/context.js';
import { IgtgError, errorMessage } from '../../core/errors.js';
import { environmentFileText, unitDir, unitName, unitText } from './systemd-unit.js';
import { makeDirSync } from '../../core/make-dir.js';

function binPath(): string {
  return resolve(fileURLToPath(new URL('../../../bin/igtg.js', import.meta.url)));
}

async function systemctl(args: string[]): Promise<void> {
  const { execa } = await import('execa');
  try {
    await execa('systemctl', ['--user', ...args], { stdin: 'ignore' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new IgtgError('systemctl was not found (no systemd?)');
    const detail = (error as { stderr?: string }).stderr?.trim() || errorMessage(error);
    throw new IgtgError(`systemctl --user ${args.join(' ')} failed: ${detail.split('\n')[0]}`);
  }
}

export async function installService(ctx: Context, now: boolean): Promise<void> {
  const profile = ctx.paths.profile;
  const dir = unitDir(ctx.env);
  const unitFile = join(dir, unitName(profile));
  const envFile = join(ctx.paths.configDir, 'bridge.env');
  makeDirSync(dir);
  makeDirSync(ctx.paths.configDir, 0o700);
  writeFileSync(unitFile, unitText({ profile, node: process.execPath, bin: binPath(), envFile }));
  const envExisted = existsSync(envFile);
  if (!envExisted) writeFileSync(envFile, environmentFileText(ctx.env, profile), { mode: 0o600 });
  if (now) {
    try {
      await systemctl(['daemon-reload']);
      await systemctl(['enable', '--now', unitName(profile)]);
    } catch (error) {
      // The files are written and stay: starting is the part that needs a user systemd.
      throw new IgtgError(
        `wrote ${unitFile} but could not start it: ${errorMessage(error)}; from a login session, run: systemctl --user enable --now ${unitName(profile)}`,
      );
    }
  }
  const result = { unit: unitFile, environment_file: envFile, environment_file_kept: envExisted, started: now };
  if (ctx.out.json) {
    ctx.out.printJson(result);
    return;
  }
  ctx.out.line(`wrote ${unitFile}`);
  ctx.out.line(`${envExisted ? 'kept' : 'wrote'} ${envFile}`);
  if (now) ctx.out.line(`started ${unitName(profile)}`);
  else ctx.out.line(`start it with: systemctl --user enable --now ${unitName(profile)}`);
  ctx.out.info('to keep it running while you are logged out: loginctl enable-linger $USER');
}

export async function uninstallService(ctx: Context): Promise<void> {
  const profile = ctx.paths.profile;
  const unitFile = join(unitDir(ctx.env), unitName(profile));
  if (!existsSync(unitFile)) {
    if (ctx.out.json) ctx.out.printJson({ removed: null });
    else ctx.out.info(`no service installed for profile "${profile}" (${unitFile})`);
    return;
  }
  try {
    await systemctl(['disable', '--now', unitName(profile)]);
  } catch (error) {
    ctx.out.warn(errorMessage(error));
  }
  rmSync(unitFile, { force: true });
  await systemctl(['daemon-reload']).catch((error: unknown) => ctx.out.warn(errorMessage(error)));
  if (ctx.out.json) ctx.out.printJson({ removed: unitFile });
  else ctx.out.line(`removed ${unitFile}`);
}
