import { Link } from 'react-router';
import type { PublicProject } from '../../../../shared/schemas/public';
import { api } from '../../api/endpoints';
import { Pager, useCursorPages } from '../../components/catalog-search';
import { Async, Badge, DateOnly, DateTime, Empty, Page, useAsync } from '../../components/ui';
import { PROJECT_STATE_LABELS } from '../../lib/held-grants';

/** A project's state wears the colour of the grant state it stands for. */
const PROJECT_BADGES: Record<PublicProject['state'], string> = { active: 'grant-active', ended: 'grant-expired', closed: 'grant-closed' };

function ProjectCard({ project }: { project: PublicProject }) {
  return (
    <li className="card project-card">
      <h2>{project.title}</h2>
      <p className="subtitle">
        <Badge value={PROJECT_BADGES[project.state]} label={PROJECT_STATE_LABELS[project.state]} /> {project.organisation}
      </p>
      <dl className="facts">
        <div>
          <dt>Purpose</dt>
          <dd>{project.purpose.label}</dd>
        </div>
        <div>
          <dt>Period</dt>
          <dd>
            <DateOnly iso={project.startDate} /> to <DateOnly iso={project.endDate} />
          </dd>
        </div>
        <div>
          <dt>Approved</dt>
          <dd>
            <DateTime iso={project.approvedAt} />
          </dd>
        </div>
        <div>
          <dt>Datasets</dt>
          <dd>
            <ul className="plain">
              {project.datasets.map((d, i) => (
                <li key={`${d.title}-${i}`}>
                  {d.title} <span className="muted">({d.provider})</span>
                </li>
              ))}
            </ul>
          </dd>
        </div>
      </dl>
      {project.outcomes.length ? (
        <>
          <h3>Outcome</h3>
          {project.outcomes.map((o, i) => (
            <div key={`${o.dataset}-${i}`} className="outcome">
              <p className="pre">{o.summary}</p>
              <p className="muted small">
                Outcome report for {o.dataset}, <DateTime iso={o.closedAt} />
              </p>
            </div>
          ))}
        </>
      ) : project.state === 'closed' ? null : (
        <p className="muted small">The outcome is published here when the project closes.</p>
      )}
    </li>
  );
}

/** The transparency register (GET /v1/public/projects): approved projects that agreed to be listed, for anyone, no sign-in. */
export function PublicProjectsPage() {
  const paging = useCursorPages('register');
  const projects = useAsync(() => api.publicProjects({ cursor: paging.cursor }), [paging.cursor]);
  return (
    <Page
      title="Register of approved projects"
      intro={
        <p className="lead">
          Every approved project whose authors agreed to be listed: who uses which data, for what purpose and for how long, and, once it is
          closed, what it achieved.
        </p>
      }
    >
      <Async state={projects} label="Loading the register…">
        {(page) =>
          page.items.length === 0 ? (
            <Empty title={paging.page === 1 ? 'No project is listed yet.' : 'No more projects.'}>
              <p>Projects appear here when the secretariat approves them.</p>
            </Empty>
          ) : (
            <>
              <ul className="cards two">
                {page.items.map((project) => (
                  <ProjectCard key={project.id} project={project} />
                ))}
              </ul>
              <Pager paging={paging} nextCursor={page.nextCursor} />
            </>
          )
        }
      </Async>
      <p>
        The <Link to="/public/datasets">public catalog</Link> lists every published dataset.
      </p>
    </Page>
  );
}
