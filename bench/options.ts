// Command-line options shared by the benches: `--name value`, or the fallback when the option is
// absent. Options a bench does not know are ignored.
const args = process.argv.slice(2);
const at = (name: string): number => args.indexOf(`--${name}`);

export function option(name: string, fallback: string): string {
  const i = at(name);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
}

export function numberOption(name: string, fallback: number): number {
  const i = at(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

/** True when `--name` was given (a switch without a value). */
export const flag = (name: string): boolean => at(name) >= 0;
