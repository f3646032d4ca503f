import { registrationDecider } from '../registration';

export type CustomerData = { id: string; name: string; repId: string; status: 'prospect' | 'customer' };

export const customerDecider = registrationDecider<'CustomerRegistered', CustomerData>('CustomerRegistered', 'customer');
