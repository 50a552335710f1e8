/**
 * Reads plant.yaml from disk: YAML parsing with line numbers, then the core validation. Problems come back with the
 * line and column they stand on, so an editor can jump straight to them.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { InputError } from '../core/errors.js';
import type { PlantConfig } from '../core/plant-config.js';
import { PlantModel } from '../core/plant-model.js';
import { validatePlantConfig, type ConfigIssue } from '../core/plant-validation.js';
import { connectorIssues } from './connector-manager.js';
import { CONNECTOR_KINDS } from './connector-kinds.js';
import { substituteEnv } from './env-substitution.js';

export interface FileIssue extends ConfigIssue {
  line?: number;
  column?: number;
}

export type FileCheck = { ok: true; config: PlantConfig; model: PlantModel } | { ok: false; issues: FileIssue[] };

/** The deepest YAML node that exists along a JSON-pointer path (a missing key points at its parent). */
function nodeAt(document: Document, pointer: string): Node | undefined {
  let node: unknown = document.contents;
  for (const segment of pointer.split('/').filter((part) => part !== '')) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === segment);
      if (pair === undefined) break;
      node = pair.value ?? pair.key;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)];
      if (item === undefined) break;
      node = item;
    } else break;
  }
  return node as Node | undefined;
}

/** Connector entries are checked against their kind's own schema, which only the runtime knows. */
function withConnectorIssues(config: PlantConfig): { ok: true; config: PlantConfig } | { ok: false; issues: ConfigIssue[] } {
  const issues = connectorIssues(config.connectors, CONNECTOR_KINDS);
  return issues.length === 0 ? { ok: true, config } : { ok: false, issues };
}

/**
 * Checks plant.yaml text (read from `file`) and returns every problem with its position. `${NAME}` references are
 * filled from `env` (default: the process environment) first.
 */
export function checkPlantConfigText(text: string, env: Readonly<Record<string, string | undefined>> = process.env): FileCheck {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    return {
      ok: false,
      issues: document.errors.map((error) => {
        const position = lineCounter.linePos(error.pos[0]);
        return { path: '/', message: `YAML: ${error.message.split('\n')[0]}`, line: position.line, column: position.col };
      }),
    };
  }
  const substituted = substituteEnv(document.toJS(), env);
  const validated = validatePlantConfig(substituted.value);
  const result: { ok: true; config: PlantConfig } | { ok: false; issues: ConfigIssue[] } =
    substituted.issues.length > 0 ? { ok: false, issues: substituted.issues } : validated.ok ? withConnectorIssues(validated.config) : validated;
  if (result.ok) return { ok: true, config: result.config, model: new PlantModel(result.config) };
  return {
    ok: false,
    issues: result.issues.map((issue) => {
      const range = nodeAt(document, issue.path)?.range;
      if (range === undefined || range === null) return issue;
      const position = lineCounter.linePos(range[0]);
      return { ...issue, line: position.line, column: position.col };
    }),
  };
}

/** Checks a plant.yaml file and returns every problem with its position, without throwing. */
export async function checkPlantConfigFile(file: string): Promise<FileCheck> {
  try {
    return checkPlantConfigText(await readFile(file, 'utf8'));
  } catch (error) {
    return { ok: false, issues: [{ path: '/', message: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` }] };
  }
}

/**
 * Loads and validates plant.yaml.
 * @throws PF_ERR_CONFIG_NOT_FOUND when the file cannot be read; PF_ERR_CONFIG_INVALID with every issue in `details`.
 */
export async function loadPlantConfigFile(
  file: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<{ config: PlantConfig; model: PlantModel; sha256: string }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError('PF_ERR_CONFIG_NOT_FOUND', `cannot read plant configuration ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}); pass --config <file>`, {
      cause: error,
      details: { file },
    });
  }
  const result = checkPlantConfigText(text, env);
  if (result.ok) return { config: result.config, model: result.model, sha256: createHash('sha256').update(text).digest('hex') };
  const lines = result.issues.slice(0, 20).map((issue) => `  ${formatIssue(file, issue)}`);
  const more = result.issues.length > 20 ? `\n  ... and ${result.issues.length - 20} more` : '';
  throw new InputError('PF_ERR_CONFIG_INVALID', `${file} has ${result.issues.length} problem(s):\n${lines.join('\n')}${more}`, {
    details: { file, issues: result.issues },
  });
}

/** One issue as `file:line:col  path  message  (allowed: ...)`. */
export function formatIssue(file: string, issue: FileIssue): string {
  const where = issue.line === undefined ? file : `${file}:${issue.line}:${issue.column ?? 1}`;
  const allowed = issue.allowed === undefined || issue.allowed.length === 0 ? '' : `  (allowed: ${issue.allowed.join(', ')})`;
  return `${where}  ${issue.path}  ${issue.message}${allowed}`;
}
