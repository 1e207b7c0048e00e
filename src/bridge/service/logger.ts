// The daemon's log: pino JSON lines on stdout. Message text, tokens and cookies are never logged;
// redaction catches the usual field names in case a caller slips.
import { pino, type Logger } from 'pino';
import type { BridgeLog } from '../core/bridge.js';

export function createLogger(level: string, destination: NodeJS.WritableStream = process.stdout): Logger {
  return pino(
    {
      level,
      base: { app: 'igtg-bridge' },
      redact: {
        paths: ['token', '*.token', 'text', '*.text', 'password', 'sessionid', 'cookie', '*.cookie'],
        censor: '[redacted]',
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination as never,
  );
}

export function bridgeLog(logger: Logger): BridgeLog {
  return {
    info: (fields, message) => logger.info(fields, message),
    warn: (fields, message) => logger.warn(fields, message),
    error: (fields, message) => logger.error(fields, message),
    debug: (fields, message) => logger.debug(fields, message),
  };
}
