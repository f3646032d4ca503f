import type { Decider, DomainEvent } from '@salesledger/domain/decider';
import { NotFoundError } from '@salesledger/domain/errors';
import type { EventStore } from '@salesledger/domain/event-store.port';
import { registered, type Registered } from '@salesledger/domain/registration';

/** Current state of one aggregate, folded from its stream. */
export async function load<Event extends DomainEvent, State>(
  store: EventStore,
  streamId: string,
  decider: Decider<unknown, Event, State>,
): Promise<State> {
  const events = await store.readStream<Event>(streamId);
  return events.reduce(decider.evolve, decider.initialState);
}

/** A registered entity, or a 404 naming what is missing. */
export async function loadRegistered<Event extends DomainEvent, Data>(
  store: EventStore,
  streamId: string,
  decider: Decider<unknown, Event, Registered<Data>>,
  what: string,
): Promise<Data> {
  const state = await load(store, streamId, decider);
  if (!state.registered) throw new NotFoundError(`${what} does not exist`);
  return registered(state);
}
