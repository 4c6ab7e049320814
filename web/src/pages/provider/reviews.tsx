import { Link } from 'react-router';
import { api } from '../../api/endpoints';
import { useMe } from '../../auth/session';
import { Pager, useCursorPages } from '../../components/catalog-search';
import { ProposalStateBadge } from '../../components/proposal-view';
import { Async, Badge, DateTime, Empty, Page, TableWrap, useAsync } from '../../components/ui';
import { pendingConsentsOf } from '../../lib/proposals';

/** Proposals that ask for this provider's datasets (GET /v1/proposals?view=review), with what awaits its answer. */
export function ReviewsPage() {
  const me = useMe();
  const paging = useCursorPages('review');
  const proposals = useAsync(() => api.proposals({ view: 'review', cursor: paging.cursor }), [paging.cursor]);
  return (
    <Page title="Proposals to review" intro={<p>Proposals from member organisations that ask for your datasets. Where your consent is required, consent or decline for each.</p>}>
      <Async state={proposals} label="Loading proposals…">
        {(page) =>
          page.items.length === 0 ? (
            <Empty title="No proposal asks for your datasets yet." />
          ) : (
            <>
              <TableWrap label="Proposals to review">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Proposal</th>
                      <th scope="col">From</th>
                      <th scope="col">State</th>
                      <th scope="col">Your answer</th>
                      <th scope="col">Submitted</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.items.map((p) => {
                      const pending = pendingConsentsOf(p, me.organization.id).length;
                      return (
                        <tr key={p.id}>
                          <td>
                            <Link to={`/provider/reviews/${p.id}`}>{p.fields.title ?? 'Untitled'}</Link>
                          </td>
                          <td>{p.orgName}</td>
                          <td>
                            <ProposalStateBadge state={p.state} />
                            {p.overdue ? <Badge value="overdue" /> : null}
                          </td>
                          <td>{pending ? <Badge value="pending" label={`${pending} awaiting your answer`} /> : 'Answered or not needed'}</td>
                          <td>
                            <DateTime iso={p.submittedAt} />
                          </td>
                        </tr>
                      );
                    })}
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
