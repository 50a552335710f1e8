/**
 * `${NAME}` and `${NAME:-default}` in plant.yaml values, filled from the environment when the file is loaded, so one
 * file serves several installations (host names, ports) and secrets stay out of it. A value that is nothing but one
 * reference takes the type its text reads as in YAML (`${PORT}` with PORT=1883 is the number 1883).
 */
import { parse } from 'yaml';

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const WHOLE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}$/;

export interface SubstitutionIssue {
  /** JSON pointer of the value. */
  path: string;
  message: string;
}

function pointerSegment(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Returns a copy of `value` with every reference filled from `env`; references to unset names are reported. */
export function substituteEnv(value: unknown, env: Readonly<Record<string, string | undefined>>): { value: unknown; issues: SubstitutionIssue[] } {
  const issues: SubstitutionIssue[] = [];
  const fill = (text: string, path: string): unknown => {
    if (!text.includes('${')) return text;
    const lookup = (name: string, fallback: string | undefined): string => {
      const found = env[name];
      if (found !== undefined) return found;
      if (fallback !== undefined) return fallback;
      issues.push({ path, message: `environment variable ${name} is not set (write \${${name}:-default} to give a default)` });
      return '';
    };
    const whole = WHOLE.exec(text);
    if (whole !== null) {
      const filled = lookup(whole[1]!, whole[2]);
      try {
        const typed: unknown = parse(filled);
        return typeof typed === 'number' || typeof typed === 'boolean' ? typed : filled;
      } catch {
        // Not valid YAML on its own (e.g. "a: b: c"): the text itself is the value.
        return filled;
      }
    }
    return text.replace(REFERENCE, (_match, name: string, fallback: string | undefined) => lookup(name, fallback));
  };
  const walk = (node: unknown, path: string): unknown => {
    if (typeof node === 'string') return fill(node, path);
    if (Array.isArray(node)) return node.map((item, index) => walk(item, `${path}/${index}`));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, walk(item, `${path}/${pointerSegment(key)}`)]));
    }
    return node;
  };
  return { value: walk(value, ''), issues };
}
