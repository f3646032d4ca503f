import { VISIT_KINDS } from '@salesledger/domain/visits/visit.decider';
import { clientInstant, closed, day, eventSchema, id, money, streamOf, text, type JsonSchema } from './schema-parts';

/** Net amount = quantity x unit price x (1 - discount), rounded half-even to the cent. */
const orderLines: JsonSchema = {
  type: 'array',
  minItems: 1,
  items: closed({
    sku: text,
    category: text,
    quantity: { type: 'number', exclusiveMinimum: 0 },
    unitPrice: money,
    discount: { type: 'number', minimum: 0, maximum: 1 },
    netAmount: money,
  }),
};

const followUpClosed: JsonSchema = closed({ on: day });

export const SALES_ACTIVITY_SCHEMAS = {
  OrderPlaced: eventSchema('OrderPlaced', {
    stream: streamOf('order'),
    description: "An order was placed; it counts on `placedAt`'s day for `repId`.",
    data: closed({ id, repId: id, customerId: id, placedAt: clientInstant, lines: orderLines, netAmount: money }),
  }),
  OrderAmended: eventSchema('OrderAmended', {
    stream: streamOf('order'),
    description: "An order's lines were replaced; it keeps its placed-at date, so that day's figures change.",
    data: closed({ lines: orderLines, netAmount: money, previousNetAmount: money, reason: text }),
  }),
  OrderCancelled: eventSchema('OrderCancelled', {
    stream: streamOf('order'),
    description: 'An order was cancelled and no longer counts.',
    data: closed({ reason: text }),
  }),
  VisitLogged: eventSchema('VisitLogged', {
    stream: streamOf('visit'),
    description: 'A rep visited a customer or prospect, possibly promising a follow-up.',
    data: closed(
      { id, repId: id, customerId: id, occurredAt: clientInstant, kind: { type: 'string', enum: [...VISIT_KINDS] } },
      { outcome: text, notes: text, followUpOn: day },
    ),
  }),
  FollowUpCompleted: eventSchema('FollowUpCompleted', {
    stream: streamOf('visit'),
    description: 'The follow-up a visit promised was done, on the day `on`.',
    data: followUpClosed,
  }),
  FollowUpMissed: eventSchema('FollowUpMissed', {
    stream: streamOf('visit'),
    description: 'The follow-up a visit promised was missed, as noted on the day `on`.',
    data: followUpClosed,
  }),
};
