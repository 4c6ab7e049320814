import { Link } from 'react-router';
import { api } from '../../api/endpoints';
import { CatalogSearchForm, Pager, useCatalogFilters, useCursorPages } from '../../components/catalog-search';
import { Async, Empty, Page, useAsync } from '../../components/ui';
import { DatasetCard } from '../common/catalog';

/** The catalog's public metadata, for anyone (GET /v1/public/datasets); also published as DCAT. */
export function PublicCatalogPage() {
  const [filters, setFilters] = useCatalogFilters();
  const paging = useCursorPages(JSON.stringify(filters));
  const results = useAsync(
    () => api.publicDatasets({ q: filters.q, theme: filters.theme, cursor: paging.cursor }),
    [filters.q, filters.theme, paging.cursor],
  );
  return (
    <Page
      title="Public catalog"
      intro={
        <p>
          Every dataset the consortium's providers have published, with its public metadata. Using the data needs a member organisation
          that signed the common agreement and an approved proposal. Machine-readable: <a href="/v1/public/catalog.jsonld">DCAT JSON-LD</a>.
        </p>
      }
    >
      <CatalogSearchForm filters={filters} onSearch={setFilters} />
      <Async state={results} label="Searching the catalog…">
        {(page) =>
          page.items.length === 0 ? (
            <Empty title={filters.q || filters.theme ? 'No dataset matches this search.' : 'No dataset has been published yet.'} />
          ) : (
            <>
              <ul className="cards">
                {page.items.map((dataset) => (
                  <DatasetCard key={dataset.id} dataset={dataset} to={`/public/datasets/${dataset.id}`} />
                ))}
              </ul>
              <Pager paging={paging} nextCursor={page.nextCursor} />
            </>
          )
        }
      </Async>
      <p>
        Members: <Link to="/sign-in">sign in</Link> to see samples and propose a project.
      </p>
    </Page>
  );
}
