import { isAppError } from './errors';

/**
 * Runs an app's main function: an {@link AppError} prints its message and hint (no stack trace)
 * and exits with its code; anything else is a bug, printed in full with exit code 1.
 */
export function runMain(main: () => Promise<number | undefined>, name: string): void {
  main().then(
    (code) => {
      process.exitCode = code ?? 0;
    },
    (error: unknown) => {
      if (isAppError(error)) {
        process.stderr.write(`${name}: ${error.message}\n`);
        if (error.hint) process.stderr.write(`  ${error.hint}\n`);
        process.exitCode = error.exitCode;
      } else {
        process.stderr.write(`${name}: unexpected error (please report it)\n`);
        process.stderr.write(
          `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
        );
        process.exitCode = 1;
      }
    },
  );
}
