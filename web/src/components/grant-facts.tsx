import { Link, useSearchParams } from 'react-router';
import { GRANT_STATES, type Grant, type GrantState } from '../../../shared/schemas/grant';
import { accessWindow, GRANT_STATE_LABELS, OBLIGATION_LABELS } from '../lib/grant-review';
import { SelectField } from './fields';
import { Badge, DateOnly, DateTime, Empty, TableWrap } from './ui';

export function GrantStateBadge({ state }: { state: Grant['state'] }) {
  return <Badge value={`grant-${state}`} label={GRANT_STATE_LABELS[state]} />;
}

/**
 * What a grant is: who holds it (the team only where the caller may see it), which dataset and
 * version, for which period (calendar dates, and the instants in the reader's time zone), under
 * which conditions, and how it ended.
 */
export function GrantFacts({ grant, datasetLink }: { grant: Grant; datasetLink?: string }) {
  const access = accessWindow(grant);
  return (
    <dl className="facts">
      <div>
        <dt>Grantee organisation</dt>
        <dd>{grant.granteeOrgName}</dd>
      </div>
      <div>
        <dt>Project team</dt>
        <dd>{grant.team.length ? grant.team.join(', ') : <span className="muted">Not shown to providers</span>}</dd>
      </div>
      <div>
        <dt>Dataset</dt>
        <dd>
          {datasetLink ? <Link to={datasetLink}>{grant.datasetTitle}</Link> : grant.datasetTitle}, version {grant.versions.join(', ')}
          <br />
          <span className="muted">from {grant.providerName}</span>
        </dd>
      </div>
      <div>
        <dt>Proposal</dt>
        <dd>{grant.proposalTitle}</dd>
      </div>
      <div>
        <dt>Period</dt>
        <dd>
          <DateOnly iso={grant.startDate} /> to <DateOnly iso={grant.endDate} />
          <br />
          <span className="muted small">
            Access from <DateTime iso={access.from} /> until <DateTime iso={access.until} />
          </span>
        </dd>
      </div>
      <div>
        <dt>Issued</dt>
        <dd>
          <DateTime iso={grant.issuedAt} />
        </dd>
      </div>
      {grant.revokedAt ? (
        <div>
          <dt>Revoked</dt>
          <dd>
            <DateTime iso={grant.revokedAt} /> by {grant.revokedBy ?? 'unknown'}
            <br />
            <span className="pre">{grant.revokedReason}</span>
          </dd>
        </div>
      ) : null}
      {grant.closedAt ? (
        <div>
          <dt>Closed</dt>
          <dd>
            <DateTime iso={grant.closedAt} />
          </dd>
        </div>
      ) : null}
    </dl>
  );
}

export function GrantConditions({ grant }: { grant: Grant }) {
  return grant.conditions.length ? (
    <ul>
      {grant.conditions.map((condition) => (
        <li key={condition}>{condition}</li>
      ))}
    </ul>
  ) : (
    <p className="muted">No conditions were attached to the approval.</p>
  );
}

/** The closure obligations (deletion attestation, outcome report): due when, fulfilled or overdue. */
export function GrantObligations({ grant }: { grant: Grant }) {
  if (grant.obligations.length === 0) {
    return <p className="muted">None yet: the deletion attestation and the outcome report are due once the grant ends.</p>;
  }
  return (
    <TableWrap label="Obligations">
      <table>
        <thead>
          <tr>
            <th scope="col">Obligation</th>
            <th scope="col">Due</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {grant.obligations.map((o) => (
            <tr key={o.id} className={o.overdue ? 'overdue' : undefined}>
              <td>{OBLIGATION_LABELS[o.kind] ?? o.kind}</td>
              <td>
                <DateTime iso={o.dueAt} />
              </td>
              <td>
                {o.state === 'fulfilled' ? (
                  <>
                    <Badge value="consented" label="Fulfilled" /> <DateTime iso={o.fulfilledAt} />
                  </>
                ) : (
                  <Badge value={o.overdue ? 'overdue' : 'pending'} label={o.overdue ? 'Overdue' : 'Open'} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** The grantee's outcome report: outputs with links, each indicator's result, the public summary. */
export function OutcomeReportView({ report, headingLevel = 3 }: { report: NonNullable<Grant['outcomeReport']>; headingLevel?: 3 | 4 }) {
  const H = headingLevel === 3 ? 'h3' : 'h4';
  const H2 = headingLevel === 3 ? 'h4' : 'h5';
  return (
    <div className="outcome-report">
      <H>Outcome report</H>
      <p className="muted small">
        Submitted <DateTime iso={report.submittedAt} /> by {report.submittedBy}
      </p>
      <H2>Public summary</H2>
      <p className="pre">{report.publicSummary}</p>
      <H2>Outputs</H2>
      <ul>
        {report.outputs.map((output, i) => (
          <li key={`${output.title}-${i}`}>
            {output.url ? (
              <a href={output.url} rel="noreferrer noopener">
                {output.title}
              </a>
            ) : (
              output.title
            )}
            {output.description ? ` — ${output.description}` : ''}
          </li>
        ))}
      </ul>
      <H2>Impact indicators</H2>
      <dl className="facts">
        {report.indicators.map((item, i) => (
          <div key={`${item.indicator}-${i}`}>
            <dt>{item.indicator}</dt>
            <dd>{item.result}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/** The grantee's deletion attestation: who deleted what, when, how, which copies. */
export function AttestationView({ attestation }: { attestation: NonNullable<Grant['attestation']> }) {
  return (
    <div className="attestation">
      <h3>Deletion attestation</h3>
      <p className="muted small">
        Submitted <DateTime iso={attestation.submittedAt} /> by {attestation.submittedBy}
      </p>
      <dl className="facts">
        <div>
          <dt>Deleted by</dt>
          <dd>{attestation.deletedBy}</dd>
        </div>
        <div>
          <dt>Deleted</dt>
          <dd>
            <DateTime iso={attestation.deletedAt} />
          </dd>
        </div>
        <div>
          <dt>Method</dt>
          <dd className="pre">{attestation.method}</dd>
        </div>
        <div>
          <dt>Files</dt>
          <dd>{attestation.files?.length ? attestation.files.join(', ') : 'Every file of the grant'}</dd>
        </div>
      </dl>
      <h4>Copies</h4>
      <ul>
        {attestation.copies.map((copy, i) => (
          <li key={`${copy.location}-${i}`}>
            {copy.location}
            {copy.description ? ` — ${copy.description}` : ''}
          </li>
        ))}
      </ul>
      <p className="pre">{attestation.statement}</p>
    </div>
  );
}

/** The closure documents of a grant, or a plain line saying none came yet. */
export function ClosureDocuments({ grant }: { grant: Grant }) {
  if (!grant.attestation && !grant.outcomeReport) return <Empty title="No closure documents yet." />;
  return (
    <>
      {grant.attestation ? <AttestationView attestation={grant.attestation} /> : null}
      {grant.outcomeReport ? <OutcomeReportView report={grant.outcomeReport} /> : null}
    </>
  );
}

/** Grants as rows: dataset, grantee, period, state; each links to its page. */
export function GrantsTable({ grants, label, linkTo, showProvider = true }: { grants: readonly Grant[]; label: string; linkTo: (grant: Grant) => string; showProvider?: boolean }) {
  return (
    <TableWrap label={label}>
      <table>
        <thead>
          <tr>
            <th scope="col">Dataset</th>
            <th scope="col">Grantee</th>
            {showProvider ? <th scope="col">Provider</th> : null}
            <th scope="col">Period</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {grants.map((g) => {
            const renewal = g.renewals.some((r) => r.state === 'pending');
            return (
              <tr key={g.id}>
                <td>
                  <Link to={linkTo(g)}>{g.datasetTitle}</Link>
                  <br />
                  <span className="muted small">{g.proposalTitle}</span>
                </td>
                <td>{g.granteeOrgName}</td>
                {showProvider ? <td>{g.providerName}</td> : null}
                <td>
                  <DateOnly iso={g.startDate} /> to <DateOnly iso={g.endDate} />
                </td>
                <td>
                  <GrantStateBadge state={g.state} />
                  {renewal ? <Badge value="pending" label="Renewal asked" /> : null}
                  {g.obligations.some((o) => o.overdue) ? <Badge value="overdue" label="Obligation overdue" /> : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** The state filter of a grants list, kept in the address (`?state=`). */
export function useGrantStateFilter(): [GrantState | '', (state: GrantState | '') => void] {
  const [params, setParams] = useSearchParams();
  const raw = params.get('state') ?? '';
  const state = (GRANT_STATES as readonly string[]).includes(raw) ? (raw as GrantState) : '';
  return [
    state,
    (next) => {
      const search = new URLSearchParams(params);
      if (next) search.set('state', next);
      else search.delete('state');
      setParams(search);
    },
  ];
}

export function GrantStateSelect({ value, onChange }: { value: GrantState | ''; onChange: (state: GrantState | '') => void }) {
  return (
    <div className="search-form">
      <SelectField
        name="state"
        label="State"
        value={value}
        onChange={onChange}
        placeholder="Every state"
        options={GRANT_STATES.map((state) => ({ value: state, label: GRANT_STATE_LABELS[state] }))}
      />
    </div>
  );
}
