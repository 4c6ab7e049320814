import { Link } from 'react-router';
import type { Dataset } from '../../../../shared/schemas/dataset';
import { api } from '../../api/endpoints';
import { CatalogSearchForm, Pager, useCatalogFilters, useCursorPages } from '../../components/catalog-search';
import { themeLabel } from '../../components/dataset-metadata';
import { Async, Empty, Page, useAsync } from '../../components/ui';

function DatasetCard({ dataset, to }: { dataset: Pick<Dataset, 'id' | 'providerName' | 'metadata'>; to: string }) {
  const { metadata } = dataset;
  return (
    <li className="card dataset-card">
      <h2>
        <Link to={to}>{metadata.title}</Link>
      </h2>
      <p className="muted">{dataset.providerName}</p>
      <p className="clamp">{metadata.description}</p>
      <p className="tags">
        {metadata.themes.map((theme) => (
          <span className="tag" key={theme}>
            {themeLabel(theme)}
          </span>
        ))}
      </p>
      <p className="small muted">
        Up to {metadata.maxGrantDays} days · {metadata.consentRequired ? 'provider consent required' : 'no provider consent needed'}
      </p>
    </li>
  );
}

export { DatasetCard };

/** The catalog for signed-in users: search, theme filter and cursor paging over GET /v1/datasets. */
export function CatalogPage() {
  const [filters, setFilters] = useCatalogFilters();
  const paging = useCursorPages(JSON.stringify(filters));
  const results = useAsync(() => api.datasets({ q: filters.q, theme: filters.theme, cursor: paging.cursor }), [filters.q, filters.theme, paging.cursor]);
  return (
    <Page title="Catalog" intro={<p>Published datasets of the consortium's providers. Open one for its data dictionary, quality statement and samples.</p>}>
      <CatalogSearchForm filters={filters} onSearch={setFilters} />
      <Async state={results} label="Searching the catalog…">
        {(page) =>
          page.items.length === 0 ? (
            <Empty title={filters.q || filters.theme ? 'No dataset matches this search.' : 'The catalog is empty.'}>
              {filters.q || filters.theme ? <p>Try other words, or all themes.</p> : <p>Providers have not published any dataset yet.</p>}
            </Empty>
          ) : (
            <>
              <p className="muted" role="status">
                {page.items.length} dataset{page.items.length === 1 ? '' : 's'} on this page
              </p>
              <ul className="cards">
                {page.items.map((dataset) => (
                  <DatasetCard key={dataset.id} dataset={dataset} to={`/catalog/${dataset.id}`} />
                ))}
              </ul>
              <Pager paging={paging} nextCursor={page.nextCursor} />
            </>
          )
        }
      </Async>
    </Page>
  );
}
