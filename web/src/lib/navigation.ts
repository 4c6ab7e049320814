import type { MeResponse } from '../../../shared/schemas/identity';

export interface NavItem {
  readonly to: string;
  readonly label: string;
}

export interface NavGroup {
  readonly label: string;
  readonly items: readonly NavItem[];
}

export const isAdmin = (me: MeResponse): boolean => me.roles.includes('consortium-admin');
export const isOrgAdmin = (me: MeResponse): boolean => me.roles.includes('org-admin');
export const isProviderOrg = (me: MeResponse): boolean => me.organization.kinds.includes('provider');
export const isMemberOrg = (me: MeResponse): boolean => me.organization.kinds.includes('member');

/** The navigation a caller gets, from /v1/me: their organisation's kinds and their roles. */
export function navigationFor(me: MeResponse): NavGroup[] {
  const groups: NavGroup[] = [];
  if (isAdmin(me)) {
    groups.push({
      label: 'Secretariat',
      items: [
        { to: '/admin/queue', label: 'Review queue' },
        { to: '/admin/organizations', label: 'Organisations' },
        { to: '/admin/agreement', label: 'Agreement versions' },
        { to: '/admin/grants', label: 'Grants' },
        { to: '/admin/governance', label: 'Governance' },
        { to: '/admin/audit', label: 'Audit log' },
      ],
    });
  }
  if (isProviderOrg(me)) {
    groups.push({
      label: 'Provider',
      items: [
        { to: '/provider/datasets', label: 'My datasets' },
        { to: '/provider/reviews', label: 'Proposals to review' },
        { to: '/provider/grants', label: 'Access to my data' },
      ],
    });
  }
  if (isMemberOrg(me)) {
    groups.push({
      label: 'Member',
      items: [
        { to: '/proposals', label: 'My proposals' },
        { to: '/proposals/new', label: 'New proposal' },
        { to: '/grants', label: 'My grants' },
      ],
    });
  }
  groups.push({
    label: 'Consortium',
    items: [
      { to: '/catalog', label: 'Catalog' },
      { to: '/agreement', label: 'Agreement' },
      { to: '/organization', label: 'My organisation' },
      { to: '/notifications', label: 'Notifications' },
    ],
  });
  return groups;
}

/** Where a caller lands after signing in. */
export function homeFor(me: MeResponse): string {
  if (isAdmin(me)) return '/admin/queue';
  if (me.agreement.state === 'unsigned' || me.agreement.state === 'outdated') return '/agreement';
  if (isProviderOrg(me)) return '/provider/datasets';
  if (isMemberOrg(me)) return '/proposals';
  return '/catalog';
}

export type AgreementBanner = { readonly tone: 'warning' | 'danger'; readonly message: string } | null;

/** The banner about the agreement, from /v1/me `agreement`; none when all is well. */
export function agreementBanner(me: MeResponse, formatDateTime: (iso: string) => string): AgreementBanner {
  const { agreement } = me;
  const who = isOrgAdmin(me) ? 'Sign it to' : 'An org-admin of your organisation must sign it before you can';
  switch (agreement.state) {
    case 'unsigned':
      return {
        tone: 'danger',
        message: `${me.organization.name} has not signed the common data agreement (version ${agreement.currentVersion}). ${who} list datasets, download samples or granted data, renew grants or submit proposals.`,
      };
    case 'outdated':
      return {
        tone: 'danger',
        message: `${me.organization.name} signed version ${agreement.signedVersion}, but version ${agreement.currentVersion} is now in force and the grace period has ended. ${who} download granted data, renew grants or submit proposals again.`,
      };
    case 'grace':
      return {
        tone: 'warning',
        message: `Version ${agreement.currentVersion} of the common data agreement is in force. ${me.organization.name} signed version ${agreement.signedVersion}; sign the new version by ${agreement.graceEndsAt ? formatDateTime(agreement.graceEndsAt) : 'the end of the grace period'}, or downloads, renewals and submissions stop then.`,
      };
    default:
      return null;
  }
}
