import { z } from 'zod';

type KeyedOptions = readonly [z.ZodObject, ...z.ZodObject[]];

function isPlainObject(input: unknown): input is Record<string, unknown> {
  return typeof input === 'object' && input !== null && !Array.isArray(input);
}

/**
 * A union of strict objects told apart by the keys they use, such as `{all}` / `{any}` / `{field, op, value}`.
 *
 * zod's own union answers a body that fits no option with one `invalid_union` issue at the union's path, which does
 * not tell a person what to fix. This one picks the option the input means to be (the one whose keys it uses) and
 * reports that option's issues at their own paths (`filter.all.2.op`). An input that uses the keys of two options,
 * or of none, gets one issue saying what it must be (`message`).
 */
export function keyedUnion<const Options extends KeyedOptions>(options: Options, message: string) {
  // Read on first use: a recursive option's shape refers to schemas that do not exist yet when this one is built.
  let keysOf: string[][] | undefined;
  return z.unknown().transform((input, ctx): z.output<Options[number]> => {
    let chosen: Options[number] | undefined;
    if (isPlainObject(input)) {
      keysOf ??= options.map((option) => Object.keys(option.def.shape));
      for (let i = 0; i < options.length; i++) {
        if (!keysOf[i]!.some((key) => Object.hasOwn(input, key))) continue;
        if (chosen !== undefined) {
          chosen = undefined;
          break;
        }
        chosen = options[i];
      }
    }
    if (chosen === undefined) {
      ctx.issues.push({ code: 'custom', message, input });
      return z.NEVER;
    }
    const result = chosen.safeParse(input);
    if (result.success) return result.data as z.output<Options[number]>;
    ctx.issues.push(...(result.error.issues as z.core.$ZodRawIssue[]));
    return z.NEVER;
  });
}
