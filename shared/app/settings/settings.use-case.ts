import { ConflictError } from '../../domain/errors';
import {
  mergeSettings,
  type Settings,
  type SettingsPatch,
  settingsSchema,
} from '../../domain/settings/settings.schema';
import { parseOrThrow } from '../../domain/validation';
import type { InboundStore } from '../../ports/inbound-store.port';
import type { SettingsStore } from '../../ports/settings-store.port';
import { retryOnConflict } from '../retry-on-conflict';

/** The tenant's settings, with defaults for anything never saved. */
export async function getSettings(tenantId: string, deps: { settings: SettingsStore }): Promise<Settings> {
  return (await deps.settings.getSettings(tenantId)).settings;
}

/** Applies a partial update; the merged result is validated as a whole (e.g. a window wider than 08:00-21:00 is refused). */
export async function updateSettings(
  tenantId: string,
  patch: SettingsPatch,
  deps: { settings: SettingsStore; inbound: InboundStore },
): Promise<Settings> {
  return retryOnConflict(async () => {
    const current = await deps.settings.getSettings(tenantId);
    const next = parseOrThrow(settingsSchema, mergeSettings(current.settings, patch), 'settings');
    const previousNumber = current.settings.originationIdentity;
    const number = next.originationIdentity;
    // Inbound texts find their tenant by the number they were sent to: one tenant per number.
    if (number && number !== previousNumber && !(await deps.inbound.claimNumber(tenantId, number))) {
      throw new ConflictError('SETTINGS.NUMBER_TAKEN', `originationIdentity ${number} belongs to another tenant`, {
        field: 'originationIdentity',
      });
    }
    await deps.settings.saveSettings(tenantId, next, current.version);
    if (previousNumber && previousNumber !== number) await deps.inbound.releaseNumber(tenantId, previousNumber);
    return next;
  });
}
