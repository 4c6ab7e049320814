import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/endpoints';
import { AuditEventsTable, AuditFeedStatus, DownloadsTable, useAuditFeed } from '../../components/audit-events';
import { Pager, useCursorPages } from '../../components/catalog-search';
import { RadioGroup } from '../../components/fields';
import { GrantStateSelect, GrantsTable, OutcomeReportView, useGrantStateFilter } from '../../components/grant-facts';
import { Async, Empty, Page, useAsync } from '../../components/ui';
import { downloadRows } from '../../lib/audit-view';
import { GRANT_STATE_LABELS } from '../../lib/grant-review';

function ProvidedGrants() {
  const [state, setState] = useGrantStateFilter();
  const paging = useCursorPages(`provided-${state}`);
  const grants = useAsync(() => api.grants({ view: 'provided', state: state || undefined, cursor: paging.cursor }), [state, paging.cursor]);
  return (
    <section aria-labelledby="grants-heading">
      <h2 id="grants-heading">Grants to your datasets</h2>
      <GrantStateSelect value={state} onChange={setState} />
      <Async state={grants} label="Loading grants…">
        {(page) =>
          page.items.length === 0 ? (
            <Empty title={state ? `No ${GRANT_STATE_LABELS[state].toLowerCase()} grant to your datasets.` : 'No grant to your datasets yet.'}>
              <p>A grant is issued when a proposal asking for your data is approved.</p>
            </Empty>
          ) : (
            <>
              <GrantsTable grants={page.items} label="Grants" linkTo={(g) => `/provider/grants/${g.id}`} showProvider={false} />
              <Pager paging={paging} nextCursor={page.nextCursor} />
            </>
          )
        }
      </Async>
    </section>
  );
}

function AccessLog() {
  const [show, setShow] = useState<'downloads' | 'all'>('downloads');
  const feed = useAuditFeed({ view: 'provided' });
  // To name the grant of each download; a grant beyond the first hundred is named by its id.
  const grants = useAsync(() => api.grants({ view: 'provided', limit: 100 }), []);
  const grantName = (grantId: string) => {
    const grant = grants.status === 'ready' ? grants.data.items.find((g) => g.id === grantId) : undefined;
    return { text: grant ? `${grant.datasetTitle} — ${grant.granteeOrgName}` : `Grant ${grantId.slice(0, 8)}`, to: `/provider/grants/${grantId}` };
  };
  const downloads = downloadRows(feed.events).length;
  return (
    <section aria-labelledby="access-heading">
      <h2 id="access-heading">Who accessed your data, and when</h2>
      <p>
        Every download link issued under a grant to your data is an audit event: who asked for it, for which organisation, which file, and when.
        Links live five minutes at most.
      </p>
      <RadioGroup
        name="show"
        label="Show"
        value={show}
        onChange={setShow}
        options={[
          { value: 'downloads', label: 'Downloads only' },
          { value: 'all', label: 'Every event on your data' },
        ]}
      />
      {feed.events.length > 0 ? (
        show === 'downloads' ? (
          downloads > 0 ? (
            <DownloadsTable events={feed.events} label="Downloads of your data" grantName={grantName} />
          ) : (
            <Empty title={feed.more ? 'No download among the latest events; load older ones to look further.' : 'Nobody has downloaded your data yet.'} />
          )
        ) : (
          <AuditEventsTable events={feed.events} label="Events on your data" entityLink={(type, id) => (type === 'grant' ? `/provider/grants/${id}` : type === 'dataset' ? `/provider/datasets/${id}` : null)} />
        )
      ) : feed.status === 'ready' ? (
        <Empty title="No event on your data yet." />
      ) : null}
      <AuditFeedStatus feed={feed} label="Loading events…" />
    </section>
  );
}

function OutcomeReports() {
  const paging = useCursorPages('reports');
  const closed = useAsync(() => api.grants({ view: 'provided', state: 'closed', cursor: paging.cursor }), [paging.cursor]);
  return (
    <section aria-labelledby="reports-heading">
      <h2 id="reports-heading">Outcome reports on your data</h2>
      <Async state={closed} label="Loading outcome reports…">
        {(page) => {
          const reported = page.items.filter((g) => g.outcomeReport !== null);
          return reported.length === 0 ? (
            <Empty title="No closed grant with an outcome report yet.">
              <p>When a grant ends, its holder reports what the project achieved; you read it here.</p>
            </Empty>
          ) : (
            <>
              {reported.map((g) => (
                <article className="card" key={g.id} aria-labelledby={`report-${g.id}`}>
                  <h3 id={`report-${g.id}`}>
                    <Link to={`/provider/grants/${g.id}`}>{g.proposalTitle}</Link>
                  </h3>
                  <p className="muted">
                    {g.granteeOrgName} · {g.datasetTitle}
                  </p>
                  {g.outcomeReport ? <OutcomeReportView report={g.outcomeReport} headingLevel={4} /> : null}
                </article>
              ))}
              <Pager paging={paging} nextCursor={page.nextCursor} />
            </>
          );
        }}
      </Async>
    </section>
  );
}

/** "Access to my data": grants to the provider's datasets, every download of them, and the outcome reports. */
export function DataAccessPage() {
  return (
    <Page title="Access to my data" intro={<p>Who holds a grant to your datasets, who downloaded what and when, and what the projects achieved.</p>} wide>
      <ProvidedGrants />
      <AccessLog />
      <OutcomeReports />
    </Page>
  );
}
