import { Link } from 'react-router';
import { api } from '../../api/endpoints';
import { useMe } from '../../auth/session';
import { Pager, useCursorPages } from '../../components/catalog-search';
import { ProposalStateBadge } from '../../components/proposal-view';
import { Async, DateTime, Empty, Notice, Page, TableWrap, useAsync } from '../../components/ui';

/** The organisation's proposals in every state (GET /v1/proposals?view=mine). */
export function ProposalsPage() {
  const me = useMe();
  const paging = useCursorPages('mine');
  const proposals = useAsync(() => api.proposals({ view: 'mine', cursor: paging.cursor }), [paging.cursor]);
  return (
    <Page
      title="My proposals"
      actions={
        me.agreement.mayAct ? (
          <Link className="button" to="/proposals/new">
            New proposal
          </Link>
        ) : null
      }
    >
      {!me.agreement.mayAct ? <Notice tone="warning">{me.organization.name} must sign the current agreement before it drafts or submits proposals.</Notice> : null}
      <Async state={proposals} label="Loading your proposals…">
        {(page) =>
          page.items.length === 0 ? (
            <Empty title="Your organisation has no proposal yet.">
              <p>
                Find data in the <Link to="/catalog">catalog</Link>, then start a proposal: what it is for, which datasets and why, for how long,
                and how you will measure its impact.
              </p>
            </Empty>
          ) : (
            <>
              <TableWrap label="My proposals">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Proposal</th>
                      <th scope="col">State</th>
                      <th scope="col">Datasets</th>
                      <th scope="col">Last change</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.items.map((p) => (
                      <tr key={p.id}>
                        <td>
                          <Link to={`/proposals/${p.id}`}>{p.fields.title ?? 'Untitled'}</Link>
                        </td>
                        <td>
                          <ProposalStateBadge state={p.state} />
                        </td>
                        <td>{p.fields.datasets?.length ?? 0}</td>
                        <td>
                          <DateTime iso={p.updatedAt} />
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
