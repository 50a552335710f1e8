#!/usr/bin/env node
// Runs every *.test.ts under src/, test/ and eval/ with Node's own test runner (TypeScript through tsx).
// Node 20's --test takes no globs, so the files are found here. Pass paths or name fragments to run a subset.
// The end-to-end tests (test/e2e: each runs the whole demo plant) go last and one at a time, so they never compete
// with each other or with the rest for the CPU; everything else runs two files at a time.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const roots = ['src', 'test', 'eval'];
const filters = process.argv.slice(2);

function collect(dir, out) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (entry === 'node_modules') continue;
    if (statSync(path).isDirectory()) collect(path, out);
    else if (entry.endsWith('.test.ts')) out.push(relative(process.cwd(), path));
  }
  return out;
}

const files = roots.flatMap((root) => collect(root, [])).filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const isEndToEnd = (file) => file.startsWith(`test${sep}e2e${sep}`);
const phases = [
  { files: files.filter((file) => !isEndToEnd(file)), concurrency: 2 },
  { files: files.filter(isEndToEnd), concurrency: 1 },
];
let status = 0;
for (const phase of phases) {
  if (phase.files.length === 0) continue;
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${phase.concurrency}`, ...phase.files], { stdio: 'inherit' });
  if ((result.status ?? 1) !== 0) status = result.status ?? 1;
}
process.exit(status);
