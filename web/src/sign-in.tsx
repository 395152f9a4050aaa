import { type FormEvent, useState } from 'react';
import type { RuntimeConfig } from './auth/runtime-config';
import { useTitle } from './lib/router';
import { FieldError, TextField } from './ui/forms';

/** Local: pick a tenant (a token comes from `/local/token`). On AWS: Cognito's hosted sign-in. */
export function SignIn({
  config,
  error,
  busy,
  onLocal,
  onCognito,
}: {
  config: RuntimeConfig;
  error: string | undefined;
  busy: boolean;
  onLocal: (tenantId: string) => Promise<void>;
  onCognito: () => void;
}) {
  useTitle('Sign in');
  const [tenant, setTenant] = useState('demo');
  const [submitting, setSubmitting] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitting(true);
    await onLocal(tenant.trim());
    setSubmitting(false);
  };
  return (
    <main className="sign-in" id="main">
      <div className="sign-in-card">
        <p className="brand">SMS Console</p>
        <h1>Sign in</h1>
        {config.auth === 'local' ? (
          <form onSubmit={submit} noValidate>
            <p className="hint">
              The local stack has no passwords: choose the business (tenant) to work as. The demo tenant is{' '}
              <code>demo</code>.
            </p>
            <TextField
              label="Tenant"
              name="tenant"
              autoComplete="organization"
              value={tenant}
              onChange={(event) => setTenant(event.target.value)}
              error={error}
              required
            />
            <button type="submit" className="button button-primary" disabled={submitting || busy || !tenant.trim()}>
              {busy ? 'Signing in…' : 'Sign in'}
            </button>
          </form>
        ) : (
          <>
            <FieldError message={error} />
            <button type="button" className="button button-primary" onClick={onCognito}>
              Sign in with your company account
            </button>
          </>
        )}
      </div>
    </main>
  );
}
