import { useEffect, useState, type FormEvent } from 'react';
import { GovernanceSettingsSchema, type GovernanceSettings } from '../../../../shared/schemas/governance';
import { api } from '../../api/endpoints';
import { ErrorSummary, TextField } from '../../components/fields';
import { Async, DateTime, Notice, Page, useAsync } from '../../components/ui';
import { errorsFromApi, validate, type FieldErrors } from '../../lib/forms';

const SETTINGS: { key: keyof GovernanceSettings; label: string; hint: string; min: number; max: number }[] = [
  { key: 'adminApprovalsRequired', label: 'Admin approvals needed per proposal', hint: 'How many consortium admins must approve (1 to 5).', min: 1, max: 5 },
  { key: 'providerResponseDays', label: 'Provider response window, in days', hint: 'After this, a proposal with a pending consent is flagged overdue (1 to 180).', min: 1, max: 180 },
  { key: 'maxGrantDays', label: 'Longest grant, in days', hint: 'No proposal period may exceed it, whatever the datasets allow (1 to 1825).', min: 1, max: 1825 },
  { key: 'closureDeadlineDays', label: 'Closure deadline, in days', hint: 'Time after a grant ends to attest deletion and report outcomes (1 to 365).', min: 1, max: 365 },
  { key: 'agreementGraceDays', label: 'Agreement grace period, in days', hint: 'Default time to re-sign a new agreement version (0 to 365).', min: 0, max: 365 },
];
const FIELDS = SETTINGS.map((s) => s.key);

/** Consortium-wide policy (GET/PUT /v1/governance). */
export function GovernancePage() {
  const current = useAsync(() => api.governance(), []);
  const [values, setValues] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (current.status === 'ready') setValues(Object.fromEntries(SETTINGS.map((s) => [s.key, String(current.data[s.key])])));
  }, [current.status, current.data]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const body = Object.fromEntries(SETTINGS.map((s) => [s.key, values[s.key]?.trim() === '' ? undefined : Number(values[s.key])]));
    const checked = validate(GovernanceSettingsSchema, body, FIELDS);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    setBusy(true);
    try {
      current.set(await api.putGovernance(checked.value));
      setSaved(true);
    } catch (error) {
      setErrors(errorsFromApi(error, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title="Governance">
      <Async state={current} label="Loading the settings…">
        {(settings) => (
          <form onSubmit={(e) => void submit(e)} noValidate className="narrow">
            <p className="muted">
              {settings.updatedAt ? (
                <>
                  Last changed <DateTime iso={settings.updatedAt} /> by {settings.updatedBy}.
                </>
              ) : (
                'These are the defaults; nobody has changed them yet.'
              )}
            </p>
            <ErrorSummary errors={errors} />
            {saved ? (
              <Notice tone="success" role="status">
                Saved.
              </Notice>
            ) : null}
            {SETTINGS.map((s) => (
              <TextField
                key={s.key}
                name={s.key}
                label={s.label}
                hint={s.hint}
                type="number"
                inputMode="numeric"
                min={s.min}
                max={s.max}
                required
                value={values[s.key] ?? ''}
                onChange={(value) => {
                  setSaved(false);
                  setValues((v) => ({ ...v, [s.key]: value }));
                }}
                error={errors[s.key]}
              />
            ))}
            <button type="submit" disabled={busy}>
              {busy ? 'Saving…' : 'Save settings'}
            </button>
          </form>
        )}
      </Async>
    </Page>
  );
}
