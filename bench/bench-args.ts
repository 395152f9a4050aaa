/** Reads `--name value` flags with numeric defaults. */
export function numericFlag(name: string, fallback: number, argv = process.argv.slice(2)): number {
  const index = argv.indexOf(`--${name}`);
  if (index === -1) return fallback;
  const value = Number(argv[index + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`);
  return value;
}

/** Reads a `--name 1,4,10` flag: a list of positive numbers, or the fallback. */
export function numberListFlag(name: string, fallback: number[], argv = process.argv.slice(2)): number[] {
  const index = argv.indexOf(`--${name}`);
  if (index === -1) return fallback;
  const values = String(argv[index + 1])
    .split(',')
    .map(Number);
  if (values.some((v) => !Number.isFinite(v) || v <= 0))
    throw new Error(`--${name} needs positive numbers, comma-separated`);
  return values;
}
