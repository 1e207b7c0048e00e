// The daemon's log: pino JSON lines on stdout (what journald and log shippers want), or readable
// lines when a person watches it in a terminal. Message text, tokens and cookies are never logged;
// redaction catches the usual field names in case a caller slips.
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { BridgeLog } from '../core/bridge.js';

const OPTIONS: LoggerOptions = {
  base: { app: 'igtg-bridge' },
  redact: {
    paths: ['token', '*.token', 'text', '*.text', 'password', 'sessionid', 'cookie', '*.cookie'],
    censor: '[redacted]',
  },
  timestamp: pino.stdTimeFunctions.isoTime,
};

function createLogger(level: string, destination: NodeJS.WritableStream = process.stdout): Logger {
  return pino({ ...OPTIONS, level }, destination as DestinationStream);
}

export interface LogTarget {
  level: string;
  /** Pretty lines instead of JSON (stdout is a terminal). */
  pretty: boolean;
  color: boolean;
  destination?: NodeJS.WritableStream;
}

/** JSON lines, or pino-pretty (loaded only then) in the same process, synchronously. */
export async function createDaemonLogger(target: LogTarget): Promise<Logger> {
  const destination = target.destination ?? process.stdout;
  if (!target.pretty) return createLogger(target.level, destination);
  const { default: pretty } = await import('pino-pretty');
  const stream = pretty({
    colorize: target.color,
    destination,
    sync: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,app',
  });
  return pino({ ...OPTIONS, level: target.level }, stream);
}

export function bridgeLog(logger: Logger): BridgeLog {
  return {
    info: (fields, message) => logger.info(fields, message),
    warn: (fields, message) => logger.warn(fields, message),
    error: (fields, message) => logger.error(fields, message),
    debug: (fields, message) => logger.debug(fields, message),
  };
}
