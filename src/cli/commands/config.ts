// `igtg config get|set|unset|list`: the profile's settings (see src/config/settings-schema.ts).
// Values that may hold credentials (db, instagram.proxy) are only ever shown redacted.
import type { Command } from 'commander';
import type { SettingEntry } from '../../config/settings.js';
import type { Context } from '../context.js';
import type { CommandRunner } from '../program.js';

interface EntryJson {
  key: string;
  value: unknown;
  default: unknown;
  is_set: boolean;
  type: string;
  description: string;
  invalid?: true;
}

async function settingsModule() {
  return import('../../config/settings.js');
}

/** JSON form of an entry; sensitive values become their redacted string. */
function entryJson(entry: SettingEntry, display: (value: unknown, sensitive: boolean) => string): EntryJson {
  const shown = (value: unknown) => (entry.sensitive && value !== undefined ? display(value, true) : (value ?? null));
  return {
    key: entry.key,
    value: shown(entry.value),
    default: shown(entry.default),
    is_set: entry.isSet,
    type: entry.type,
    description: entry.description,
    ...(entry.invalid ? { invalid: true as const } : {}),
  };
}

/** Says when what is shown is not what igtg will use: an ignored stored value, or IGTG_DB overriding db. */
function warnAbout(ctx: Context, path: string, entries: SettingEntry[]): void {
  for (const entry of entries) {
    if (entry.invalid && entry.key === 'db') {
      // Not the default store: the commands that use the store refuse to guess which one was meant.
      ctx.out.warn(`${path}: db is not a valid store; commands that use the store fail until it is fixed`);
    } else if (entry.invalid) {
      ctx.out.warn(`${path}: ignoring the invalid value of ${entry.key}; the default applies`);
    }
    if (entry.key === 'db' && ctx.env.IGTG_DB?.trim()) ctx.out.warn('IGTG_DB is set and takes precedence over db');
  }
}

/** A running bridge read the settings when it started (all but sync's): say that it must restart. */
async function noteRunningBridge(ctx: Context, key: string): Promise<void> {
  if (key.startsWith('sync.')) return;
  const { bridgeRunsHere } = await import('../../bridge/service/profile-lock.js');
  if (!bridgeRunsHere(ctx.paths.stateDir)) return;
  const { unitName } = await import('../../bridge/service/systemd-unit.js');
  ctx.out.warn(
    `a bridge is running for profile "${ctx.paths.profile}": it uses the new ${key} once restarted ` +
      `(as a service: systemctl --user restart ${unitName(ctx.paths.profile)})`,
  );
}

async function configGet(ctx: Context, key: string): Promise<void> {
  const { displayValue } = await settingsModule();
  const settings = await ctx.settings();
  const entry = settings.entry(key);
  warnAbout(ctx, settings.path, [entry]);
  if (ctx.out.json) {
    ctx.out.printJson(entryJson(entry, displayValue));
    return;
  }
  if (entry.value !== undefined) ctx.out.line(displayValue(entry.value, entry.sensitive));
}

async function configSet(ctx: Context, key: string, value: string): Promise<void> {
  const { displayValue } = await settingsModule();
  const settings = await ctx.settings();
  const entry = settings.set(key, value);
  warnAbout(ctx, settings.path, [entry]);
  await noteRunningBridge(ctx, entry.key);
  if (ctx.out.json) {
    ctx.out.printJson(entryJson(entry, displayValue));
    return;
  }
  ctx.out.line(`${entry.key} = ${displayValue(entry.value, entry.sensitive)}`);
}

async function configUnset(ctx: Context, key: string): Promise<void> {
  const { displayValue } = await settingsModule();
  const settings = await ctx.settings();
  const entry = settings.unset(key);
  await noteRunningBridge(ctx, entry.key);
  if (ctx.out.json) {
    ctx.out.printJson(entryJson(entry, displayValue));
    return;
  }
  const fallback = entry.default === undefined ? 'no value' : `default ${displayValue(entry.default, entry.sensitive)}`;
  ctx.out.line(`${entry.key} unset (${fallback})`);
}

async function configList(ctx: Context): Promise<void> {
  const { displayValue } = await settingsModule();
  const settings = await ctx.settings();
  const entries = settings.list();
  warnAbout(ctx, settings.path, entries);
  if (ctx.out.json) {
    ctx.out.printJson(entries.map((entry) => entryJson(entry, displayValue)));
    return;
  }
  const rows = entries.map((entry) => [
    `${entry.isSet ? '*' : ' '} ${entry.key}`,
    entry.value === undefined ? '-' : displayValue(entry.value, entry.sensitive),
    entry.description,
  ]);
  const header = ['  KEY', 'VALUE', 'DESCRIPTION'];
  const widths = [0, 1].map((column) => Math.max(...[header, ...rows].map((row) => row[column]!.length)));
  const format = (row: string[]) => `${row[0]!.padEnd(widths[0]!)}  ${row[1]!.padEnd(widths[1]!)}  ${row[2]}`.trimEnd();
  ctx.out.line(ctx.out.style('bold', format(header)));
  for (const row of rows) ctx.out.line(format(row));
  if (entries.some((entry) => entry.isSet)) ctx.out.line(ctx.out.style('dim', `\n* set in ${settings.path}`));
}

export function registerConfig(program: Command, run: CommandRunner): void {
  const config = program
    .command('config')
    .description('read and change settings')
    .addHelpText('after', '\nRun `igtg config list` to see every setting, its value and what it does.');
  config
    .command('get')
    .description("print a setting's value (its default when not set)")
    .argument('<key>', 'setting name, e.g. bridge.poll_interval')
    .action(run(configGet));
  config
    .command('set')
    .description('change a setting')
    .argument('<key>', 'setting name, e.g. bridge.poll_interval')
    .argument('<value>', 'new value: numbers, true/false (on/off), durations like 90s or 2m')
    .action(run(configSet));
  config
    .command('unset')
    .description('remove a setting, so its default applies again')
    .argument('<key>', 'setting name')
    .action(run(configUnset));
  config.command('list').description('every setting with its value and description').action(run(configList));
}
