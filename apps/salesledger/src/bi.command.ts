import type { Command } from 'commander';

/** What a BI team needs to read Salesledger from its own tools: the event schemas and a database login. */
export function addBiCommands(program: Command): void {
  program
    .command('schemas')
    .description('the JSON Schemas of the integration events (docs/integration-events.md)')
    .command('export')
    .description('write every integration event type’s JSON Schema to DIR/<type>.json, and envelope.json')
    .argument('<dir>', 'directory to write to (made if missing)')
    .action(async (dir: string) => (await import('./schemas-export.command')).exportSchemas(dir));

  program
    .command('db')
    .description('the database of the running server')
    .command('url')
    .description(
      'print a connection URL for the read-model database (in embedded mode, of the server `start` runs; it changes at each start)',
    )
    .option(
      '--reporting',
      'for the role salesledger_reporting, which reads the reporting views only (embedded mode: a generated password kept in the data dir)',
    )
    .action(async (options: { reporting?: boolean }) => (await import('./db-url.command')).printDatabaseUrl(options));
}
