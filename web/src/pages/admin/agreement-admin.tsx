import { useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { PublishAgreementVersionRequestSchema } from '../../../../shared/schemas/agreement';
import { ApiError, newIdempotencyKey } from '../../api/client';
import { api } from '../../api/endpoints';
import { useSession } from '../../auth/session';
import { Pager, useCursorPages } from '../../components/catalog-search';
import { ErrorSummary, TextArea, TextField } from '../../components/fields';
import { Async, DateTime, Empty, Notice, Page, TableWrap, useAsync } from '../../components/ui';
import { errorsFromApi, validate, type FieldErrors } from '../../lib/forms';

const FIELDS = ['text', 'graceDays', 'summary'];

function PublishForm({ currentText, onPublished }: { currentText: string; onPublished: (version: number) => void }) {
  const [text, setText] = useState(currentText);
  const [graceDays, setGraceDays] = useState('30');
  const [summary, setSummary] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const key = useRef(newIdempotencyKey());
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = validate(PublishAgreementVersionRequestSchema, { text, graceDays: graceDays.trim() === '' ? undefined : Number(graceDays), summary: summary.trim() || undefined }, FIELDS);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    setBusy(true);
    try {
      const version = await api.publishAgreement(checked.value, key.current);
      key.current = newIdempotencyKey();
      onPublished(version.version);
    } catch (error) {
      setErrors(errorsFromApi(error, FIELDS));
    } finally {
      setBusy(false);
    }
  };
  return (
    <details className="card">
      <summary>Publish a new version</summary>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <p>
          Every organisation must sign the new version. Those that signed the previous one keep working during the grace period; the text
          below starts as the current version's.
        </p>
        <ErrorSummary errors={errors} />
        <TextArea name="text" label="Full text (Markdown)" required rows={16} value={text} onChange={setText} error={errors.text} />
        <TextArea
          name="summary"
          label="What changed (recommended)"
          hint="A few sentences every organisation's admins receive with the date to sign by."
          rows={3}
          value={summary}
          onChange={setSummary}
          error={errors.summary}
        />
        <TextField
          name="graceDays"
          label="Grace period, in days"
          type="number"
          inputMode="numeric"
          min={0}
          max={365}
          hint="Days during which signers of the previous version may keep working (0 to 365)."
          value={graceDays}
          onChange={setGraceDays}
          error={errors.graceDays}
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Publishing…' : 'Publish new version'}
        </button>
      </form>
    </details>
  );
}

/** Agreement versions for the secretariat: the current one, publishing the next, and who signed what. */
export function AgreementAdminPage() {
  const { refresh } = useSession();
  const current = useAsync(async () => {
    try {
      return await api.agreement();
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  }, []);
  const paging = useCursorPages('signatures');
  const signatures = useAsync(() => api.signatures({ cursor: paging.cursor }), [paging.cursor]);
  const [published, setPublished] = useState<number | null>(null);
  return (
    <Page title="Agreement versions">
      {published ? (
        <Notice tone="success" role="status">
          Version {published} is published and in force. <Link to="/agreement">Sign it for the secretariat</Link>
        </Notice>
      ) : null}
      <Async state={current} label="Loading the current version…">
        {(version) =>
          version ? (
            <>
              <p>
                Version <strong>{version.version}</strong> is in force, published <DateTime iso={version.publishedAt} /> by {version.publishedBy}, with a
                grace period of {version.graceDays} days. SHA-256 <code className="hash">{version.sha256}</code>. <Link to="/agreement">Read it</Link>
              </p>
              <PublishForm
                currentText={version.text}
                onPublished={(n) => {
                  setPublished(n);
                  current.reload();
                  signatures.reload();
                  void refresh();
                }}
              />
            </>
          ) : (
            <>
              <Empty title="No agreement has been published yet." />
              <PublishForm currentText="" onPublished={(n) => (setPublished(n), current.reload(), void refresh())} />
            </>
          )
        }
      </Async>
      <h2>Signatures</h2>
      <Async state={signatures} label="Loading signatures…">
        {(page) =>
          page.items.length === 0 ? (
            <Empty title="No organisation has signed yet." />
          ) : (
            <>
              <TableWrap label="Signatures">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Organisation</th>
                      <th scope="col">Version</th>
                      <th scope="col">Signed</th>
                      <th scope="col">By</th>
                      <th scope="col">SHA-256</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.items.map((s) => (
                      <tr key={`${s.orgId}-${s.version}`}>
                        <td>{s.orgName}</td>
                        <td>{s.version}</td>
                        <td>
                          <DateTime iso={s.signedAt} />
                        </td>
                        <td>{s.signedBy}</td>
                        <td>
                          <code title={s.sha256}>{s.sha256.slice(0, 12)}…</code>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
              <Pager paging={paging} nextCursor={page.nextCursor} />
            </>
          )
        }
      </Async>
    </Page>
  );
}
