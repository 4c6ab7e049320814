import { Link } from 'react-router';
import { api } from '../../api/endpoints';
import { useMe } from '../../auth/session';
import { Pager, useCursorPages } from '../../components/catalog-search';
import { Async, Badge, DateTime, Empty, Notice, Page, TableWrap, useAsync } from '../../components/ui';

/** The provider's dashboard: its own datasets in every state (GET /v1/datasets?scope=mine). */
export function MyDatasetsPage() {
  const me = useMe();
  const paging = useCursorPages('mine');
  const datasets = useAsync(() => api.datasets({ scope: 'mine', cursor: paging.cursor }), [paging.cursor]);
  const canCreate = me.agreement.mayAct;
  return (
    <Page
      title="My datasets"
      actions={
        canCreate ? (
          <Link className="button" to="/provider/datasets/new">
            New dataset
          </Link>
        ) : null
      }
    >
      {!canCreate ? <Notice tone="warning">{me.organization.name} must sign the current agreement before it lists or publishes datasets.</Notice> : null}
      <Async state={datasets} label="Loading your datasets…">
        {(page) =>
          page.items.length === 0 ? (
            <Empty title="You have not listed any dataset yet.">
              {canCreate ? (
                <p>
                  <Link to="/provider/datasets/new">Describe your first dataset</Link>, upload its files, then publish it to the catalog.
                </p>
              ) : null}
            </Empty>
          ) : (
            <>
              <TableWrap label="My datasets">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Dataset</th>
                      <th scope="col">State</th>
                      <th scope="col">Published version</th>
                      <th scope="col">Files in the draft version</th>
                      <th scope="col">Last change</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.items.map((d) => {
                      const draftFiles = d.files.filter((f) => f.version === d.draftVersion);
                      const ready = draftFiles.filter((f) => f.status === 'ready').length;
                      return (
                        <tr key={d.id}>
                          <td>
                            <Link to={`/provider/datasets/${d.id}`}>{d.metadata.title}</Link>
                          </td>
                          <td>
                            <Badge value={d.state} />
                          </td>
                          <td>{d.publishedVersion ?? '—'}</td>
                          <td>
                            v{d.draftVersion}: {ready} ready{draftFiles.length > ready ? `, ${draftFiles.length - ready} not ready` : ''}
                          </td>
                          <td>
                            <DateTime iso={d.updatedAt} />
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
