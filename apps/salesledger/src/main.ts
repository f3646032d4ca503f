import { Command } from 'commander';
import { addAlertDeliveryCommands } from './alert-deliveries.command';
import { addBiCommands } from './bi.command';
import { importHelp } from './import-help';
import { packageVersion, quietUnlessAsked } from './program';

// Each command loads only what it needs, so short commands do not pay for booting the HTTP stack.
const program = new Command('salesledger')
  .description('Event-sourced sales operations')
  .version(packageVersion(), '-V, --version', 'print the version')
  .showHelpAfterError()
  .hook('preAction', (_program, command) => quietUnlessAsked(command));

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
  .addHelpText('after', importHelp())
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

const alerts = program.command('alerts').description('lag alerts to managers');
alerts
  .command('evaluate')
  .description(
    'evaluate every rule as of an instant and print what would fire, against the alerts open now (a dry run unless --apply)',
  )
  .option('--at <instant>', 'ISO-8601 instant to evaluate at (default: now)')
  .option('--apply', 'raise, resolve and escalate what the evaluation says, as the worker would')
  .option('--settings <file>', 'JSON alert settings to try, any subset, laid over the company settings (dry run only)')
  .option('--json', 'print the evaluation as JSON')
  .action(async (options) => (await import('./alerts.command')).evaluateAlerts(options));
alerts
  .command('backtest')
  .description('replay a period day by day and report what each rule would have raised')
  .requiredOption('--from <day>', 'first day, YYYY-MM-DD')
  .requiredOption('--to <day>', 'last day, YYYY-MM-DD')
  .option('--time <HH:MM>', 'time of day (UTC) of each daily evaluation', '09:00')
  .option(
    '--settings <file>',
    "JSON alert settings to try, any subset, laid over each day's company settings (every rule on)",
  )
  .option('--json', "print the report and every day's actions as JSON")
  .action(async (options) => (await import('./alerts.command')).backtestAlerts(options));
addAlertDeliveryCommands(alerts);

const audit = program.command('audit').description('tamper evidence');
audit
  .command('verify')
  .description('check every stream and the whole log, name each altered, removed or reordered event')
  .option('--anchor <file>', 'also check the log against a signed anchor (a cut tail, a full recomputation)')
  .action(async (options: { anchor?: string }) => (await import('./audit-verify.command')).auditVerify(options));
audit
  .command('anchor')
  .description("print a signed statement of the log's position and hash, to keep outside the database")
  .option('--out <file>', 'also write it to a new file')
  .action(async (options: { out?: string }) => (await import('./audit-anchor.command')).auditAnchor(options));

addBiCommands(program);

program.parseAsync().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
