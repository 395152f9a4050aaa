import { NotFoundError } from '../../domain/errors';
import type { SmartList, SmartListInput, SmartListPatch } from '../../domain/smart-lists/smart-list.schema';
import type { Clock } from '../../ports/clock.port';
import type { IdGenerator } from '../../ports/id-generator.port';
import type { Page, PageRequest } from '../../ports/page';
import type { SmartListStore } from '../../ports/smart-list-store.port';

export interface SmartListDeps {
  smartLists: SmartListStore;
  clock: Clock;
  ids: IdGenerator;
}

/** Saves a filter under a name, so campaigns can target it as it changes. */
export async function createSmartList(
  tenantId: string,
  input: SmartListInput,
  deps: SmartListDeps,
): Promise<SmartList> {
  const now = deps.clock.now().toISOString();
  const list: SmartList = {
    id: deps.ids.next(),
    name: input.name,
    filter: input.filter,
    createdAt: now,
    updatedAt: now,
  };
  await deps.smartLists.putSmartList(tenantId, list);
  return list;
}

/** One smart list, or a 404 (also for another tenant's id). */
export async function getSmartList(tenantId: string, id: string, deps: Pick<SmartListDeps, 'smartLists'>) {
  const list = await deps.smartLists.getSmartList(tenantId, id);
  if (!list) throw new NotFoundError('SmartList', id);
  return list;
}

export async function listSmartLists(
  tenantId: string,
  page: PageRequest,
  deps: Pick<SmartListDeps, 'smartLists'>,
): Promise<Page<SmartList>> {
  return deps.smartLists.listSmartLists(tenantId, page);
}

/** Renames a list or replaces its filter (last write wins: a list is edited by one person at a time). */
export async function updateSmartList(
  tenantId: string,
  id: string,
  patch: SmartListPatch,
  deps: SmartListDeps,
): Promise<SmartList> {
  const current = await getSmartList(tenantId, id, deps);
  const updated: SmartList = {
    ...current,
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.filter !== undefined ? { filter: patch.filter } : {}),
    updatedAt: deps.clock.now().toISOString(),
  };
  await deps.smartLists.putSmartList(tenantId, updated);
  return updated;
}

export async function deleteSmartList(tenantId: string, id: string, deps: Pick<SmartListDeps, 'smartLists'>) {
  if (!(await deps.smartLists.deleteSmartList(tenantId, id))) throw new NotFoundError('SmartList', id);
}
