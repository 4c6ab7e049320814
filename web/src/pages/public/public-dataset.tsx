import { Link, useParams } from 'react-router';
import { api } from '../../api/endpoints';
import { DatasetMetadataView } from '../../components/dataset-metadata';
import { Async, BackLink, DateTime, Page, useAsync } from '../../components/ui';

/** One published dataset's public metadata (GET /v1/public/datasets/{id}). */
export function PublicDatasetPage() {
  const { id = '' } = useParams();
  const dataset = useAsync(() => api.publicDataset(id), [id]);
  return (
    <Page title={dataset.status === 'ready' ? dataset.data.metadata.title : 'Dataset'}>
      <BackLink to="/public/datasets">Public catalog</BackLink>
      <Async state={dataset} label="Loading the dataset…">
        {(d) => (
          <>
            <p className="subtitle">
              {d.providerName} · version {d.publishedVersion ?? '—'}, published <DateTime iso={d.publishedAt} />
            </p>
            <DatasetMetadataView metadata={d.metadata} />
            <p>
              To use this data, a member organisation <Link to="/sign-in">signs in</Link>, signs the common agreement and submits a proposal.
            </p>
          </>
        )}
      </Async>
    </Page>
  );
}
