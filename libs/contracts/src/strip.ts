import type { z } from 'zod';

/**
 * What a schema's parse makes of a value it accepts, without checking it: only the schema's fields, with its
 * string rewrites (`trim()`) applied. `NOT_THE_SHAPE` when an object or array is not one (a broken value, for the full
 * parse to explain). Unchanged values come back as they are: a reply built from exactly its contract's fields costs
 * no copy.
 */
export type Strip = (value: unknown) => unknown;

/** A value whose structure is not the schema's: parse it to learn why. */
export const NOT_THE_SHAPE: unique symbol = Symbol('not the shape');

/** A leaf that parses to itself. */
const same: Strip = (value) => value;

interface Def {
  type: string;
  checks?: { _zod: { def: { check: string; tx?: (value: unknown) => unknown } } }[];
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  element?: z.ZodType;
  innerType?: z.ZodType;
}

const LEAVES = new Set(['string', 'number', 'boolean', 'bigint', 'null', 'undefined', 'enum', 'literal', 'any', 'unknown']);

/**
 * Compiles a schema's strip, or answers undefined when its parse may change more than the fields (transforms,
 * defaults, unions, records…): such a schema is parsed in full. One compile per schema, at start-up.
 */
export function compileStrip(schema: z.ZodType): Strip | undefined {
  const def = schema._zod.def as Def;
  const rewrites = (def.checks ?? []).flatMap((check) => (check._zod.def.check === 'overwrite' ? [check._zod.def.tx!] : []));
  if (LEAVES.has(def.type)) {
    if (rewrites.length === 0) return same;
    return def.type === 'string'
      ? (value) => (typeof value === 'string' ? rewrites.reduce((v, tx) => tx(v), value as unknown) : value)
      : undefined;
  }
  if (rewrites.length > 0) return undefined;
  switch (def.type) {
    case 'optional':
    case 'nullable': {
      const inner = compileStrip(def.innerType!);
      if (!inner || inner === same) return inner;
      return (value) => (value === undefined || value === null ? value : inner(value));
    }
    case 'array': {
      const element = compileStrip(def.element!);
      return element && arrayStrip(element);
    }
    case 'object':
      // A strict object's parse refuses unknown keys and a loose one keeps them: strict strips like the default here.
      return def.catchall === undefined || def.catchall._zod.def.type === 'never' ? objectStrip(def.shape!) : undefined;
    default:
      return undefined;
  }
}

function arrayStrip(element: Strip): Strip {
  return (value) => {
    if (!Array.isArray(value)) return NOT_THE_SHAPE;
    if (element === same) return value;
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const stripped = element(item);
      if (stripped === NOT_THE_SHAPE) return NOT_THE_SHAPE;
      if (stripped !== item && !copy) copy = value.slice(0, i);
      copy?.push(stripped);
    }
    return copy ?? value;
  };
}

function objectStrip(shape: Record<string, z.ZodType>): Strip | undefined {
  const keys = Object.keys(shape).filter((key) => key !== '__proto__');
  const fields: Strip[] = [];
  for (const key of keys) {
    const field = compileStrip(shape[key]);
    if (!field) return undefined;
    fields.push(field);
  }
  const known = new Set(keys);
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return NOT_THE_SHAPE;
    const input = value as Record<string, unknown>;
    let changed = false;
    for (const key in input) {
      if (!known.has(key)) {
        changed = true;
        break;
      }
    }
    const out: Record<string, unknown> | undefined = changed ? {} : undefined;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (!(key in input)) continue;
      const field: unknown = input[key];
      const stripped = fields[i] === same ? field : fields[i](field);
      if (stripped === NOT_THE_SHAPE) return NOT_THE_SHAPE;
      if (out) out[key] = stripped;
      else if (stripped !== field) return objectStripCopy(keys, fields, input);
    }
    return out ?? input;
  };
}

/** The copy, in the shape's key order, once a field turned out to change. */
function objectStripCopy(keys: string[], fields: Strip[], input: Record<string, unknown>): unknown {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    if (!(keys[i] in input)) continue;
    const stripped = fields[i](input[keys[i]]);
    if (stripped === NOT_THE_SHAPE) return NOT_THE_SHAPE;
    out[keys[i]] = stripped;
  }
  return out;
}
