import { api } from '../../api/endpoints';
import { Pager, useCursorPages } from '../../components/catalog-search';
import { GrantStateSelect, GrantsTable, useGrantStateFilter } from '../../components/grant-facts';
import { Async, Empty, Page, useAsync } from '../../components/ui';
import { GRANT_STATE_LABELS } from '../../lib/grant-review';

/** Every grant of the consortium (GET /v1/grants?view=all), by effective state, newest first. */
export function AdminGrantsPage() {
  const [state, setState] = useGrantStateFilter();
  const paging = useCursorPages(`all-${state}`);
  const grants = useAsync(() => api.grants({ view: 'all', state: state || undefined, cursor: paging.cursor }), [state, paging.cursor]);
  return (
    <Page
      title="Grants"
      intro={<p>Every access grant issued by an approval. Open one to see its conditions and obligations, answer a renewal, or revoke it.</p>}
    >
      <GrantStateSelect value={state} onChange={setState} />
      <Async state={grants} label="Loading grants…">
        {(page) =>
          page.items.length === 0 ? (
            <Empty title={state ? `No ${GRANT_STATE_LABELS[state].toLowerCase()} grant.` : 'No grant has been issued yet.'}>
              <p>Grants are issued when a proposal is approved, one per dataset it was granted.</p>
            </Empty>
          ) : (
            <>
              <GrantsTable grants={page.items} label="Grants" linkTo={(g) => `/admin/grants/${g.id}`} />
              <Pager paging={paging} nextCursor={page.nextCursor} />
            </>
          )
        }
      </Async>
    </Page>
  );
}
