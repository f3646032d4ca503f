import { randomUUID } from 'node:crypto';
import { alertDecider, type AlertCommand } from '@salesledger/domain/alerts/alert.decider';
import { handleCommand } from '@salesledger/domain/command-handler';
import type { EventStore } from '@salesledger/domain/event-store.port';

/** As the alert worker does: the alert decider's command through the command handler, the worker as actor. */
export async function asAlertWorker(store: EventStore, streamId: string, command: AlertCommand): Promise<void> {
  const context = {
    commandId: randomUUID(),
    actor: { userId: 'alert-worker', role: 'system' as const },
    correlationId: randomUUID(),
    now: new Date(command.now),
  };
  await handleCommand(store, streamId, alertDecider, command, context);
}
