import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { AuditEntityType } from '../../../shared/audit-chain';
import { api, type AuditEvent, type AuditFilter } from '../api/endpoints';
import { actionLabel, downloadRows, ENTITY_LABELS, eventSummary, prettyDetails } from '../lib/audit-view';
import { DateTime, ErrorState, Loading, TableWrap } from './ui';

/** Where an entity's own page is for this reader, if it has one. */
export type EntityLink = (type: AuditEntityType, id: string) => string | null;

/** Audit events as rows: when, what, on which entity, who (and their organisation), and the details. */
export function AuditEventsTable({ events, label, entityLink, onEntity }: { events: readonly AuditEvent[]; label: string; entityLink?: EntityLink; onEntity?: (type: AuditEntityType, id: string) => void }) {
  return (
    <TableWrap label={label}>
      <table className="audit-table">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Time</th>
            <th scope="col">Action</th>
            <th scope="col">Entity</th>
            <th scope="col">Actor</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => {
            const link = entityLink?.(e.entity.type, e.entity.id) ?? null;
            const summary = eventSummary(e);
            return (
              <tr key={e.seq}>
                <td>{e.seq}</td>
                <td>
                  <DateTime iso={e.at} />
                </td>
                <td>
                  <strong>{actionLabel(e.action)}</strong>
                  <br />
                  <code className="small">{e.action}</code>
                </td>
                <td>
                  {ENTITY_LABELS[e.entity.type]}{' '}
                  {link ? (
                    <Link to={link}>
                      <code>{e.entity.id}</code>
                    </Link>
                  ) : (
                    <code>{e.entity.id}</code>
                  )}
                  {onEntity ? (
                    <>
                      <br />
                      <button type="button" className="link small" onClick={() => onEntity(e.entity.type, e.entity.id)}>
                        Only this {ENTITY_LABELS[e.entity.type].toLowerCase()}
                        <span className="visually-hidden"> ({e.entity.id})</span>
                      </button>
                    </>
                  ) : null}
                </td>
                <td>
                  {e.actor.email}
                  <br />
                  <span className="muted small">{e.actor.orgName}</span>
                </td>
                <td>
                  {summary ? <p className="event-summary">{summary}</p> : null}
                  {Object.keys(e.details).length ? (
                    <details>
                      <summary>
                        All details<span className="visually-hidden"> of event {e.seq}</span>
                      </summary>
                      <pre className="details-json">{prettyDetails(e.details)}</pre>
                    </details>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** The download mints among the events: who fetched which file, for which organisation, when. */
export function DownloadsTable({ events, label, grantName }: { events: readonly AuditEvent[]; label: string; grantName?: (grantId: string) => { text: string; to: string } }) {
  const rows = downloadRows(events);
  return (
    <TableWrap label={label}>
      <table>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Who</th>
            <th scope="col">Organisation</th>
            <th scope="col">File</th>
            {grantName ? <th scope="col">Grant</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const grant = grantName?.(row.grantId);
            return (
              <tr key={row.seq}>
                <td>
                  <DateTime iso={row.at} />
                </td>
                <td>{row.email}</td>
                <td>{row.orgName}</td>
                <td>
                  {row.fileName}
                  {row.version !== null ? <span className="muted"> (version {row.version})</span> : null}
                </td>
                {grant ? (
                  <td>
                    <Link to={grant.to}>{grant.text}</Link>
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );
}

export type AuditFeed =
  | { readonly status: 'loading'; readonly events: readonly AuditEvent[]; readonly error?: undefined; readonly more: boolean }
  | { readonly status: 'ready'; readonly events: readonly AuditEvent[]; readonly error?: undefined; readonly more: boolean }
  | { readonly status: 'error'; readonly events: readonly AuditEvent[]; readonly error: unknown; readonly more: boolean };

/**
 * Audit events for a query, newest first, with "load older" appending the next page (the reader
 * filters them client-side, e.g. to the downloads, so a page of other events must not hide them).
 */
export function useAuditFeed(query: AuditFilter): AuditFeed & { loadMore: () => void; reload: () => void } {
  const key = JSON.stringify(query);
  const [state, setState] = useState<{ key: string; status: AuditFeed['status']; events: AuditEvent[]; cursor: string | null; error?: unknown }>({
    key: '',
    status: 'loading',
    events: [],
    cursor: null,
  });
  const live = useRef(0);
  const fetchPage = useCallback(
    (cursor: string | undefined, append: boolean) => {
      const ticket = ++live.current;
      setState((s) => ({ ...s, key, status: 'loading', events: append ? s.events : [] }));
      api.audit({ ...(JSON.parse(key) as AuditFilter), limit: 100, cursor }).then(
        (page) => ticket === live.current && setState((s) => ({ key, status: 'ready', events: append ? [...s.events, ...page.items] : page.items, cursor: page.nextCursor })),
        (error: unknown) => ticket === live.current && setState((s) => ({ ...s, key, status: 'error', error })),
      );
    },
    [key],
  );
  useEffect(() => fetchPage(undefined, false), [fetchPage]);
  const more = state.cursor !== null && state.key === key;
  const loadMore = () => state.cursor && fetchPage(state.cursor, true);
  const reload = () => fetchPage(undefined, false);
  const base = { events: state.key === key ? state.events : [], more, loadMore, reload };
  return state.status === 'error' ? { ...base, status: 'error', error: state.error } : { ...base, status: state.status === 'ready' && state.key === key ? 'ready' : 'loading' };
}

/** Under a feed's events: what went wrong (with a retry), the loading line, and "Load older events" while there are more. */
export function AuditFeedStatus({ feed, label }: { feed: ReturnType<typeof useAuditFeed>; label: string }) {
  return (
    <>
      {feed.status === 'error' ? <ErrorState error={feed.error} retry={feed.reload} /> : null}
      {feed.status === 'loading' ? <Loading label={label} /> : null}
      {feed.more && feed.status === 'ready' ? (
        <button type="button" className="secondary" onClick={feed.loadMore}>
          Load older events
        </button>
      ) : null}
    </>
  );
}
