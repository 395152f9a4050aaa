import type { SmartList } from '../domain/smart-lists/smart-list.schema';
import type { Page, PageRequest } from './page';

/** Saved contact filters of a tenant. */
export interface SmartListStore {
  getSmartList(tenantId: string, id: string): Promise<SmartList | undefined>;
  listSmartLists(tenantId: string, page: PageRequest): Promise<Page<SmartList>>;
  putSmartList(tenantId: string, list: SmartList): Promise<void>;
  /** Returns false when the list did not exist. */
  deleteSmartList(tenantId: string, id: string): Promise<boolean>;
}
