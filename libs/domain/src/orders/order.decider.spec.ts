import { specFor } from '../../../../test/support/decider-spec';
import { ConflictError, NotFoundError } from '../errors';
import { orderDecider, type OrderEvent } from './order.decider';

const spec = specFor(orderDecider);
const place = {
  kind: 'place' as const,
  id: 'o-1',
  repId: 'rep-1',
  customerId: 'c-1',
  placedAt: '2026-03-02T10:00:00Z',
  lines: [
    { sku: 'A', category: 'tools', quantity: 3, unitPrice: '19.99', discount: 0.1 },
    { sku: 'B', category: 'parts', quantity: 0.1, unitPrice: '0.10', discount: 0 },
  ],
};
const placed: OrderEvent = {
  type: 'OrderPlaced',
  data: {
    id: 'o-1',
    repId: 'rep-1',
    customerId: 'c-1',
    placedAt: '2026-03-02T10:00:00Z',
    lines: [
      { ...place.lines[0]!, netAmount: '53.97' },
      { ...place.lines[1]!, netAmount: '0.01' },
    ],
    netAmount: '53.98',
  },
};

describe('an order', () => {
  describe('not placed yet', () => {
    it('is placed with exact net amounts per line and in total', () => spec.given([]).when(place).then([placed]));

    it('cannot be cancelled', () => spec.given([]).when({ kind: 'cancel', reason: 'x' }).thenThrows(NotFoundError));
  });

  describe('placed', () => {
    it('is amended with new lines, keeping the previous total', () =>
      spec
        .given([placed])
        .when({
          kind: 'amend',
          reason: 'customer added a box',
          lines: [{ sku: 'A', category: 'tools', quantity: 4, unitPrice: '19.99', discount: 0.1 }],
        })
        .then([
          {
            type: 'OrderAmended',
            data: {
              lines: [
                { sku: 'A', category: 'tools', quantity: 4, unitPrice: '19.99', discount: 0.1, netAmount: '71.96' },
              ],
              netAmount: '71.96',
              previousNetAmount: '53.98',
              reason: 'customer added a box',
            },
          },
        ]));

    it('is cancelled with a reason', () =>
      spec
        .given([placed])
        .when({ kind: 'cancel', reason: 'duplicate' })
        .then([{ type: 'OrderCancelled', data: { reason: 'duplicate' } }]));

    it('cannot be placed again under its id', () => spec.given([placed]).when(place).thenThrows(ConflictError));
  });

  describe('cancelled', () => {
    it('cannot be amended', () =>
      spec
        .given([placed, { type: 'OrderCancelled', data: { reason: 'duplicate' } }])
        .when({ kind: 'amend', reason: 'x', lines: place.lines })
        .thenThrows(ConflictError, 'already cancelled'));

    it('cannot be cancelled twice', () =>
      spec
        .given([placed, { type: 'OrderCancelled', data: { reason: 'duplicate' } }])
        .when({ kind: 'cancel', reason: 'again' })
        .thenThrows(ConflictError, 'already cancelled'));
  });
});
