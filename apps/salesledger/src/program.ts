import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';

/** The version in the installed package.json (compiled to dist/apps/salesledger/src/, four levels below it). */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

/**
 * A command other than `start` prints its own output and nothing of the runtime's narration
 * (server up, migrations run) unless LOG_LEVEL asks for it; warnings and errors still show.
 */
export function quietUnlessAsked(command: Command): void {
  let top = command;
  while (top.parent?.parent) top = top.parent;
  if (top.name() !== 'start' && !process.env.LOG_LEVEL) process.env.LOG_LEVEL = 'warn';
}
