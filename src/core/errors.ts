// igtg's error types. Anything thrown as an IgtgError is shown to the user as one line on stderr
// with its exit code; anything else is a bug and is reported as such.

export const ExitCode = {
  ok: 0,
  user: 1,
  usage: 2,
  /** A login needs a code from the user (two-factor or challenge). */
  needsCode: 3,
} as const;

export class IgtgError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = ExitCode.user, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IgtgError';
    this.exitCode = exitCode;
  }
}

export class UsageError extends IgtgError {
  constructor(message: string) {
    super(message, ExitCode.usage);
    this.name = 'UsageError';
  }
}

export class NotAvailableError extends IgtgError {
  constructor(command: string) {
    super(`igtg ${command} is not available yet in this version`, ExitCode.usage);
    this.name = 'NotAvailableError';
  }
}

/** The store cannot be opened or read (corrupt, locked, unreachable). */
export class StoreError extends IgtgError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.user, options);
    this.name = 'StoreError';
  }
}

/** A read found no store where the profile's store should be: nothing imported or synced into it (or a typo). */
export class StoreMissingError extends StoreError {
  constructor(
    readonly location: string,
    readonly kind: 'sqlite' | 'mongodb' = 'sqlite',
  ) {
    super(
      `no store at ${location}: nothing was imported or synced into this profile yet (run igtg import or igtg sync, or check --profile, IGTG_HOME and IGTG_DB)`,
    );
    this.name = 'StoreMissingError';
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
