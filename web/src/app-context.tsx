import { createContext, useContext } from 'react';
import type { Api } from './api/client';
import type { Settings } from './api/types';
import type { RuntimeConfig } from './auth/runtime-config';

export interface AppContextValue {
  api: Api;
  config: RuntimeConfig;
  tenantId: string;
  /** The tenant's settings (null until loaded); pages that change them call `refreshSettings`. */
  settings: Settings | null;
  refreshSettings: () => void;
  /**
   * Now, by the API's clock: on the local stack that is the stack's own clock (which `POST /local/clock` moves), so a
   * schedule's default date and the "outside the window" warning agree with what the server will do.
   */
  readNow: () => Promise<Date>;
  signOut: () => void;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside the signed-in console');
  return value;
}
