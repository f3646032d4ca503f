import type { Decider, DomainEvent } from '@salesledger/domain/decider';

/** given(events).when(command).then(events) — or .thenThrows(ErrorType, message?). */
export function specFor<Command, Event extends DomainEvent, State>(decider: Decider<Command, Event, State>) {
  return {
    given: (history: Event[]) => ({
      when: (command: Command) => {
        const decide = () => decider.decide(command, history.reduce(decider.evolve, decider.initialState));
        return {
          then: (expected: Event[]) => expect(decide()).toEqual(expected),
          thenThrows: (error: new (...args: never[]) => Error, message?: string) => {
            expect(decide).toThrow(error);
            if (message) expect(decide).toThrow(message);
          },
        };
      },
    }),
  };
}
