import { type KeyInputStream, questionOnce } from './keys';

/** True when we can ask the user questions (stdin and stdout are terminals). */
export function canPrompt(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY);
}

/** Options of {@link ask}. */
export interface AskOptions {
  /** What an empty answer means; shown in brackets. */
  fallback?: string;
  /** Returns what is wrong with an answer (it is asked again), or undefined to accept it. */
  validate?: (answer: string) => string | undefined;
  /** Default process.stdin. */
  input?: KeyInputStream;
  /** Default process.stdout. */
  output?: NodeJS.WritableStream;
}

/**
 * Asks a question in the terminal until `validate` accepts the answer (it returns an error
 * message for a bad one). An empty answer takes `fallback` when there is one. Ctrl-C is an
 * `AppError` `INTERRUPTED`. The input is left paused, as readline leaves it: read keys after it
 * with `listenKeys`, which resumes it.
 */
export async function ask(question: string, options: AskOptions = {}): Promise<string> {
  const output = options.output ?? process.stdout;
  for (;;) {
    const suffix = options.fallback !== undefined ? ` [${options.fallback}]` : '';
    const raw = (await questionOnce(`${question}${suffix}: `, options.input, output)).trim();
    const answer = raw === '' && options.fallback !== undefined ? options.fallback : raw;
    const problem = options.validate?.(answer);
    if (!problem) return answer;
    output.write(`  ${problem}\n`);
  }
}
