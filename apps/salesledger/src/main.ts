import { Command } from 'commander';

// Each command loads only what it needs, so short commands do not pay for booting the HTTP stack.
const program = new Command('salesledger').description('Event-sourced sales operations').showHelpAfterError();

program
  .command('start')
  .description('run the API, projector and alert worker in one process')
  .option('--no-demo', 'do not seed the demo organisation into an empty embedded store')
  .action(async (options: { demo: boolean }) => (await import('./start.command')).start(options));

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
