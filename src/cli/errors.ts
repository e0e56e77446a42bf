/** Errors a command ends with: the message goes to stderr, the exit code to the shell. */

export const EXIT_OK = 0;
/** Nothing could be indexed, the index could not be written or loaded, the server could not start. */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** 128 + SIGINT, what shells expect after Ctrl-C. */
export const EXIT_INTERRUPTED = 130;

export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT_FAILURE) {
    super(message);
    this.name = 'CliError';
  }
}

/** A mistake in how the command was called; printed with a hint to `--help`. */
export class UsageError extends CliError {
  constructor(message: string, readonly command?: string) {
    super(message, EXIT_USAGE);
    this.name = 'UsageError';
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
