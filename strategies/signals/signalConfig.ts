import { z } from "../../data/zod.js";
import { BUILTIN_SIGNALS, BUILTIN_SIGNAL_NAMES, type BuiltinSignalName } from "./builtinSignals.js";

/**
 * The `signals` section of the run config (SPEC §3): a built-in indicator source with its
 * settings, the user's predictions file, or a user strategy module. Each built-in's schema
 * is derived from its defaults, so a new setting cannot be forgotten here.
 */
function fieldsFromDefaults(defaults: object): Record<string, z.ZodType> {
  const fields: Record<string, z.ZodType> = {};
  for (const [key, value] of Object.entries(defaults)) {
    if (typeof value === "number") fields[key] = z.number().default(value);
    else if (typeof value === "string") fields[key] = z.string().default(value);
    else if (typeof value === "boolean") fields[key] = z.boolean().default(value);
  }
  return fields;
}

const builtinSchemas = BUILTIN_SIGNAL_NAMES.map((name) =>
  z.strictObject({ kind: z.literal(name), ...fieldsFromDefaults(BUILTIN_SIGNALS[name].defaults) }));

export const signalsSchema = z.discriminatedUnion("kind", [
  ...builtinSchemas as unknown as [z.ZodObject<{ kind: z.ZodLiteral<BuiltinSignalName> }>],
  z.strictObject({
    kind: z.literal("predictions"),
    /** CSV `timestamp,symbol,action,confidence[,score][,size_multiplier]`. */
    file: z.string().min(1),
    /** The file's symbol names → the data's (e.g. `{ "btcusdt": "BTCUSDT" }`); unnamed symbols are used as written. */
    symbolMap: z.record(z.string().min(1), z.string().min(1)).default({}),
    /** 1: confidences are 0..1; 100: they are 0..100 and are divided by 100. */
    confidenceScale: z.number().refine((value) => value === 1 || value === 100, { message: "must be 1 (confidences 0..1) or 100 (confidences 0..100)" })
      .default(1) as unknown as z.ZodDefault<z.ZodType<1 | 100>>,
  }),
  z.strictObject({
    kind: z.literal("module"),
    /** A .js/.mjs/.cjs/.ts file exporting `computeSignals` or `onBar`. */
    module: z.string().min(1),
    params: z.record(z.string(), z.unknown()).default({}),
  }),
]);

export type SignalsConfig =
  | ({ readonly kind: BuiltinSignalName } & Readonly<Record<string, unknown>>)
  | {
    readonly kind: "predictions"; readonly file: string;
    readonly symbolMap: Readonly<Record<string, string>>; readonly confidenceScale: 1 | 100;
  }
  | { readonly kind: "module"; readonly module: string; readonly params: Readonly<Record<string, unknown>> };
