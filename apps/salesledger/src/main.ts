import { Command } from 'commander';

// Each command loads only what it needs, so short commands do not pay for booting the HTTP stack.
const program = new Command('salesledger').description('Event-sourced sales operations').showHelpAfterError();

program
  .command('start')
  .description('run the API, projector and alert worker in one process')
  .option('--no-demo', 'do not seed the demo organisation into an empty embedded store')
  .action(async (options: { demo: boolean }) => (await import('./start.command')).start(options));

program
  .command('import')
  .description('import a CSV file through the same validation and commands as the API')
  .argument('<kind>', 'customers, visits or orders')
  .argument('<file>', 'CSV with a header row; orders take one row per order line')
  .option(
    '--map <column=field>',
    'read a column as a field (repeatable)',
    (pair: string, all: string[]) => [...all, pair],
    [],
  )
  .option('--errors <file>', 'where to write the rejected rows (default: <file>.errors.csv)')
  .action(async (kind: string, file: string, options: { map: string[]; errors?: string }) =>
    (await import('./import.command')).importCsv(kind, file, options),
  );

program
  .command('projections')
  .description('the read models built from the log')
  .command('rebuild')
  .description('replay the log into fresh read-model tables while the old ones serve, then swap them in')
  .argument('[name]', 'the projection (all share one schema, so all are rebuilt)')
  .action(async (name?: string) => (await import('./projections-rebuild.command')).rebuildProjections(name));

program
  .command('audit')
  .description('tamper evidence')
  .command('verify')
  .description('walk every stream, check its hash chain, name each altered, removed or reordered event')
  .action(async () => (await import('./audit-verify.command')).auditVerify());

program.parseAsync().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
