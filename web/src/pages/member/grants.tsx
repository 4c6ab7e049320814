import { Link, useSearchParams } from 'react-router';
import type { GrantState } from '../../../../shared/schemas/grant';
import { api } from '../../api/endpoints';
import { Pager, useCursorPages } from '../../components/catalog-search';
import { SelectField } from '../../components/fields';
import { GrantStateBadge } from '../../components/grant-facts';
import { Async, Badge, DateOnly, Empty, Page, TableWrap, useAsync } from '../../components/ui';
import { GRANT_STATE_LABELS } from '../../lib/grant-review';
import { GRANT_STATE_FILTERS, grantFlags } from '../../lib/held-grants';

/** The grants held by the member's organisation (GET /v1/grants?view=held), filtered by state. */
export function GrantsPage() {
  const [params, setParams] = useSearchParams();
  const raw = params.get('state') ?? '';
  const state = (GRANT_STATE_FILTERS as readonly string[]).includes(raw) ? (raw as GrantState) : undefined;
  const paging = useCursorPages(state ?? 'all');
  const grants = useAsync(() => api.grants({ view: 'held', state, cursor: paging.cursor }), [state, paging.cursor]);
  return (
    <Page
      title="My grants"
      intro={
        <p>
          Each approved proposal gives your organisation a time-limited grant per dataset. Download the files while a grant is active; when it
          ends, attest that the data was deleted and report what the project achieved.
        </p>
      }
    >
      <form className="search-form" onSubmit={(e) => e.preventDefault()}>
        <SelectField
          name="state"
          label="State"
          value={state ?? ''}
          placeholder="Every state"
          options={GRANT_STATE_FILTERS.map((value) => ({ value, label: GRANT_STATE_LABELS[value] }))}
          onChange={(value) => setParams(value ? { state: value } : {})}
        />
      </form>
      <Async state={grants} label="Loading your grants…">
        {(page) =>
          page.items.length === 0 ? (
            <Empty title={state ? `No grant is ${GRANT_STATE_LABELS[state].toLowerCase()}.` : 'Your organisation holds no grant yet.'}>
              {state ? null : (
                <p>
                  Grants are issued when a <Link to="/proposals">proposal</Link> is approved, one for each dataset its provider consented to.
                </p>
              )}
            </Empty>
          ) : (
            <>
              <TableWrap label="My grants">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Dataset</th>
                      <th scope="col">Project</th>
                      <th scope="col">State</th>
                      <th scope="col">Period</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.items.map((g) => (
                      <tr key={g.id}>
                        <td>
                          <Link to={`/grants/${g.id}`}>{g.datasetTitle}</Link>
                          <br />
                          <span className="muted small">
                            {g.providerName} · version {g.versions.join(', ')}
                          </span>
                        </td>
                        <td>{g.proposalTitle}</td>
                        <td>
                          <GrantStateBadge state={g.state} />{' '}
                          {grantFlags(g).map((flag) => (
                            <Badge key={flag.label} value={flag.value} label={flag.label} />
                          ))}
                        </td>
                        <td>
                          <DateOnly iso={g.startDate} /> to <DateOnly iso={g.endDate} />
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
