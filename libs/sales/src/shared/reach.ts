import type { ReadScope } from '@salesledger/domain/organisation/access.policy';
import type { Reach } from '@salesledger/read-model/browse-queries';
import type { Page } from '@salesledger/read-model/keyset-page';

/** A listing within the caller's reach; nothing at all when they reach none of it. */
export async function listWithin<T>(reach: ReadScope, list: (reach: Reach) => Promise<Page<T>>): Promise<Page<T>> {
  return reach === 'nothing' ? { items: [], nextCursor: null } : list(reach);
}
