import type { Settings } from '../domain/settings/settings.schema';

export interface StoredSettings {
  settings: Settings;
  /** 0 when the tenant never saved settings (defaults apply). */
  version: number;
}

/** Per-tenant settings with optimistic concurrency. */
export interface SettingsStore {
  getSettings(tenantId: string): Promise<StoredSettings>;
  /** Throws ConcurrentModificationError when the stored version is no longer `expectedVersion`. */
  saveSettings(tenantId: string, settings: Settings, expectedVersion: number): Promise<void>;
}
