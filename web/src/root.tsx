import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { createApi, must } from './api/client';
import type { Settings } from './api/types';
import { AppContext, type AppContextValue } from './app-context';
import { loadRuntimeConfig, type RuntimeConfig } from './auth/runtime-config';
import {
  beginCognitoSignIn,
  cognitoLogoutUrl,
  completeCognitoSignIn,
  readStoredSession,
  refreshCognitoSession,
  type Session,
  signInLocal,
  storeSession,
} from './auth/session';
import { navigate, useLocation } from './lib/router';
import { Shell } from './shell';
import { SignIn } from './sign-in';

/** Loads the runtime config, signs in (local tenant picker or Cognito), then renders the console. */
export function Root() {
  const [config, setConfig] = useState<RuntimeConfig>();
  const [session, setSession] = useState<Session | undefined>(() => readStoredSession());
  const [signInError, setSignInError] = useState<string>();
  const { query } = useLocation();
  const tenantParam = query.get('tenant');
  const sessionRef = useRef(session);
  sessionRef.current = session;

  useEffect(() => {
    void loadRuntimeConfig().then(setConfig);
  }, []);

  const adopt = useCallback((next: Session | undefined) => {
    storeSession(next);
    setSession(next);
  }, []);

  // `/?tenant=acme` signs in as that tenant straight away (links, scripts, tests).
  useEffect(() => {
    if (config?.auth !== 'local' || !tenantParam) return;
    if (sessionRef.current?.tenantId === tenantParam) {
      navigate(location.pathname === '/' ? '/campaigns' : location.pathname, { replace: true });
      return;
    }
    signInLocal(tenantParam, config.apiUrl)
      .then((next) => {
        adopt(next);
        navigate(location.pathname === '/' ? '/campaigns' : location.pathname, { replace: true });
      })
      .catch((error: Error) => setSignInError(error.message));
  }, [config, tenantParam, adopt]);

  useEffect(() => {
    if (config?.auth !== 'cognito') return;
    completeCognitoSignIn(config)
      .then((next) => {
        if (next) adopt(next);
      })
      .catch((error: Error) => setSignInError(error.message));
  }, [config, adopt]);

  const signOut = useCallback(() => {
    adopt(undefined);
    if (config?.auth === 'cognito') location.assign(cognitoLogoutUrl(config));
    else navigate('/');
  }, [config, adopt]);

  if (!config) return null;
  if (!session || (config.auth === 'local' && tenantParam && session.tenantId !== tenantParam)) {
    return (
      <SignIn
        config={config}
        error={signInError}
        busy={Boolean(tenantParam) && !signInError}
        onLocal={async (tenantId) => {
          setSignInError(undefined);
          try {
            adopt(await signInLocal(tenantId, config.apiUrl));
            navigate('/campaigns', { replace: true });
          } catch (error) {
            setSignInError((error as Error).message);
          }
        }}
        onCognito={() => config.auth === 'cognito' && void beginCognitoSignIn(config)}
      />
    );
  }
  return <SignedIn key={session.tenantId} config={config} session={session} adopt={adopt} signOut={signOut} />;
}

function SignedIn({
  config,
  session,
  adopt,
  signOut,
}: {
  config: RuntimeConfig;
  session: Session;
  adopt: (session: Session | undefined) => void;
  signOut: () => void;
}) {
  const sessionRef = useRef(session);
  sessionRef.current = session;
  const [settings, setSettings] = useState<Settings | null>(null);

  const api = useMemo(
    () =>
      createApi({
        baseUrl: config.apiUrl ?? '',
        token: async () => {
          const current = sessionRef.current;
          if (config.auth === 'cognito' && current.expiresAt < Date.now()) {
            const refreshed = await refreshCognitoSession(config, current);
            if (refreshed) {
              adopt(refreshed);
              return refreshed.token;
            }
          }
          return current.token;
        },
        onUnauthorized: () => adopt(undefined),
      }),
    [config, adopt],
  );

  const refreshSettings = useCallback(() => {
    void must(api.GET('/v1/settings'))
      .then(setSettings)
      .catch(() => undefined);
  }, [api]);

  useEffect(() => {
    refreshSettings();
  }, [refreshSettings]);

  const readNow = useCallback(async () => {
    if (config.auth !== 'local') return new Date();
    // The local stack's clock may run ahead of the machine's (LOCAL_TIME, POST /local/clock).
    try {
      return new Date((await must(api.GET('/local/clock'))).now);
    } catch {
      return new Date();
    }
  }, [api, config.auth]);

  const value = useMemo<AppContextValue>(
    () => ({
      api,
      config,
      tenantId: session.tenantId,
      settings,
      refreshSettings,
      readNow,
      signOut,
    }),
    [api, config, session.tenantId, settings, refreshSettings, readNow, signOut],
  );
  return (
    <AppContext.Provider value={value}>
      <Shell />
    </AppContext.Provider>
  );
}
