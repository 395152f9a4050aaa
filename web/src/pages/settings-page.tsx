import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { must } from '../api/client';
import type { SenderNumber, Settings } from '../api/types';
import { useApp } from '../app-context';
import { DAY_NAMES, DAYS, timeZones } from '../lib/format';
import { useAsync } from '../lib/hooks';
import { useTitle } from '../lib/router';
import { type Column, DataTable } from '../ui/data-table';
import { FieldError, FormError, SelectField, TextArea, TextField, useFieldErrors } from '../ui/forms';
import { Card, ErrorNote, Loaded, Loading, PageHeader, StatusBadge } from '../ui/parts';

const NUMBER_COLUMNS: Column<SenderNumber>[] = [
  { header: 'Number', cell: (number) => number.number },
  { header: 'Assignment', cell: (number) => (number.assignment === 'pool' ? `Pool ${number.pool ?? ''}` : 'Your own') },
  { header: 'Messages per second', numeric: true, cell: (number) => number.mps },
  { header: 'Used for texts', cell: (number) => (number.selected ? <StatusBadge status="active" /> : '—') },
];

type Form = Pick<Settings, 'businessName' | 'defaultTimeZone' | 'sendWindow' | 'autoAppendOptOut' | 'optOutText'>;

/** Business name, send window, opt-out footer, time zone; the sender numbers, which the operator assigns, read-only. */
export default function SettingsPage() {
  useTitle('Settings');
  const { api, refreshSettings } = useApp();
  const settings = useAsync((signal) => must(api.GET('/v1/settings', { signal })), [api]);
  const numbers = useAsync((signal) => must(api.GET('/v1/numbers', { signal })), [api]);
  const [form, setForm] = useState<Form>();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors([
    'businessName',
    'defaultTimeZone',
    'sendWindow.start',
    'sendWindow.end',
    'sendWindow.days',
    'autoAppendOptOut',
    'optOutText',
  ]);
  const zones = useMemo(() => timeZones([form?.defaultTimeZone ?? '']), [form?.defaultTimeZone]);

  useEffect(() => {
    if (settings.data && !form) {
      const { businessName, defaultTimeZone, sendWindow, autoAppendOptOut, optOutText } = settings.data;
      setForm({ businessName, defaultTimeZone, sendWindow, autoAppendOptOut, optOutText });
    }
  }, [settings.data, form]);

  if (settings.error) return <ErrorNote error={settings.error} retry={settings.reload} />;
  if (!form) return <Loading what="settings" />;

  const change = (patch: Partial<Form>) => {
    setSaved(false);
    setForm({ ...form, ...patch });
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    errors.clear();
    setBusy(true);
    try {
      const answer = await must(
        api.PATCH('/v1/settings', {
          body: { ...form, businessName: form.businessName?.trim() ? form.businessName.trim() : null },
        }),
      );
      settings.set(answer);
      setSaved(true);
      refreshSettings();
    } catch (error) {
      errors.fail(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader title="Settings" />
      <form className="card" onSubmit={submit} noValidate aria-labelledby="business">
        <h2 id="business">Business</h2>
        <FormError message={errors.general} />
        <TextField
          label="Business name"
          name="businessName"
          value={form.businessName ?? ''}
          hint="Marketing texts should name your business; the composer warns when one does not."
          error={errors.at('businessName')}
          onChange={(event) => change({ businessName: event.target.value })}
        />
        <SelectField
          label="Time zone"
          name="defaultTimeZone"
          value={form.defaultTimeZone}
          hint="For contacts whose time zone cannot be told from their number, and for dates shown here."
          error={errors.at('defaultTimeZone')}
          onChange={(event) => change({ defaultTimeZone: event.target.value })}
        >
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone.replace(/_/g, ' ')}
            </option>
          ))}
        </SelectField>
        <fieldset className="group">
          <legend>Send window</legend>
          <p className="hint">
            Marketing texts go out only inside this window, in each recipient's own time zone; never outside
            08:00–21:00.
          </p>
          <div className="two-columns">
            <TextField
              label="From"
              type="time"
              name="sendWindow.start"
              value={form.sendWindow.start}
              error={errors.at('sendWindow.start', 'sendWindow')}
              onChange={(event) => change({ sendWindow: { ...form.sendWindow, start: event.target.value } })}
            />
            <TextField
              label="Until"
              type="time"
              name="sendWindow.end"
              value={form.sendWindow.end}
              error={errors.at('sendWindow.end')}
              onChange={(event) => change({ sendWindow: { ...form.sendWindow, end: event.target.value } })}
            />
          </div>
          <fieldset className="days">
            <legend>Days</legend>
            {DAYS.map((day) => (
              <label key={day} className="checkbox">
                <input
                  type="checkbox"
                  checked={form.sendWindow.days.includes(day)}
                  onChange={(event) =>
                    change({
                      sendWindow: {
                        ...form.sendWindow,
                        days: event.target.checked
                          ? DAYS.filter((one) => one === day || form.sendWindow.days.includes(one))
                          : form.sendWindow.days.filter((one) => one !== day),
                      },
                    })
                  }
                />{' '}
                {DAY_NAMES[day]}
              </label>
            ))}
            <FieldError message={errors.at('sendWindow.days')} />
          </fieldset>
        </fieldset>
        <fieldset className="group">
          <legend>Opt-out footer</legend>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={form.autoAppendOptOut}
              onChange={(event) => change({ autoAppendOptOut: event.target.checked })}
            />{' '}
            Append the footer to marketing texts
          </label>
          <TextArea
            label="Footer text"
            name="optOutText"
            rows={2}
            value={form.optOutText}
            error={errors.at('optOutText', 'autoAppendOptOut')}
            onChange={(event) => change({ optOutText: event.target.value })}
          />
        </fieldset>
        <div className="step-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save settings'}
          </button>
          {saved ? <span role="status">Settings saved.</span> : null}
        </div>
      </form>
      <Card title="Sender numbers">
        <p className="hint">Numbers are assigned to your business by the operator; texts go out from the one marked.</p>
        <Loaded
          state={numbers}
          what="numbers"
          isEmpty={(data) => data.items.length === 0}
          empty={<p>No number yet: ask the operator to assign one before sending.</p>}
        >
          {(data) => (
            <DataTable label="Sender numbers" columns={NUMBER_COLUMNS} rows={data.items} rowKey={(n) => n.number} />
          )}
        </Loaded>
      </Card>
    </>
  );
}
