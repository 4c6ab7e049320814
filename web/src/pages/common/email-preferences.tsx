import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import {
  EMAIL_CATEGORIES,
  EmailPreferencesSchema,
  MANDATORY_EMAIL_CATEGORIES,
  type EmailCategory,
  type EmailFrequency,
  type EmailPreferences,
} from '../../../../shared/schemas/email-preferences';
import { request } from '../../api/client';
import { ErrorSummary, RadioGroup } from '../../components/fields';
import { Async, Notice, Page, useAsync } from '../../components/ui';
import { errorsFromApi, validate, type FieldErrors } from '../../lib/forms';

const CATEGORY_TEXT: Record<EmailCategory, { label: string; hint: string }> = {
  reviews: { label: 'Reviews and consents', hint: 'A proposal submitted for your review or consent, and decisions on proposals.' },
  grants: { label: 'Grants and downloads', hint: 'Access granted, ending, ended or revoked; renewals asked for and decided.' },
  obligations: { label: 'Obligations', hint: 'Deletion attestations and outcome reports due or overdue. These cannot be turned off.' },
  news: { label: 'Consortium news', hint: 'For example a new version of the common data agreement.' },
};

const FREQUENCY_TEXT: Record<EmailFrequency, string> = { immediately: 'Immediately', daily: 'In a daily digest', off: 'Off' };

const FIELDS = [...EMAIL_CATEGORIES];

/** GET/PUT /v1/me/email-preferences: how the signed-in user is emailed, per category. */
export function EmailPreferencesPage() {
  const current = useAsync(async () => (await request<EmailPreferences>('GET', '/v1/me/email-preferences')).data, []);
  const [values, setValues] = useState<EmailPreferences | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (current.status === 'ready') setValues(current.data);
  }, [current.status, current.data]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    // The same schema the API validates with: obligations never off.
    const checked = validate(EmailPreferencesSchema, values, FIELDS);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    setBusy(true);
    try {
      current.set((await request<EmailPreferences>('PUT', '/v1/me/email-preferences', { body: checked.value })).data);
      setSaved(true);
    } catch (error) {
      setErrors(errorsFromApi(error, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page
      title="Email preferences"
      intro={
        <p>
          Everything is also in your <Link to="/notifications">notifications</Link>. Choose, per kind of notice, whether Accord emails you at once,
          once a day in a digest, or not at all.
        </p>
      }
    >
      <Async state={current} label="Loading your email preferences…">
        {() =>
          values ? (
            <form onSubmit={(e) => void submit(e)} noValidate className="narrow">
              <ErrorSummary errors={errors} labels={Object.fromEntries(FIELDS.map((c) => [c, CATEGORY_TEXT[c].label]))} />
              {saved ? (
                <Notice tone="success" role="status">
                  Saved.
                </Notice>
              ) : null}
              {EMAIL_CATEGORIES.map((category) => (
                <RadioGroup<EmailFrequency>
                  key={category}
                  name={category}
                  label={CATEGORY_TEXT[category].label}
                  hint={CATEGORY_TEXT[category].hint}
                  required
                  options={(['immediately', 'daily', 'off'] as const)
                    .filter((f) => f !== 'off' || !MANDATORY_EMAIL_CATEGORIES.includes(category))
                    .map((f) => ({ value: f, label: FREQUENCY_TEXT[f] }))}
                  value={values[category]}
                  onChange={(value) => {
                    setSaved(false);
                    setValues((v) => (v ? { ...v, [category]: value } : v));
                  }}
                  error={errors[category]}
                />
              ))}
              <p className="muted small">Notices about your own access (removal from an organisation, suspension) are always emailed at once.</p>
              <button type="submit" disabled={busy}>
                {busy ? 'Saving…' : 'Save preferences'}
              </button>
            </form>
          ) : null
        }
      </Async>
    </Page>
  );
}
