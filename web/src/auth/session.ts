import type { RuntimeConfig } from './runtime-config';

/** Who is signed in, and the bearer token the API gets. */
export interface Session {
  tenantId: string;
  token: string;
  /** Epoch ms after which the token is refreshed (Cognito) or the person signs in again (local). */
  expiresAt: number;
  refreshToken?: string;
}

const STORAGE_KEY = 'sms-console.session';
const PKCE_KEY = 'sms-console.pkce';
/** Local tokens live 12 h; the console asks again a little before. */
const LOCAL_TOKEN_LIFETIME_MS = 11 * 60 * 60 * 1000;

export function readStoredSession(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return undefined;
    const session = JSON.parse(raw) as Session;
    return typeof session.token === 'string' && typeof session.tenantId === 'string' ? session : undefined;
  } catch {
    return undefined;
  }
}

export function storeSession(session: Session | undefined): void {
  if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(STORAGE_KEY);
}

/** The local stack's sign-in: `POST /local/token {tenantId}` (local only, so not in the OpenAPI document). */
export async function signInLocal(tenantId: string, apiUrl = ''): Promise<Session> {
  const response = await fetch(`${apiUrl}/local/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenantId }),
  });
  const body = (await response.json().catch(() => ({}))) as {
    token?: string;
    error?: { message?: string; details?: { path: string; message: string }[] };
  };
  if (!response.ok || typeof body.token !== 'string') {
    const detail = body.error?.details?.find((issue) => issue.path === 'tenantId');
    throw new Error(
      detail ? `Tenant ${detail.message}` : (body.error?.message ?? `Sign-in failed (${response.status})`),
    );
  }
  return { tenantId, token: body.token, expiresAt: Date.now() + LOCAL_TOKEN_LIFETIME_MS };
}

function base64Url(bytes: ArrayBuffer | Uint8Array): string {
  const array = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let text = '';
  for (const byte of array) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomToken(bytes = 32): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** The claims of a JWT, read without checking it: the API checks every token; the console only reads the tenant. */
export function jwtClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? '';
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    return JSON.parse(json) as Record<string, unknown>;
  } catch {
    return {};
  }
}

type CognitoConfig = Extract<RuntimeConfig, { auth: 'cognito' }>;

const redirectUri = () => `${location.origin}/`;

/** Cognito's hosted sign-in with the authorization code flow and PKCE (S256): no secret lives in the browser. */
export async function beginCognitoSignIn(config: CognitoConfig): Promise<void> {
  const verifier = randomToken(48);
  const state = randomToken(16);
  const challenge = base64Url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state, returnTo: location.pathname + location.search }));
  const url = new URL('/oauth2/authorize', config.cognitoDomain);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    scope: (config.scopes ?? ['openid', 'email', 'profile']).join(' '),
    state,
    code_challenge_method: 'S256',
    code_challenge: challenge,
  }).toString();
  location.assign(url.toString());
}

async function tokenRequest(config: CognitoConfig, params: Record<string, string>): Promise<Session> {
  const response = await fetch(new URL('/oauth2/token', config.cognitoDomain), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: config.clientId, ...params }).toString(),
  });
  const body = (await response.json()) as {
    id_token?: string;
    refresh_token?: string;
    expires_in?: number;
    error?: string;
  };
  if (!response.ok || !body.id_token) throw new Error(`Sign-in failed: ${body.error ?? response.status}`);
  // The ID token carries custom:tenantId, which the API's authorizer hands to the handlers.
  const claims = jwtClaims(body.id_token);
  const tenantId = String(claims['custom:tenantId'] ?? claims.tenantId ?? '');
  return {
    tenantId,
    token: body.id_token,
    expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000 - 60_000,
    ...(body.refresh_token || params.refresh_token ? { refreshToken: body.refresh_token ?? params.refresh_token } : {}),
  };
}

/** Finishes the code flow when Cognito sends the browser back with `?code=&state=`; undefined when it did not. */
export async function completeCognitoSignIn(config: CognitoConfig): Promise<Session | undefined> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  if (!code) return undefined;
  const pending = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? '{}') as {
    verifier?: string;
    state?: string;
    returnTo?: string;
  };
  sessionStorage.removeItem(PKCE_KEY);
  // A code without our state is not the answer to our request: refuse it (CSRF).
  if (!pending.verifier || pending.state !== params.get('state')) throw new Error('Sign-in failed: state mismatch');
  const session = await tokenRequest(config, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri(),
    code_verifier: pending.verifier,
  });
  history.replaceState(null, '', pending.returnTo && pending.returnTo !== '/' ? pending.returnTo : '/campaigns');
  return session;
}

export async function refreshCognitoSession(config: CognitoConfig, session: Session): Promise<Session | undefined> {
  if (!session.refreshToken) return undefined;
  try {
    return await tokenRequest(config, { grant_type: 'refresh_token', refresh_token: session.refreshToken });
  } catch {
    return undefined;
  }
}

export function cognitoLogoutUrl(config: CognitoConfig): string {
  const url = new URL('/logout', config.cognitoDomain);
  url.search = new URLSearchParams({ client_id: config.clientId, logout_uri: redirectUri() }).toString();
  return url.toString();
}
