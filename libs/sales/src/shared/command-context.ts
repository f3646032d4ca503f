import { randomUUID } from 'node:crypto';
import type { Clock } from '@salesledger/domain/clock.port';
import type { CommandContext } from '@salesledger/domain/command-handler';
import type { Principal } from '@salesledger/domain/organisation/access.policy';

/** `creates`: the command's id is a new entity's, so its stream is tried as new first. */
export function commandContext(principal: Principal, commandId: string, clock: Clock, creates = false): CommandContext {
  return {
    commandId,
    actor: { userId: principal.userId, role: principal.role },
    correlationId: randomUUID(),
    now: clock.now(),
    createsStream: creates,
  };
}
