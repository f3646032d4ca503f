import type { CustomerEvent } from '@salesledger/domain/customers/customer.decider';
import { dayOf } from '@salesledger/domain/scorecards/grains';
import { idOf, type Recorded } from './scorecard-events';
import { touch, type Batch, type CustomerRow } from './scorecard-rows';

/** Customers (who owns them, who registered them as what) and the ones lost. */
export function evolveCustomers(batch: Batch, event: Recorded<CustomerEvent>): void {
  const { position } = event;
  const at = event.metadata.recordedAt;
  switch (event.type) {
    case 'CustomerRegistered': {
      const { id, name, repId, status } = event.data;
      batch.customers.set(id, {
        customer_id: id,
        name,
        rep_id: repId,
        registered_rep_id: repId,
        registered_as: status,
        registered_on: dayOf(at),
        key_account: false,
        recorded_at: at,
        position,
      });
      if (status === 'prospect') touch(batch, repId, dayOf(at));
      return;
    }
    case 'CustomerReassigned':
      Object.assign(held(batch, event), { rep_id: event.data.repId, position });
      return;
    case 'KeyAccountFlagChanged':
      Object.assign(held(batch, event), { key_account: event.data.keyAccount, position });
      return;
    case 'CustomerMarkedLost':
    case 'CustomerLapsed': {
      const lapsed = event.type === 'CustomerLapsed';
      const lostOn = lapsed ? event.data.lapsedOn : event.data.lostOn;
      batch.losses.push({
        customer_id: idOf(event, 'customer-'),
        rep_id: event.data.repId,
        lost_on: lostOn,
        kind: lapsed ? 'lapsed' : 'marked',
        reason: lapsed ? `no order for ${event.data.churnAfterDays} days` : event.data.reason,
        recorded_at: at,
        position,
      });
      touch(batch, event.data.repId, lostOn);
      return;
    }
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

function held(batch: Batch, event: Recorded<CustomerEvent>): CustomerRow {
  const customer = batch.customers.get(idOf(event, 'customer-'));
  if (!customer) throw new Error(`${event.type} for a customer the read model does not hold`);
  return customer;
}
