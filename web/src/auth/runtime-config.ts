/**
 * What the console needs to know about where it runs, read from `/config.json` next to `index.html`: the local stack
 * serves `{"auth": "local"}`; the web CDK stack writes the Cognito domain and client id there at deploy time.
 */
export type RuntimeConfig =
  | { auth: 'local'; apiUrl?: string }
  | { auth: 'cognito'; apiUrl?: string; cognitoDomain: string; clientId: string; scopes?: string[] };

export async function loadRuntimeConfig(): Promise<RuntimeConfig> {
  try {
    const response = await fetch('/config.json', { headers: { accept: 'application/json' } });
    if (!response.ok) return { auth: 'local' };
    const config = (await response.json()) as Partial<RuntimeConfig>;
    if (config.auth === 'cognito' && typeof config.cognitoDomain === 'string' && typeof config.clientId === 'string') {
      return config as RuntimeConfig;
    }
    return { auth: 'local', ...(typeof config.apiUrl === 'string' ? { apiUrl: config.apiUrl } : {}) };
  } catch {
    return { auth: 'local' };
  }
}
