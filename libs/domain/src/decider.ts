import type { JsonObject } from './event';

/** What a decider emits: the event without the metadata the command handler adds. */
export interface DomainEvent<Type extends string = string, Data extends JsonObject = JsonObject> {
  readonly type: Type;
  readonly data: Data;
}

/** One aggregate's rules: pure, so they are specified as given(events).when(command).then(events). */
export interface Decider<Command, Event extends DomainEvent, State> {
  readonly initialState: State;
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
}

export const fold = <Event extends DomainEvent, State>(
  decider: Decider<unknown, Event, State>,
  events: readonly Event[],
): State => events.reduce(decider.evolve, decider.initialState);
