import { type FormEvent, useState } from 'react';
import { must } from '../api/client';
import { useApp } from '../app-context';
import { navigate } from '../lib/router';
import { FormError, TextField, useFieldErrors } from '../ui/forms';
import { Card } from '../ui/parts';

/** Tags typed as "VIP, Buyer Lead": trimmed, empty ones dropped. */
export const parseTags = (text: string) =>
  text
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean);

/**
 * One new contact through `POST /v1/contacts` (the API stores the phone in E.164 and infers the time zone); the
 * contact's page opens once it is saved. Consent is asked for explicitly: marketing texts need it.
 */
export function AddContactForm({ onCancel }: { onCancel: () => void }) {
  const { api } = useApp();
  const [phone, setPhone] = useState('');
  const [firstName, setFirstName] = useState('');
  const [tags, setTags] = useState('');
  const [consented, setConsented] = useState(false);
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(['phone', 'firstName', 'tags', 'smsConsent']);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    errors.clear();
    setBusy(true);
    try {
      const contact = await must(
        api.POST('/v1/contacts', {
          body: {
            phone,
            ...(firstName.trim() ? { firstName: firstName.trim() } : {}),
            tags: parseTags(tags),
            smsConsent: consented ? 'opted_in' : 'unknown',
          },
        }),
      );
      navigate(`/contacts/${contact.id}`);
    } catch (error) {
      errors.fail(error);
      setBusy(false);
    }
  };
  return (
    <Card title="Add a contact">
      <form onSubmit={submit} noValidate>
        <FormError message={errors.general} />
        <TextField
          label="Phone"
          type="tel"
          name="phone"
          autoComplete="off"
          value={phone}
          hint="With its country code, or a number of your business's country."
          error={errors.at('phone')}
          onChange={(event) => setPhone(event.target.value)}
        />
        <TextField
          label="First name"
          name="firstName"
          autoComplete="off"
          value={firstName}
          error={errors.at('firstName')}
          onChange={(event) => setFirstName(event.target.value)}
        />
        <TextField
          label="Tags"
          name="tags"
          value={tags}
          hint="Separated by commas, e.g. VIP, Buyer Lead."
          error={errors.at('tags')}
          onChange={(event) => setTags(event.target.value)}
        />
        <label className="checkbox">
          <input type="checkbox" checked={consented} onChange={(event) => setConsented(event.target.checked)} /> They
          agreed to receive marketing texts
        </label>
        <div className="step-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Adding…' : 'Add contact'}
          </button>
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </Card>
  );
}
