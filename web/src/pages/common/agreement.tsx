import { useRef, useState } from 'react';
import { SignAgreementRequestSchema } from '../../../../shared/schemas/agreement';
import { ApiError, newIdempotencyKey } from '../../api/client';
import { api } from '../../api/endpoints';
import { useMe, useSession } from '../../auth/session';
import { CheckboxField, ErrorSummary } from '../../components/fields';
import { Markdown } from '../../components/markdown';
import { Async, Badge, DateTime, Empty, Notice, Page, useAsync } from '../../components/ui';
import { errorsFromApi, validate, type FieldErrors } from '../../lib/forms';
import { isOrgAdmin } from '../../lib/navigation';

const STANDING: Record<string, string> = {
  signed: 'Signed the current version',
  grace: 'Signed an earlier version; in the grace period',
  unsigned: 'Not signed',
  outdated: 'Signed an earlier version; the grace period has ended',
  no_agreement: 'No agreement has been published yet',
};

/** One earlier version: its text is read when the reader opens it. */
function PastVersion({ version, publishedAt, summary }: { version: number; publishedAt: string; summary?: string | null }) {
  const [text, setText] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const load = () => {
    if (text !== null) return;
    api.agreementVersion(version).then((v) => setText(v.text), () => setFailed(true));
  };
  return (
    <details className="card" onToggle={load}>
      <summary>
        Version {version}, published <DateTime iso={publishedAt} />
      </summary>
      {summary ? <p>What changed: {summary}</p> : null}
      {failed ? <Notice tone="danger">This version could not be loaded; try again.</Notice> : text === null ? <p>Loading…</p> : <Markdown source={text} baseLevel={3} />}
    </details>
  );
}

/** Every version before the current one stays readable: what an organisation signed is never lost. */
function PastVersions({ current }: { current: number }) {
  const versions = useAsync(async () => (await api.agreementVersions()).items.filter((v) => v.version < current), [current]);
  return (
    <Async state={versions} label="Loading earlier versions…">
      {(items) =>
        items.length ? (
          <section aria-labelledby="past-versions">
            <h2 id="past-versions">Earlier versions</h2>
            {items.map((v) => (
              <PastVersion key={v.version} version={v.version} publishedAt={v.publishedAt} summary={v.summary} />
            ))}
          </section>
        ) : null
      }
    </Async>
  );
}

/** The current agreement: its text, version and hash; org-admins sign it for their organisation. */
export function AgreementPage() {
  const me = useMe();
  const { refresh } = useSession();
  const agreement = useAsync(async () => {
    try {
      return await api.agreement();
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null; // nothing published yet
      throw error;
    }
  }, []);
  const [confirmed, setConfirmed] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [signedNow, setSignedNow] = useState<string | null>(null);
  const key = useRef(newIdempotencyKey());

  const standing = me.agreement;
  const needsSignature = standing.state === 'unsigned' || standing.state === 'outdated' || standing.state === 'grace';

  return (
    <Page title="Common data agreement">
      <Async state={agreement} label="Loading the agreement…">
        {(current) => {
          if (!current) return <Empty title="No agreement has been published yet."><p>The secretariat publishes the first version; nothing needs signing until then.</p></Empty>;
          const sign = async () => {
            if (!confirmed) {
              setErrors({ confirm: 'Confirm that you have read this version and sign it for your organisation' });
              return;
            }
            const checked = validate(SignAgreementRequestSchema, { version: current.version, sha256: current.sha256 }, []);
            if (!checked.ok) {
              setErrors(checked.errors);
              return;
            }
            setBusy(true);
            setErrors({});
            try {
              const signature = await api.signAgreement(checked.value, key.current);
              key.current = newIdempotencyKey();
              setSignedNow(signature.signedAt);
              await refresh();
            } catch (error) {
              setErrors(errorsFromApi(error, ['confirm']));
              if (error instanceof ApiError && error.code === 'agreement_changed') agreement.reload();
            } finally {
              setBusy(false);
            }
          };
          return (
            <>
              <dl className="facts">
                <div>
                  <dt>Version</dt>
                  <dd>{current.version}</dd>
                </div>
                <div>
                  <dt>Published</dt>
                  <dd>
                    <DateTime iso={current.publishedAt} />
                  </dd>
                </div>
                <div>
                  <dt>SHA-256 of the text</dt>
                  <dd>
                    <code className="hash">{current.sha256}</code>
                  </dd>
                </div>
                <div>
                  <dt>{me.organization.name}</dt>
                  <dd>
                    <Badge value={standing.state} label={STANDING[standing.state]} />
                    {standing.signedVersion !== null ? ` (signed version ${standing.signedVersion})` : ''}
                  </dd>
                </div>
              </dl>
              {signedNow ? (
                <Notice tone="success" role="status">
                  Signed version {current.version} for {me.organization.name} on <DateTime iso={signedNow} />.
                </Notice>
              ) : null}
              {current.summary ? <Notice tone="info">What changed in version {current.version}: {current.summary}</Notice> : null}
              <section aria-labelledby="agreement-text" className="agreement-text" tabIndex={0}>
                <h2 id="agreement-text" className="visually-hidden">
                  Text of version {current.version}
                </h2>
                <Markdown source={current.text} baseLevel={2} />
              </section>
              {needsSignature && !signedNow ? (
                isOrgAdmin(me) ? (
                  <section className="card sign-box" aria-labelledby="sign-heading">
                    <h2 id="sign-heading">Sign version {current.version}</h2>
                    <ErrorSummary errors={errors} />
                    <CheckboxField
                      name="confirm"
                      label={`I have read version ${current.version} of the agreement and sign it on behalf of ${me.organization.name}.`}
                      hint={`You sign exactly this text: its SHA-256 is ${current.sha256.slice(0, 16)}…`}
                      checked={confirmed}
                      onChange={setConfirmed}
                      error={errors.confirm}
                    />
                    <button type="button" onClick={() => void sign()} disabled={busy}>
                      {busy ? 'Signing…' : `Sign version ${current.version}`}
                    </button>
                  </section>
                ) : (
                  <Notice tone="warning">Only an org-admin of {me.organization.name} can sign the agreement. Ask one of them to sign it.</Notice>
                )
              ) : null}
              <PastVersions current={current.version} />
            </>
          );
        }}
      </Async>
    </Page>
  );
}
