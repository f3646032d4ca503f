import type { Decider, DomainEvent } from '../decider';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors';
import type { Registered } from '../registration';

export const DEFAULT_SLA_HOURS = 24;

export type RequestData = {
  id: string;
  customerId: string;
  repId: string;
  subject: string;
  receivedAt: string;
  slaHours: number;
};

export type RequestCommand =
  | ({ kind: 'receive' } & RequestData)
  | { kind: 'answer'; answeredAt: string }
  /** The scheduler's: the SLA closed with no answer. */
  | { kind: 'mark-sla-missed'; now: string };

export type RequestEvent =
  | DomainEvent<'CustomerRequestReceived', RequestData & { dueAt: string }>
  | DomainEvent<'CustomerRequestAnswered', { answeredAt: string; responseMinutes: number; withinSla: boolean }>
  | DomainEvent<'CustomerRequestSlaMissed', { dueAt: string }>;

export type RequestState = Registered<RequestData & { dueAt: string; answered: boolean; slaMissed?: boolean }>;

export const customerRequestDecider: Decider<RequestCommand, RequestEvent, RequestState> = {
  initialState: { registered: false },
  decide: (command, state) => {
    if (command.kind === 'receive') {
      if (state.registered) throw new ConflictError('this request id is already used');
      const { kind: _kind, ...request } = command;
      const dueAt = new Date(Date.parse(request.receivedAt) + request.slaHours * 3_600_000).toISOString();
      return [{ type: 'CustomerRequestReceived', data: { ...request, dueAt } }];
    }
    if (!state.registered) throw new NotFoundError('no such customer request');
    if (command.kind === 'mark-sla-missed')
      return state.answered || state.slaMissed || Date.parse(command.now) <= Date.parse(state.dueAt)
        ? []
        : [{ type: 'CustomerRequestSlaMissed', data: { dueAt: state.dueAt } }];
    if (state.answered) throw new ConflictError('the request is already answered');
    const responseMinutes = Math.round((Date.parse(command.answeredAt) - Date.parse(state.receivedAt)) / 60_000);
    if (responseMinutes < 0)
      throw new InvalidInputError([{ field: 'answeredAt', message: 'must not be before the request was received' }]);
    const withinSla = Date.parse(command.answeredAt) <= Date.parse(state.dueAt);
    return [{ type: 'CustomerRequestAnswered', data: { answeredAt: command.answeredAt, responseMinutes, withinSla } }];
  },
  evolve: (state, event) => {
    if (event.type === 'CustomerRequestReceived') return { ...event.data, registered: true, answered: false };
    if (!state.registered) return state;
    return event.type === 'CustomerRequestSlaMissed' ? { ...state, slaMissed: true } : { ...state, answered: true };
  },
};
