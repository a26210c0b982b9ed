/**
 * Output and input helpers shared by every command: JSON for scripts, aligned tables for people,
 * secrets and confirmations. The command table imports this module, so it loads nothing heavy:
 * the logger's secret list is loaded when a secret is read.
 */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printTable(rows: ReadonlyArray<Record<string, unknown>>, columns?: string[]): void {
  if (rows.length === 0) {
    process.stdout.write('(none)\n');
    return;
  }
  const cols = columns ?? Object.keys(rows[0]!);
  const cell = (v: unknown) => (v === null || v === undefined ? '-' : String(v));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${line(cols.map((c) => c.toUpperCase()))}\n`);
  for (const r of rows) process.stdout.write(`${line(cols.map((c) => cell(r[c])))}\n`);
}

/** Passwords come from a named environment variable or an interactive prompt, never a flag. */
export async function readSecret(envVar: string | undefined, prompt: string): Promise<string> {
  const { rememberSecret } = await import('../core/log');
  if (envVar) {
    const value = process.env[envVar];
    if (!value) throw new CliError(`environment variable ${envVar} is not set or empty`);
    rememberSecret(value);
    return value;
  }
  if (!process.stdin.isTTY) {
    throw new CliError(`${prompt}: no terminal to prompt on; pass --password-env VAR with the secret in VAR`);
  }
  const value = await promptHidden(prompt);
  rememberSecret(value);
  return value;
}

async function promptHidden(prompt: string): Promise<string> {
  process.stderr.write(`${prompt}: `);
  const stdin = process.stdin;
  stdin.setRawMode(true);
  stdin.resume();
  let value = '';
  try {
    for await (const chunk of stdin) {
      for (const ch of String(chunk)) {
        if (ch === '\r' || ch === '\n') return value;
        if (ch === '\u0003') throw new CliError('cancelled');
        if (ch === '\u007f') value = value.slice(0, -1);
        else value += ch;
      }
    }
    return value;
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    process.stderr.write('\n');
  }
}

/** One line typed by the operator on the terminal (the question goes to stderr). */
export async function askLine(question: string): Promise<string> {
  if (!process.stdin.isTTY)
    throw new CliError(`${question.replace(/[\s:]+$/, '')}: no terminal to ask on; pass --yes`, 2);
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

/** A yes/no question; anything but y/yes is no. `--yes` callers skip it. */
export async function confirm(question: string): Promise<boolean> {
  return /^(y|yes)$/i.test(await askLine(`${question} [y/N] `));
}

/**
 * Destructive commands ask for the name of what they act on to be typed (not just "y"), so a
 * command recalled from history cannot remove the wrong thing by a reflex keystroke.
 */
export async function confirmByTyping(name: string, action: string): Promise<void> {
  const typed = await askLine(`${action}: type the name ${name} to confirm: `);
  if (typed !== name) throw new CliError(`'${typed}' is not ${name}: nothing was done`);
}

/** An error meant for the operator: printed as one line on stderr, exit code 1 (2 for usage). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
