import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { RetireDatasetRequestSchema, type Dataset, type DatasetFile } from '../../../../shared/schemas/dataset';
import { api } from '../../api/endpoints';
import { useMe } from '../../auth/session';
import { DatasetMetadataView } from '../../components/dataset-metadata';
import { ErrorSummary, TextArea } from '../../components/fields';
import { FileUploader } from '../../components/file-uploader';
import { Async, BackLink, Badge, DateTime, Notice, Page, TableWrap, useAsync } from '../../components/ui';
import { formatBytes, shortHash } from '../../lib/format';
import { errorsFromApi, FORM, validate, type FieldErrors } from '../../lib/forms';
import { publishReadiness, verificationPollDelay } from '../../lib/upload';

function SampleToggle({ dataset, file, onChanged }: { dataset: Dataset; file: DatasetFile; onChanged: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Shown at once, put back if the server refuses.
  const [checked, setChecked] = useState(file.sample);
  useEffect(() => setChecked(file.sample), [file.sample]);
  const id = `sample-${file.id}`;
  return (
    <div className="field checkbox compact">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        disabled={busy || dataset.state === 'retired'}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={async (e) => {
          const next = e.target.checked;
          setChecked(next);
          setBusy(true);
          setError(null);
          try {
            await api.setSample(dataset.id, file.id, next);
            onChanged();
          } catch (failure) {
            setChecked(!next);
            setError(failure instanceof Error ? failure.message : String(failure));
          } finally {
            setBusy(false);
          }
        }}
      />
      <label htmlFor={id}>
        Sample<span className="visually-hidden"> ({file.name})</span>
      </label>
      {error ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** Takes a file out of the draft version (a rejected one must go before the version can be published). */
function RemoveFile({ dataset, file, onChanged }: { dataset: Dataset; file: DatasetFile; onChanged: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        className="secondary small"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            await api.removeFile(dataset.id, file.id);
            onChanged();
          } catch (failure) {
            setError(failure instanceof Error ? failure.message : String(failure));
            setBusy(false);
          }
        }}
      >
        Remove<span className="visually-hidden"> {file.name}</span>
      </button>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
}

const STATE_HINT: Partial<Record<DatasetFile['status'], string>> = {
  pending: 'upload not completed',
  verifying: 'being copied and hashed',
};

function FilesTable({
  dataset,
  files,
  label,
  onChanged,
  removable = false,
}: {
  dataset: Dataset;
  files: DatasetFile[];
  label: string;
  onChanged: () => void;
  /** Draft files can be removed; published ones are frozen. */
  removable?: boolean;
}) {
  return (
    <TableWrap label={label}>
      <table>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Size</th>
            <th scope="col">State</th>
            <th scope="col">SHA-256</th>
            <th scope="col">Uploaded</th>
            <th scope="col">Sample</th>
            {removable ? <th scope="col">Remove</th> : null}
          </tr>
        </thead>
        <tbody>
          {files.map((file) => (
            <tr key={file.id}>
              <td>{file.name}</td>
              <td>{formatBytes(file.size)}</td>
              <td>
                <Badge value={file.status} />
                {STATE_HINT[file.status] ? <span className="muted"> ({STATE_HINT[file.status]})</span> : null}
                {file.status === 'rejected' && file.rejectedReason ? <p className="field-error">{file.rejectedReason}</p> : null}
              </td>
              <td>
                <code title={file.sha256 ?? ''}>{shortHash(file.sha256)}</code>
              </td>
              <td>
                <DateTime iso={file.uploadedAt} />
              </td>
              <td>
                <SampleToggle dataset={dataset} file={file} onChanged={onChanged} />
              </td>
              {removable ? (
                <td>
                  <RemoveFile dataset={dataset} file={file} onChanged={onChanged} />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function PublishPanel({ dataset, mayAct, onPublished }: { dataset: Dataset; mayAct: boolean; onPublished: (version: number) => void }) {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const files = publishReadiness(dataset.files.filter((f) => f.version === dataset.draftVersion));
  const publish = async () => {
    setBusy(true);
    setErrors({});
    try {
      const result = await api.publishVersion(dataset.id);
      onPublished(result.version);
    } catch (error) {
      setErrors(errorsFromApi(error, []));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="publish">
      <h2 id="publish">Publish version {dataset.draftVersion}</h2>
      <p>
        Publishing freezes the list of files in version {dataset.draftVersion} ({files.ready} ready) and makes it what the catalog offers.
        Later uploads go into the next version. Every file must be verified (ready) first.
      </p>
      <ErrorSummary errors={errors} title="The version was not published" />
      {!mayAct ? <Notice tone="warning">Your organisation must sign the current agreement before it publishes.</Notice> : null}
      {files.canPublish ? (
        <button type="button" onClick={() => void publish()} disabled={busy || !mayAct}>
          {busy ? 'Publishing…' : `Publish version ${dataset.draftVersion}`}
        </button>
      ) : files.notReady.length === 0 ? (
        <p className="hint">Upload at least one file first.</p>
      ) : (
        <p className="hint" role="status">
          Not ready yet: {files.notReady.map((f) => `${f.name} (${f.status})`).join(', ')}.{' '}
          {files.verifying ? 'Verification is under way; this page updates by itself.' : 'Remove a rejected or unfinished file, or upload it again.'}
        </p>
      )}
    </section>
  );
}

function RetirePanel({ dataset, onRetired }: { dataset: Dataset; onRetired: () => void }) {
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const retire = async () => {
    const checked = validate(RetireDatasetRequestSchema, { reason }, ['reason']);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    setBusy(true);
    try {
      await api.retireDataset(dataset.id, checked.value.reason);
      onRetired();
    } catch (error) {
      setErrors(errorsFromApi(error, ['reason']));
    } finally {
      setBusy(false);
    }
  };
  return (
    <details className="card danger-zone">
      <summary>Retire this dataset</summary>
      <p>A retired dataset leaves the catalog and takes no new proposals. This cannot be undone.</p>
      {errors[FORM] ? <ErrorSummary errors={{ [FORM]: errors[FORM] }} /> : null}
      <TextArea name="reason" label="Why it is retired" required hint="Members with proposals see this (10 to 512 characters)." value={reason} onChange={setReason} error={errors.reason} />
      <button type="button" className="danger" onClick={() => void retire()} disabled={busy}>
        {busy ? 'Retiring…' : 'Retire dataset'}
      </button>
    </details>
  );
}

/** A provider's own dataset: files per version, upload, samples, publish, retire, and its metadata. */
export function DatasetManagePage() {
  const { id = '' } = useParams();
  const me = useMe();
  const location = useLocation();
  const created = (location.state as { created?: boolean } | null)?.created === true;
  const dataset = useAsync(async () => (await api.dataset(id)).data, [id]);
  const [published, setPublished] = useState<number | null>(null);

  // While a file verifies, read the dataset again, less and less often, until none does.
  const polls = useRef(0);
  const verifying = dataset.status === 'ready' && dataset.data.files.some((f) => f.status === 'verifying');
  useEffect(() => {
    if (!verifying) {
      polls.current = 0;
      return;
    }
    const timer = setTimeout(dataset.reload, verificationPollDelay(polls.current++));
    return () => clearTimeout(timer);
  }, [verifying, dataset.status === 'ready' ? dataset.data : null, dataset.reload]);

  return (
    <Page
      title={dataset.status === 'ready' ? dataset.data.metadata.title : 'Dataset'}
      actions={
        dataset.status === 'ready' && dataset.data.state !== 'retired' ? (
          <Link className="button secondary" to={`/provider/datasets/${id}/edit`}>
            Edit metadata
          </Link>
        ) : null
      }
    >
      <BackLink to="/provider/datasets">My datasets</BackLink>
      <Async state={dataset} label="Loading the dataset…">
        {(d) => {
          if (d.providerOrgId !== me.organization.id) {
            return (
              <Notice tone="warning">
                This dataset belongs to {d.providerName}. <Link to={`/catalog/${d.id}`}>See it in the catalog</Link>
              </Notice>
            );
          }
          const draftFiles = d.files.filter((f) => f.version === d.draftVersion);
          const earlier = [...new Set(d.files.filter((f) => f.version !== d.draftVersion).map((f) => f.version))].sort((a, b) => b - a);
          return (
            <>
              <p className="subtitle">
                <Badge value={d.state} /> · {d.publishedVersion ? `version ${d.publishedVersion} published ` : 'not published yet'}
                {d.publishedAt ? <DateTime iso={d.publishedAt} /> : null} · revision {d.revision}
                {d.state === 'published' ? (
                  <>
                    {' '}
                    · <Link to={`/catalog/${d.id}`}>View in the catalog</Link>
                  </>
                ) : null}
              </p>
              {created ? (
                <Notice tone="success" role="status">
                  The draft is saved. Upload its files, then publish version 1.
                </Notice>
              ) : null}
              {published ? (
                <Notice tone="success" role="status">
                  Version {published} is published.
                </Notice>
              ) : null}
              {d.state === 'retired' ? (
                <Notice tone="warning">
                  Retired on <DateTime iso={d.retiredAt} />: {d.retiredReason}
                </Notice>
              ) : null}

              <h2>Files of version {d.draftVersion} (not published yet)</h2>
              {draftFiles.length ? (
                <FilesTable dataset={d} files={draftFiles} label={`Files of version ${d.draftVersion}`} onChanged={dataset.reload} removable={d.state !== 'retired'} />
              ) : (
                <p>No files in version {d.draftVersion} yet.</p>
              )}
              {d.state !== 'retired' ? (
                <>
                  <FileUploader datasetId={d.id} version={d.draftVersion} onUploaded={dataset.reload} files={draftFiles} />
                  <PublishPanel
                    dataset={d}
                    mayAct={me.agreement.mayAct}
                    onPublished={(version) => {
                      setPublished(version);
                      dataset.reload();
                    }}
                  />
                </>
              ) : null}

              {earlier.map((version) => (
                <section key={version}>
                  <h2>
                    Files of version {version}
                    {version === d.publishedVersion ? ' (published)' : ''}
                  </h2>
                  <FilesTable dataset={d} files={d.files.filter((f) => f.version === version)} label={`Files of version ${version}`} onChanged={dataset.reload} />
                </section>
              ))}

              <h2>Metadata</h2>
              <DatasetMetadataView metadata={d.metadata} headingLevel={3} />
              {d.state !== 'retired' ? <RetirePanel dataset={d} onRetired={dataset.reload} /> : null}
            </>
          );
        }}
      </Async>
    </Page>
  );
}
