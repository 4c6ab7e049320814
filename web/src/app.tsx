import type { ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import type { MeResponse } from '../../shared/schemas/identity';
import { useSession } from './auth/session';
import { Layout } from './components/layout';
import { ErrorState, Loading, Page } from './components/ui';
import { isAdmin, isMemberOrg, isProviderOrg } from './lib/navigation';
import { AgreementAdminPage } from './pages/admin/agreement-admin';
import { AuditPage } from './pages/admin/audit';
import { DecisionPage } from './pages/admin/decision';
import { GovernancePage } from './pages/admin/governance';
import { GrantReviewPage } from './pages/admin/grant-review';
import { AdminGrantsPage } from './pages/admin/grants';
import { OrganizationsPage } from './pages/admin/organizations';
import { QueuePage } from './pages/admin/queue';
import { AgreementPage } from './pages/common/agreement';
import { AuthCallbackPage } from './pages/common/auth-callback';
import { CatalogPage } from './pages/common/catalog';
import { DatasetPage } from './pages/common/dataset';
import { HomePage } from './pages/common/home';
import { NotFoundPage } from './pages/common/not-found';
import { NotificationsPage } from './pages/common/notifications';
import { EmailPreferencesPage } from './pages/common/email-preferences';
import { OrganizationPage } from './pages/common/organization';
import { SignInPage } from './pages/common/sign-in';
import { GrantDetailPage } from './pages/member/grant-detail';
import { GrantsPage } from './pages/member/grants';
import { ProposalDetailPage } from './pages/member/proposal-detail';
import { ProposalsPage } from './pages/member/proposals';
import { ProposalWizardPage } from './pages/member/proposal-wizard';
import { DataAccessPage } from './pages/provider/data-access';
import { DatasetEditorPage } from './pages/provider/dataset-editor';
import { DatasetManagePage } from './pages/provider/dataset-manage';
import { MyDatasetsPage } from './pages/provider/my-datasets';
import { ReviewProposalPage } from './pages/provider/review-proposal';
import { ReviewsPage } from './pages/provider/reviews';
import { PublicCatalogPage } from './pages/public/public-catalog';
import { PublicDatasetPage } from './pages/public/public-dataset';
import { PublicProjectsPage } from './pages/public/public-projects';

/** Pages behind sign-in; `allow` narrows them to a role or an organisation kind. */
function Guard({ allow, who, children }: { allow?: (me: MeResponse) => boolean; who?: string; children: ReactNode }) {
  const { state, refresh } = useSession();
  const location = useLocation();
  if (state.status === 'loading') return <Loading label="Checking your sign-in…" />;
  if (state.status === 'error') return <ErrorState error={state.error} retry={() => void refresh()} title="Your account could not be loaded" />;
  if (state.status === 'signed-out') return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search, notice: state.notice }} />;
  if (allow && !allow(state.me)) {
    return (
      <Page title="Not available">
        <p>This page is for {who ?? 'other roles'}. You are signed in as {state.me.user.email} of {state.me.organization.name}.</p>
      </Page>
    );
  }
  return <>{children}</>;
}

const signedIn = (page: ReactNode) => <Guard>{page}</Guard>;
const providers = (page: ReactNode) => (
  <Guard allow={isProviderOrg} who="data providers">
    {page}
  </Guard>
);
const members = (page: ReactNode) => (
  <Guard allow={isMemberOrg} who="member organisations">
    {page}
  </Guard>
);
const admins = (page: ReactNode) => (
  <Guard allow={isAdmin} who="consortium admins">
    {page}
  </Guard>
);

export function App() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<HomePage />} />
        <Route path="sign-in" element={<SignInPage />} />
        <Route path="auth/callback" element={<AuthCallbackPage />} />

        {/* Public, no sign-in */}
        <Route path="public/datasets" element={<PublicCatalogPage />} />
        <Route path="public/datasets/:id" element={<PublicDatasetPage />} />
        <Route path="public/projects" element={<PublicProjectsPage />} />

        {/* Everyone signed in */}
        <Route path="catalog" element={signedIn(<CatalogPage />)} />
        <Route path="catalog/:id" element={signedIn(<DatasetPage />)} />
        <Route path="agreement" element={signedIn(<AgreementPage />)} />
        <Route path="organization" element={signedIn(<OrganizationPage />)} />
        <Route path="notifications" element={signedIn(<NotificationsPage />)} />
        <Route path="settings/email" element={signedIn(<EmailPreferencesPage />)} />

        {/* Providers */}
        <Route path="provider/datasets" element={providers(<MyDatasetsPage />)} />
        <Route path="provider/datasets/new" element={providers(<DatasetEditorPage />)} />
        <Route path="provider/datasets/:id" element={providers(<DatasetManagePage />)} />
        <Route path="provider/datasets/:id/edit" element={providers(<DatasetEditorPage />)} />
        <Route path="provider/reviews" element={providers(<ReviewsPage />)} />
        <Route path="provider/reviews/:id" element={providers(<ReviewProposalPage />)} />
        <Route path="provider/grants" element={providers(<DataAccessPage />)} />
        <Route path="provider/grants/:id" element={providers(<GrantReviewPage reviewer="provider" />)} />

        {/* Members */}
        <Route path="proposals" element={members(<ProposalsPage />)} />
        <Route path="proposals/new" element={members(<ProposalWizardPage />)} />
        <Route path="proposals/:id" element={members(<ProposalDetailPage />)} />
        <Route path="proposals/:id/edit" element={members(<ProposalWizardPage />)} />
        <Route path="grants" element={members(<GrantsPage />)} />
        <Route path="grants/:id" element={members(<GrantDetailPage />)} />

        {/* Consortium admins */}
        <Route path="admin/queue" element={admins(<QueuePage />)} />
        <Route path="admin/proposals/:id" element={admins(<DecisionPage />)} />
        <Route path="admin/organizations" element={admins(<OrganizationsPage />)} />
        <Route path="admin/organizations/:orgId" element={admins(<OrganizationPage />)} />
        <Route path="admin/agreement" element={admins(<AgreementAdminPage />)} />
        <Route path="admin/governance" element={admins(<GovernancePage />)} />
        <Route path="admin/grants" element={admins(<AdminGrantsPage />)} />
        <Route path="admin/grants/:id" element={admins(<GrantReviewPage reviewer="admin" />)} />
        <Route path="admin/audit" element={admins(<AuditPage />)} />

        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
