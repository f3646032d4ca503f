import type { CustomerData } from '@salesledger/domain/customers/customer.decider';
import {
  clientInstant,
  closed,
  count,
  day,
  enumOf,
  eventSchema,
  flag,
  id,
  instant,
  streamOf,
  text,
} from './schema-parts';

const CUSTOMER_STATUS = enumOf<CustomerData['status']>({ prospect: true, customer: true });

export const CUSTOMER_SCHEMAS = {
  CustomerRegistered: eventSchema('CustomerRegistered', {
    stream: streamOf('customer'),
    description: 'A customer or prospect was registered to its owning rep.',
    data: closed({ id, name: text, repId: id, status: CUSTOMER_STATUS }),
  }),
  CustomerReassigned: eventSchema('CustomerReassigned', {
    stream: streamOf('customer'),
    description: 'A customer was given to another rep.',
    data: closed({ repId: id, previousRepId: id, reason: text }),
  }),
  KeyAccountFlagChanged: eventSchema('KeyAccountFlagChanged', {
    stream: streamOf('customer'),
    description: 'A customer became, or stopped being, a key account.',
    data: closed({ keyAccount: flag }),
  }),
  CustomerMarkedLost: eventSchema('CustomerMarkedLost', {
    stream: streamOf('customer'),
    description: 'Someone marked a customer lost, with a reason; `repId` is the owner credited with the loss.',
    data: closed({ reason: text, lostOn: day, repId: id }),
  }),
  CustomerLapsed: eventSchema('CustomerLapsed', {
    stream: streamOf('customer'),
    description: 'A customer placed no order for `churnAfterDays` days and counts as lost from `lapsedOn`.',
    data: closed({ lapsedOn: day, lastOrderAt: instant, churnAfterDays: { type: 'integer', minimum: 1 }, repId: id }),
  }),
  CustomerRequestReceived: eventSchema('CustomerRequestReceived', {
    stream: streamOf('request'),
    description: "A customer's request arrived; it should be answered by `dueAt` (received + SLA hours).",
    data: closed({
      id,
      customerId: id,
      repId: id,
      subject: text,
      receivedAt: clientInstant,
      slaHours: { type: 'integer', minimum: 1 },
      dueAt: instant,
    }),
  }),
  CustomerRequestAnswered: eventSchema('CustomerRequestAnswered', {
    stream: streamOf('request'),
    description: 'A customer request was answered, within its SLA or not.',
    data: closed({ answeredAt: clientInstant, responseMinutes: count, withinSla: flag }),
  }),
  CustomerRequestSlaMissed: eventSchema('CustomerRequestSlaMissed', {
    stream: streamOf('request'),
    description: 'A customer request was still unanswered when its SLA closed.',
    data: closed({ dueAt: instant }),
  }),
};
