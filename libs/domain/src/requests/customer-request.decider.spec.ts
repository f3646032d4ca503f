import { specFor } from '../../../../test/support/decider-spec';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors';
import { customerRequestDecider, type RequestEvent } from './customer-request.decider';

const spec = specFor(customerRequestDecider);
const request = {
  id: 'req-1',
  customerId: 'c-1',
  repId: 'rep-1',
  subject: 'quote',
  receivedAt: '2026-03-02T09:00:00.000Z',
  slaHours: 24,
};
const received: RequestEvent = {
  type: 'CustomerRequestReceived',
  data: { ...request, dueAt: '2026-03-03T09:00:00.000Z' },
};

describe('a customer request', () => {
  it('is received with the time its SLA closes', () =>
    spec
      .given([])
      .when({ kind: 'receive', ...request })
      .then([received]));

  it('cannot be answered before it is received', () =>
    spec.given([]).when({ kind: 'answer', answeredAt: '2026-03-02T10:00:00.000Z' }).thenThrows(NotFoundError));

  it('is answered within its SLA, with the response time', () =>
    spec
      .given([received])
      .when({ kind: 'answer', answeredAt: '2026-03-02T15:30:00.000Z' })
      .then([
        {
          type: 'CustomerRequestAnswered',
          data: { answeredAt: '2026-03-02T15:30:00.000Z', responseMinutes: 390, withinSla: true },
        },
      ]));

  it('is answered late after its SLA closed', () =>
    spec
      .given([received])
      .when({ kind: 'answer', answeredAt: '2026-03-03T09:00:01.000Z' })
      .then([
        {
          type: 'CustomerRequestAnswered',
          data: { answeredAt: '2026-03-03T09:00:01.000Z', responseMinutes: 1440, withinSla: false },
        },
      ]));

  it('refuses an answer dated before the request', () =>
    spec
      .given([received])
      .when({ kind: 'answer', answeredAt: '2026-03-01T09:00:00.000Z' })
      .thenThrows(InvalidInputError));

  it('is answered once', () =>
    spec
      .given([
        received,
        {
          type: 'CustomerRequestAnswered',
          data: { answeredAt: '2026-03-02T10:00:00.000Z', responseMinutes: 60, withinSla: true },
        },
      ])
      .when({ kind: 'answer', answeredAt: '2026-03-02T11:00:00.000Z' })
      .thenThrows(ConflictError));
});

describe('a customer request whose SLA closes unanswered (the scheduler)', () => {
  it('is marked as having missed its SLA, once, only after the SLA closed', () => {
    spec
      .given([received])
      .when({ kind: 'mark-sla-missed', now: '2026-03-03T09:00:01.000Z' })
      .then([{ type: 'CustomerRequestSlaMissed', data: { dueAt: '2026-03-03T09:00:00.000Z' } }]);
    spec.given([received]).when({ kind: 'mark-sla-missed', now: '2026-03-03T08:59:59.000Z' }).then([]);
    spec
      .given([received, { type: 'CustomerRequestSlaMissed', data: { dueAt: '2026-03-03T09:00:00.000Z' } }])
      .when({ kind: 'mark-sla-missed', now: '2026-03-04T00:00:00.000Z' })
      .then([]);
  });

  it('is not marked once answered', () =>
    spec
      .given([
        received,
        {
          type: 'CustomerRequestAnswered',
          data: { answeredAt: '2026-03-02T10:00:00.000Z', responseMinutes: 60, withinSla: true },
        },
      ])
      .when({ kind: 'mark-sla-missed', now: '2026-03-04T00:00:00.000Z' })
      .then([]));
});
