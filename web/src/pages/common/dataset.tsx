import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { api, type SampleList } from '../../api/endpoints';
import { useMe } from '../../auth/session';
import { DatasetMetadataView } from '../../components/dataset-metadata';
import { Async, BackLink, Badge, DateTime, ErrorState, Loading, Notice, Page, TableWrap, useAsync } from '../../components/ui';
import { formatBytes, shortHash } from '../../lib/format';
import { isMemberOrg } from '../../lib/navigation';

function Samples({ datasetId }: { datasetId: string }) {
  const [state, setState] = useState<{ status: 'idle' } | { status: 'loading' } | { status: 'ready'; samples: SampleList } | { status: 'error'; error: unknown }>({
    status: 'idle',
  });
  const load = async () => {
    setState({ status: 'loading' });
    try {
      setState({ status: 'ready', samples: await api.samples(datasetId) });
    } catch (error) {
      setState({ status: 'error', error });
    }
  };
  return (
    <section aria-labelledby="samples">
      <h2 id="samples">Sample files</h2>
      <p>Samples show the data's shape before you propose a project. Download links are made for you and last a few minutes.</p>
      {state.status === 'idle' ? (
        <button type="button" onClick={() => void load()}>
          Get sample download links
        </button>
      ) : null}
      {state.status === 'loading' ? <Loading label="Making download links…" /> : null}
      {state.status === 'error' ? (
        state.error instanceof ApiError && state.error.code === 'agreement_not_signed' ? (
          <Notice tone="warning" role="alert">
            {state.error.message}. <Link to="/agreement">Go to the agreement</Link>
          </Notice>
        ) : (
          <ErrorState error={state.error} retry={() => void load()} title="The sample links could not be made" />
        )
      ) : null}
      {state.status === 'ready' ? (
        state.samples.items.length === 0 ? (
          <p>This dataset has no sample files.</p>
        ) : (
          <>
            <ul className="file-list">
              {state.samples.items.map((sample) => (
                <li key={sample.fileId}>
                  <a href={sample.url} download={sample.name} className="button secondary">
                    Download {sample.name}
                  </a>{' '}
                  <span className="muted">
                    {formatBytes(sample.size)} · SHA-256 <code title={sample.sha256 ?? ''}>{shortHash(sample.sha256)}</code> · link valid until{' '}
                    <DateTime iso={sample.expiresAt} />
                  </span>
                </li>
              ))}
            </ul>
            <button type="button" className="secondary small" onClick={() => void load()}>
              Make new links
            </button>
          </>
        )
      ) : null}
    </section>
  );
}

/** A dataset as a signed-in user sees it: metadata, data dictionary, quality, published files, samples. */
export function DatasetPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const dataset = useAsync(async () => (await api.dataset(id)).data, [id]);
  return (
    <Page title={dataset.status === 'ready' ? dataset.data.metadata.title : 'Dataset'}>
      <BackLink to="/catalog">Catalog</BackLink>
      <Async state={dataset} label="Loading the dataset…">
        {(d) => {
          const published = d.files.filter((f) => f.version === d.publishedVersion && f.status === 'ready');
          return (
            <>
              <p className="subtitle">
                {d.providerName} · <Badge value={d.state} /> {d.publishedVersion ? `· version ${d.publishedVersion}, published ` : ''}
                {d.publishedAt ? <DateTime iso={d.publishedAt} /> : null}
              </p>
              {d.state === 'retired' ? (
                <Notice tone="warning">
                  Retired on <DateTime iso={d.retiredAt} />: {d.retiredReason}
                </Notice>
              ) : null}
              {d.providerOrgId === me.organization.id ? (
                <p>
                  <Link to={`/provider/datasets/${d.id}`}>Manage this dataset</Link>
                </p>
              ) : null}
              {isMemberOrg(me) && d.state === 'published' ? (
                <p>
                  <Link className="button" to={`/proposals/new?dataset=${encodeURIComponent(d.id)}`}>
                    Propose a project with this dataset
                  </Link>
                </p>
              ) : null}
              <DatasetMetadataView metadata={d.metadata} />
              <h2>Files in version {d.publishedVersion ?? '—'}</h2>
              {published.length === 0 ? (
                <p>No published files.</p>
              ) : (
                <TableWrap label="Published files">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">File</th>
                        <th scope="col">Size</th>
                        <th scope="col">SHA-256</th>
                        <th scope="col">Sample</th>
                      </tr>
                    </thead>
                    <tbody>
                      {published.map((file) => (
                        <tr key={file.id}>
                          <td>{file.name}</td>
                          <td>{formatBytes(file.size)}</td>
                          <td>
                            <code title={file.sha256 ?? ''}>{shortHash(file.sha256)}</code>
                          </td>
                          <td>{file.sample ? 'Yes' : 'No'}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableWrap>
              )}
              <p className="muted">Full files are downloaded through a grant once a proposal is approved.</p>
              <Samples datasetId={d.id} />
            </>
          );
        }}
      </Async>
    </Page>
  );
}
