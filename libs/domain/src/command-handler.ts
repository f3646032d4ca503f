import { createHash, randomUUID } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import type { Decider, DomainEvent } from './decider';
import { ConflictError, WrongExpectedRevisionError } from './errors';
import type { Actor, JsonObject } from './event';
import type { EventStore } from './event-store.port';

const RACE_RETRIES = 3;

export interface CommandContext {
  /** Chosen by the client: the same id again is a retry, answered without appending. */
  readonly commandId: string;
  readonly actor: Actor;
  readonly correlationId: string;
  readonly now: Date;
  /** Optimistic concurrency from the client; a stale value is a WrongExpectedRevisionError. */
  readonly expectedRevision?: number;
  /** What the client asked, when the command adds server facts (such as the time): a retry is the same request. */
  readonly request?: JsonObject;
  /**
   * The command creates its stream (its id is the new entity's): skip the read and append at
   * `no-stream`; only if the stream exists after all is it read, to answer a retry or a conflict.
   */
  readonly createsStream?: boolean;
}

export interface CommandResult<State> {
  readonly state: State;
  /** Revision of the stream's last event; -1 when the stream is still empty. */
  readonly revision: number;
  readonly replayed: boolean;
}

/**
 * The whole command path: read the stream, fold it, decide, append at the revision read. A lost
 * race is decided again on the fresh state (unless the client pinned a revision).
 */
export async function handleCommand<Command extends JsonObject, Event extends DomainEvent, State>(
  store: EventStore,
  streamId: string,
  decider: Decider<Command, Event, State>,
  command: Command,
  context: CommandContext,
): Promise<CommandResult<State>> {
  const fingerprint = createHash('sha256')
    .update(canonicalJson(context.request ?? command))
    .digest('hex');
  if (context.createsStream) {
    const created = await tryCreate(store, streamId, decider, command, context, fingerprint);
    if (created) return created;
  }
  for (let attempt = 0; ; attempt++) {
    const history = await store.readStream<Event>(streamId);
    const state = history.reduce(decider.evolve, decider.initialState);
    const revision = history.length - 1;
    const earlier = history.find((e) => e.metadata.commandId === context.commandId);
    if (earlier) {
      if (earlier.metadata.commandFingerprint !== fingerprint) {
        throw new ConflictError(`id ${context.commandId} was already used for a different request`);
      }
      return { state, revision, replayed: true };
    }
    if (context.expectedRevision !== undefined && context.expectedRevision !== revision) {
      throw new WrongExpectedRevisionError(streamId, String(context.expectedRevision), revision);
    }
    const events = decider.decide(command, state);
    if (events.length === 0) return { state, revision, replayed: false };
    try {
      await store.append(
        streamId,
        events.map((event) => withMetadata(event, context, fingerprint)),
        revision < 0 ? 'no-stream' : revision,
      );
    } catch (error) {
      const raced = error instanceof WrongExpectedRevisionError && context.expectedRevision === undefined;
      if (raced && attempt < RACE_RETRIES) continue;
      throw error;
    }
    return { state: events.reduce(decider.evolve, state), revision: revision + events.length, replayed: false };
  }
}

async function tryCreate<Command, Event extends DomainEvent, State>(
  store: EventStore,
  streamId: string,
  decider: Decider<Command, Event, State>,
  command: Command,
  context: CommandContext,
  fingerprint: string,
): Promise<CommandResult<State> | undefined> {
  const events = decider.decide(command, decider.initialState);
  try {
    await store.append(
      streamId,
      events.map((event) => withMetadata(event, context, fingerprint)),
      'no-stream',
    );
  } catch (error) {
    if (error instanceof WrongExpectedRevisionError) return undefined;
    throw error;
  }
  return { state: events.reduce(decider.evolve, decider.initialState), revision: events.length - 1, replayed: false };
}

function withMetadata(event: DomainEvent, context: CommandContext, fingerprint: string) {
  return {
    eventId: randomUUID(),
    type: event.type,
    data: event.data,
    metadata: {
      actor: context.actor,
      correlationId: context.correlationId,
      causationId: context.commandId,
      recordedAt: context.now.toISOString(),
      commandId: context.commandId,
      commandFingerprint: fingerprint,
    },
  };
}
