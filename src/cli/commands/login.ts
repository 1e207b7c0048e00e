// `igtg login` and `igtg logout`. On a terminal, login is an ink flow (username, masked password,
// then a two-factor code or a challenge); without one it reads --username/IGTG_IG_USERNAME and
// --password-stdin/IGTG_IG_PASSWORD and, when Instagram wants a code, exits 3 naming the command
// that finishes the login. --sessionid and --cookies log in with a browser's session instead.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ExitCode, IgtgError, UsageError } from '../../core/errors.js';
import type { CodeRequest } from '../../instagram/client.js';
import type { CommandRunner } from '../program.js';
import type { Context } from '../context.js';
import type { LoginService, StepResult } from '../login-flow/login-service.js';
import { codeDestination, nextCommand } from '../login-flow/messages.js';
import { terminalLine } from '../format/terminal-text.js';

interface LoginFlags {
  username?: string;
  passwordStdin?: boolean;
  code?: string;
  sessionid?: string;
  cookies?: string;
  method?: string;
  proxy?: string;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

async function openService(ctx: Context, proxy: string | undefined): Promise<LoginService> {
  const [{ connectInstagram }, { LoginService: Service }] = await Promise.all([
    import('../../instagram/connect.js'),
    import('../login-flow/login-service.js'),
  ]);
  const secrets = await ctx.secrets();
  const connection = await connectInstagram({
    env: ctx.env,
    settings: await ctx.settings(),
    secrets,
    proxy: proxy ?? null,
    // An interactive login reports "please wait" at once instead of waiting minutes.
    pacing: { rateLimitRetries: 0, pauseMinMs: 0, pauseMaxMs: 0 },
  });
  ctx.onClose(() => connection.close());
  return new Service(connection.client, secrets);
}

function reportLoggedIn(ctx: Context, result: Extract<StepResult, { status: 'ok' }>): void {
  const { user } = result;
  if (ctx.out.json) {
    ctx.out.printJson({ logged_in: true, user_id: user.id, username: user.username, full_name: user.fullName });
    return;
  }
  const who = `${user.username ?? user.id}${user.fullName ? ` (${user.fullName})` : ''}`;
  ctx.out.line(`Logged in to Instagram as ${terminalLine(who)}.`);
}

function needsCode(ctx: Context, request: CodeRequest): never {
  const next = nextCommand(ctx.paths.profile);
  if (ctx.out.json) {
    ctx.out.printJson({
      logged_in: false,
      needs_code: request.kind,
      destination: request.destination,
      next,
    });
  }
  throw new IgtgError(`${codeDestination(request)}; finish with: ${next}`, ExitCode.needsCode);
}

function challengeMethod(raw: string | undefined): 'sms' | 'email' | null {
  if (raw === undefined) return null;
  const value = raw.trim().toLowerCase();
  if (value === 'sms' || value === 'email') return value;
  throw new UsageError('--method must be "sms" or "email"');
}

async function settle(
  ctx: Context,
  service: LoginService,
  result: StepResult,
  method: 'sms' | 'email' | null,
): Promise<void> {
  if (result.status === 'ok') return reportLoggedIn(ctx, result);
  let request = result.request;
  if (request.kind === 'challenge' && request.method === null) {
    // Without a terminal nobody can pick: use --method, else the first way Instagram offers.
    const chosen = method ?? request.choices[0]?.method ?? 'email';
    request = await service.choose(chosen);
  }
  needsCode(ctx, request);
}

async function passwordFrom(ctx: Context, flags: LoginFlags): Promise<string> {
  if (flags.passwordStdin) {
    const text = (await readAll(ctx.stdin)).replace(/\r?\n$/, '');
    if (!text) throw new UsageError('--password-stdin: nothing was read from standard input');
    return text;
  }
  const fromEnv = ctx.env.IGTG_IG_PASSWORD;
  if (fromEnv) return fromEnv;
  throw new UsageError(
    'no password: pipe it to --password-stdin or set IGTG_IG_PASSWORD (or run igtg login in a terminal)',
  );
}

function interactive(ctx: Context, flags: LoginFlags): boolean {
  return (
    Boolean(ctx.stdin.isTTY) && ctx.out.isTTY && !ctx.out.json && !flags.passwordStdin && !ctx.env.IGTG_IG_PASSWORD
  );
}

async function login(ctx: Context, flags: LoginFlags): Promise<void> {
  const method = challengeMethod(flags.method);
  const exclusive = [flags.code !== undefined, flags.sessionid !== undefined, flags.cookies !== undefined].filter(
    Boolean,
  ).length;
  if (exclusive > 1) throw new UsageError('use only one of --code, --sessionid and --cookies');

  if (flags.sessionid !== undefined || flags.cookies !== undefined) {
    const { parseBrowserCookies, sessionCookies } = await import('../../instagram/browser-cookies.js');
    const cookies =
      flags.sessionid !== undefined
        ? sessionCookies(flags.sessionid)
        : parseBrowserCookies(
            await readFile(flags.cookies!, 'utf8').catch((error: NodeJS.ErrnoException) => {
              throw new UsageError(`--cookies: cannot read ${flags.cookies} (${error.code ?? 'error'})`);
            }),
          );
    const service = await openService(ctx, flags.proxy);
    const user = await service.withCookies(cookies);
    return reportLoggedIn(ctx, { status: 'ok', user });
  }

  const service = await openService(ctx, flags.proxy);
  if (flags.code !== undefined) {
    const code = flags.code.replace(/\s+/g, '');
    if (!/^\d{4,8}$/.test(code)) throw new UsageError('--code: expected the 6-digit code Instagram sent');
    return settle(ctx, service, await service.submit(code), method);
  }

  const username = (flags.username ?? ctx.env.IGTG_IG_USERNAME ?? '').trim();
  if (interactive(ctx, flags)) {
    const { runTtyLogin } = await import('../login-flow/run-tty-login.js');
    const result = await runTtyLogin({
      service,
      username: username || null,
      stdin: ctx.stdin,
      stdout: ctx.out.options.stdout,
    });
    if (!result) throw new IgtgError('login cancelled');
    return reportLoggedIn(ctx, result);
  }
  if (!username) throw new UsageError('no username: pass --username or set IGTG_IG_USERNAME');
  const password = await passwordFrom(ctx, flags);
  return settle(ctx, service, await service.start(username, password), method);
}

async function logout(ctx: Context): Promise<void> {
  const { forgetInstagramLogin } = await import('../login-flow/login-service.js');
  const had = await forgetInstagramLogin(await ctx.secrets());
  if (ctx.out.json) {
    ctx.out.printJson({ logged_out: true, had_session: had });
    return;
  }
  ctx.out.line(
    had ? 'Logged out: the Instagram session of this profile is forgotten.' : 'Not logged in; nothing to forget.',
  );
}

export function registerLogin(program: Command, run: CommandRunner): void {
  program
    .command('login')
    .description('log into Instagram and keep the session')
    .option('-u, --username <username>', 'Instagram username (env IGTG_IG_USERNAME)')
    .option('--password-stdin', 'read the password from standard input (or env IGTG_IG_PASSWORD)')
    .option('--code <code>', 'finish a pending login with a two-factor or challenge code')
    .option('--method <sms|email>', 'where a challenge code should be sent (without a terminal)')
    .option('--sessionid <value>', "log in with a browser's sessionid cookie")
    .option('--cookies <file>', "log in with a browser's cookies (JSON or a 'copy as cURL' command)")
    .option('--proxy <url>', 'proxy for Instagram requests (default: the instagram.proxy setting)')
    .action(run((ctx, flags: LoginFlags) => login(ctx, flags)));
}

export function registerLogout(program: Command, run: CommandRunner): void {
  program
    .command('logout')
    .description("forget the profile's Instagram session and credentials")
    .action(run((ctx) => logout(ctx)));
}
