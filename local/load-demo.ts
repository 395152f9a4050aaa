import { demoContacts } from './demo-contacts';

/**
 * `npm run demo:load`: fills the running local stack with the demo tenant ("demo"): settings with
 * a business name, and 300 contacts (tags, time zones across the US, consent states, the
 * simulator numbers). Safe to run twice: the import updates what exists.
 */
async function main() {
  const url = process.env.API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
  const count = Number(process.env.DEMO_CONTACTS ?? 300);
  const call = async (method: string, path: string, body: unknown, token?: string) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(json)}`);
    return json;
  };
  let token: string;
  try {
    token = (await call('POST', '/local/token', { tenantId: 'demo' })).token as string;
  } catch (error) {
    throw new Error(`Is the local stack running at ${url}? Start it with 'npm start'. (${(error as Error).message})`);
  }
  await call('PATCH', '/v1/settings', { businessName: 'Acme Realty', mps: 100 }, token);
  const result = await call('POST', '/v1/contacts/import', { contacts: demoContacts(count) }, token);
  console.log(`demo tenant loaded: ${JSON.stringify(result)}`);
  console.log(`token for tenant "demo": ${token}`);
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
