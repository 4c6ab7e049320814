import { Link } from 'react-router';
import { Page } from '../../components/ui';

/**
 * The transparency register of approved projects. Its API (GET /v1/public/projects) arrives
 * with grants; until then this page says so rather than showing anything made up.
 */
export function PublicProjectsPage() {
  return (
    <Page title="Register of approved projects">
      <p className="lead">
        Approved projects whose authors agreed to be listed appear here, with their purpose, the datasets used, the period and, once
        closed, what they achieved.
      </p>
      <div className="empty coming-soon">
        <p className="empty-title">Coming with grants</p>
        <p>
          The register is published by the consortium's public projects API, which arrives together with access grants. No project is
          listed yet.
        </p>
      </div>
      <p>
        Meanwhile, the <Link to="/public/datasets">public catalog</Link> lists every published dataset.
      </p>
    </Page>
  );
}
