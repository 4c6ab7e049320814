import { Link } from 'react-router';
import { api } from '../../api/endpoints';
import { Pager, useCursorPages } from '../../components/catalog-search';
import { ProposalStateBadge } from '../../components/proposal-view';
import { Async, Badge, DateTime, Empty, Page, TableWrap, useAsync } from '../../components/ui';
import { queueRows } from '../../lib/proposals';

/** Proposals awaiting a decision, oldest submission first, with overdue flags (GET /v1/proposals?view=queue). */
export function QueuePage() {
  const paging = useCursorPages('queue');
  const queue = useAsync(() => api.proposals({ view: 'queue', cursor: paging.cursor }), [paging.cursor]);
  const governance = useAsync(() => api.governance(), []);
  return (
    <Page
      title="Review queue"
      intro={
        <p>
          Proposals awaiting a decision, oldest first. A proposal is overdue when a provider's consent is still pending after{' '}
          {governance.status === 'ready' ? `${governance.data.providerResponseDays} days` : 'the response window'}.
        </p>
      }
    >
      <Async state={queue} label="Loading the queue…">
        {(page) =>
          page.items.length === 0 ? (
            <Empty title="Nothing awaits a decision." />
          ) : (
            <>
              <TableWrap label="Review queue">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Proposal</th>
                      <th scope="col">From</th>
                      <th scope="col">State</th>
                      <th scope="col">Submitted</th>
                      <th scope="col">Age</th>
                      <th scope="col">Consents pending</th>
                    </tr>
                  </thead>
                  <tbody>
                    {queueRows(page.items).map(({ proposal: p, ageDays, pendingConsents }) => (
                      <tr key={p.id} className={p.overdue ? 'overdue' : undefined}>
                        <td>
                          <Link to={`/admin/proposals/${p.id}`}>{p.fields.title ?? 'Untitled'}</Link>
                        </td>
                        <td>{p.orgName}</td>
                        <td>
                          <ProposalStateBadge state={p.state} /> {p.overdue ? <Badge value="overdue" label="Overdue" /> : null}
                          {p.changedSinceSubmission.length ? <Badge value="changed" label="Data changed" /> : null}
                        </td>
                        <td>
                          <DateTime iso={p.submittedAt} />
                        </td>
                        <td>
                          {ageDays} day{ageDays === 1 ? '' : 's'}
                        </td>
                        <td>{pendingConsents}</td>
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
