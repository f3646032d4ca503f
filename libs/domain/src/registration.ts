import type { Decider, DomainEvent } from './decider';
import { ConflictError } from './errors';
import type { JsonObject } from './event';

export type Registered<Data> = { readonly registered: false } | ({ readonly registered: true } & Data);

/** The entity itself, for answers to clients. */
export function registered<Data>(state: Registered<Data>): Data {
  const { registered: _registered, ...data } = state as { registered: true } & Data;
  return data as Data;
}

/**
 * The decider of an entity that is only registered once (for now): a second registration under the
 * same id is a conflict; an identical retry never gets here (the command handler answers it).
 */
export function registrationDecider<Type extends string, Data extends JsonObject>(
  type: Type,
  noun: string,
): Decider<Data, DomainEvent<Type, Data>, Registered<Data>> {
  return {
    initialState: { registered: false },
    decide: (command, state) => {
      if (state.registered) throw new ConflictError(`this ${noun} id is already registered`);
      return [{ type, data: command }];
    },
    evolve: (_state, event) => ({ registered: true, ...event.data }),
  };
}
