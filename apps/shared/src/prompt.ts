import { createInterface } from 'node:readline/promises';

/** True when we can ask the user questions (stdin and stdout are terminals). */
export function canPrompt(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY);
}

/**
 * Asks a question in the terminal until `validate` accepts the answer (it returns an error
 * message for a bad one). An empty answer takes `fallback` when there is one.
 */
export async function ask(
  question: string,
  options: { fallback?: string; validate?: (answer: string) => string | undefined } = {},
): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    for (;;) {
      const suffix = options.fallback !== undefined ? ` [${options.fallback}]` : '';
      const raw = (await rl.question(`${question}${suffix}: `)).trim();
      const answer = raw === '' && options.fallback !== undefined ? options.fallback : raw;
      const problem = options.validate?.(answer);
      if (!problem) return answer;
      process.stdout.write(`  ${problem}\n`);
    }
  } finally {
    rl.close();
  }
}
