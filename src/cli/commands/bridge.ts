import type { Command } from 'commander';
import type { CommandRunner } from '../program.js';
import type { Context } from '../context.js';

interface BridgeFlags {
  pollInterval?: string;
  realtime: boolean;
}

export function registerBridge(program: Command, run: CommandRunner): void {
  const bridge = program
    .command('bridge')
    .description('run the Instagram <-> Telegram bridge in the foreground (JSON logs on stdout)')
    .option(
      '--poll-interval <seconds>',
      'seconds between Instagram polls, ±20% jitter (env IGTG_POLL_INTERVAL; default 60)',
    )
    .option('--no-realtime', 'poll only, no realtime connection')
    .action(
      run(async (ctx: Context, flags: BridgeFlags) => {
        const { runDaemon } = await import('../../bridge/daemon.js');
        await runDaemon(ctx, {
          realtime: flags.realtime !== false,
          ...(flags.pollInterval ? { pollInterval: flags.pollInterval } : {}),
        });
      }),
    );
  bridge
    .command('install')
    .description('install the bridge as a systemd user service for this profile')
    .option('--now', 'enable and start it right away (systemctl --user enable --now)')
    .action(
      run(async (ctx: Context, flags: { now?: boolean }) => {
        const { installService } = await import('../../bridge/service/install.js');
        await installService(ctx, Boolean(flags.now));
      }),
    );
  bridge
    .command('uninstall')
    .description("stop and remove this profile's bridge service")
    .action(
      run(async (ctx: Context) => {
        const { uninstallService } = await import('../../bridge/service/install.js');
        await uninstallService(ctx);
      }),
    );
}
