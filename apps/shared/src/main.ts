import { isAppError } from './errors';

/**
 * Runs an app's main function and exits with its code: an {@link AppError} prints its message
 * and hint (no stack trace) and exits with its code; anything else is a bug, printed in full with
 * exit code 1. The process exits even if a socket or timer is still open (a broker, a reconnect).
 */
export function runMain(main: () => Promise<number | undefined>, name: string): void {
  const exit = (code: number) => {
    process.exitCode = code;
    // Give pending writes a moment, then leave whatever handles are still open.
    setTimeout(() => process.exit(code), 50);
  };
  main().then(
    (code) => exit(code ?? 0),
    (error: unknown) => {
      if (isAppError(error)) {
        process.stderr.write(`${name}: ${error.message}\n`);
        if (error.hint) process.stderr.write(`  ${error.hint}\n`);
        exit(error.exitCode);
      } else {
        process.stderr.write(`${name}: unexpected error (please report it)\n`);
        process.stderr.write(
          `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
        );
        exit(1);
      }
    },
  );
}
