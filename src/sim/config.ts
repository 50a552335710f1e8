/**
 * The demo plant's configuration (sim.yaml): seed, speed and time, the machines and the protocol each speaks, the
 * physics parameters, the scripted incidents and the endpoints. The schema is the reference; docs/demo-plant.md
 * explains each part, and examples/demo/sim.yaml is the plant every demo and end-to-end test runs.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Value } from '@sinclair/typebox/value';
import { parse } from 'yaml';
import { InputError } from '../core/errors.js';
import { registerFormats } from '../core/formats.js';
import { referenceIssues, type SimConfigIssue } from './config-references.js';
import { MachineClassSchema, SimConfigSchema, type SimConfig } from './config-schema.js';

export * from './config-schema.js';
export type { SimConfigIssue } from './config-references.js';

/** Schema and cross-reference problems of a config object, after defaults are filled in; empty when it is valid. */
export function simConfigIssues(value: unknown): SimConfigIssue[] {
  registerFormats();
  const issues = [...Value.Errors(SimConfigSchema, value)].map((error) => ({ path: error.path || '/', message: error.message }));
  return issues.length > 0 ? issues : referenceIssues(value as SimConfig);
}

/**
 * Validates a config object (defaults filled in on a copy) and returns it typed.
 * @throws PF_ERR_CONFIG_INVALID with every issue in `details.issues`
 */
export function validateSimConfig(value: unknown, source = 'sim config'): SimConfig {
  const filled = Value.Default(SimConfigSchema, structuredClone(value));
  // TypeBox does not fill defaults inside Record values; the machine classes have some.
  const classes = (filled as { machineClasses?: unknown }).machineClasses;
  if (classes !== null && typeof classes === 'object') {
    for (const [name, machineClass] of Object.entries(classes)) (classes as Record<string, unknown>)[name] = Value.Default(MachineClassSchema, machineClass);
  }
  const issues = simConfigIssues(filled);
  if (issues.length > 0) {
    const lines = issues.slice(0, 20).map((issue) => `  ${issue.path}  ${issue.message}`);
    throw new InputError('PF_ERR_CONFIG_INVALID', `${source} has ${issues.length} problem(s):\n${lines.join('\n')}`, { details: { source, issues } });
  }
  return filled as SimConfig;
}

/**
 * Parses sim.yaml text.
 * @throws PF_ERR_CONFIG_INVALID for YAML errors and schema or reference problems
 */
export function parseSimConfig(text: string, source = 'sim.yaml'): SimConfig {
  let value: unknown;
  try {
    value = parse(text, { uniqueKeys: true });
  } catch (error) {
    throw new InputError('PF_ERR_CONFIG_INVALID', `${source} is not valid YAML: ${(error as Error).message.split('\n')[0]}`, { cause: error, details: { source } });
  }
  return validateSimConfig(value, source);
}

/** examples/demo/sim.yaml of this package, found upwards from this module (works from src/ and from dist/). */
export function defaultSimConfigPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth += 1) {
    const candidate = join(dir, 'examples', 'demo', 'sim.yaml');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return join(process.cwd(), 'examples', 'demo', 'sim.yaml');
}

/**
 * Reads and validates a sim.yaml file (default: the demo plant's).
 * @throws PF_ERR_CONFIG_NOT_FOUND when the file cannot be read; PF_ERR_CONFIG_INVALID when it is not a valid config
 */
export async function loadSimConfig(file = defaultSimConfigPath()): Promise<SimConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError('PF_ERR_CONFIG_NOT_FOUND', `cannot read simulator configuration ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
      cause: error,
      details: { file },
    });
  }
  return parseSimConfig(text, file);
}
