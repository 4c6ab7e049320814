/**
 * Every API route the web app calls, typed with the zod schemas of shared/ (the same ones the
 * server validates with).
 */
import type * as z from 'zod/mini';
import type { AuditEventSchema, AuditQuery, ChainVerificationSchema } from '../../../shared/schemas/audit';
import type { AgreementVersion, AgreementVersionList, PublishAgreementVersionRequest, Signature, SignAgreementRequest } from '../../../shared/schemas/agreement';
import type { Page } from '../../../shared/schemas/common';
import type {
  CatalogQuerySchema,
  CompleteUploadRequest,
  Dataset,
  DatasetFile,
  DatasetMetadata,
  PublishVersionResponseSchema,
  SampleListSchema,
  StartUploadRequest,
  StartUploadResponse,
  UpdateDatasetRequest,
} from '../../../shared/schemas/dataset';
import type {
  ClosureRequest,
  DownloadResponse,
  Grant,
  GrantFilesSchema,
  GrantQuery,
  RenewalRequest,
  RenewalReviewRequest,
} from '../../../shared/schemas/grant';
import type { GovernanceResponse, GovernanceSettings } from '../../../shared/schemas/governance';
import type { MeResponse } from '../../../shared/schemas/identity';
import type { Role } from '../../../shared/roles';
import type { AddMemberRequest, CreateOrganizationRequest, OffboardingResponse, Organization, OrganizationDetail, User } from '../../../shared/schemas/organization';
import type { Proposal, ProposalDraft, ProposalFields, ProposalQuerySchema, ReviewRequest, TimelineEntry } from '../../../shared/schemas/proposal';
import type { NotificationListSchema } from '../../../shared/schemas/notification';
import type { PublicCatalogQuerySchema, PublicDataset, PublicProject } from '../../../shared/schemas/public';
import { request, type ApiResult } from './client';

export type CatalogQuery = Partial<z.infer<typeof CatalogQuerySchema>>;
export type ProposalQuery = Partial<z.infer<typeof ProposalQuerySchema>>;
export type PublicCatalogQuery = Partial<z.infer<typeof PublicCatalogQuerySchema>>;
export type PublishVersionResponse = z.infer<typeof PublishVersionResponseSchema>;
export type SampleList = z.infer<typeof SampleListSchema>;
export type GrantFiles = z.infer<typeof GrantFilesSchema>;
export type AuditEvent = z.infer<typeof AuditEventSchema>;
export type ChainVerification = z.infer<typeof ChainVerificationSchema>;
export type NotificationList = z.infer<typeof NotificationListSchema>;
export type AuditFilter = Partial<Omit<AuditQuery, 'limit'>> & { limit?: number };

const data = async <T>(call: Promise<ApiResult<T>>): Promise<T> => (await call).data;
const enc = encodeURIComponent;

export const api = {
  // identity, organisations, governance
  me: () => data(request<MeResponse>('GET', '/v1/me')),
  organizations: (query: { cursor?: string; limit?: number } = {}) =>
    data(request<Page<Organization>>('GET', '/v1/organizations', { query })),
  organization: (orgId: string) => data(request<OrganizationDetail>('GET', `/v1/organizations/${enc(orgId)}`)),
  admitOrganization: (body: CreateOrganizationRequest, idempotencyKey: string) =>
    data(request<OrganizationDetail>('POST', '/v1/organizations', { body, idempotencyKey })),
  addMember: (orgId: string, body: AddMemberRequest, idempotencyKey: string) =>
    data(request<User>('POST', `/v1/organizations/${enc(orgId)}/members`, { body, idempotencyKey })),
  removeMember: (orgId: string, userId: string) =>
    data(request<OrganizationDetail>('DELETE', `/v1/organizations/${enc(orgId)}/members/${enc(userId)}`)),
  setMemberRoles: (orgId: string, userId: string, roles: Role[]) =>
    data(request<User>('PATCH', `/v1/organizations/${enc(orgId)}/members/${enc(userId)}`, { body: { roles } })),
  suspendOrganization: (orgId: string, reason: string) =>
    data(request<Organization>('POST', `/v1/organizations/${enc(orgId)}/suspension`, { body: { reason } })),
  reinstateOrganization: (orgId: string) => data(request<Organization>('DELETE', `/v1/organizations/${enc(orgId)}/suspension`)),
  offboardOrganization: (orgId: string, reason: string) =>
    data(request<OffboardingResponse>('POST', `/v1/organizations/${enc(orgId)}/offboarding`, { body: { reason } })),
  governance: () => data(request<GovernanceResponse>('GET', '/v1/governance')),
  putGovernance: (body: GovernanceSettings) => data(request<GovernanceResponse>('PUT', '/v1/governance', { body })),

  // the common agreement
  agreement: () => data(request<AgreementVersion>('GET', '/v1/agreement')),
  agreementVersions: () => data(request<AgreementVersionList>('GET', '/v1/agreement/versions')),
  agreementVersion: (version: number) => data(request<AgreementVersion>('GET', `/v1/agreement/versions/${version}`)),
  publishAgreement: (body: PublishAgreementVersionRequest, idempotencyKey: string) =>
    data(request<AgreementVersion>('POST', '/v1/agreement/versions', { body, idempotencyKey })),
  signAgreement: (body: SignAgreementRequest, idempotencyKey: string) =>
    data(request<Signature>('POST', '/v1/agreement/signatures', { body, idempotencyKey })),
  signatures: (query: { cursor?: string } = {}) => data(request<Page<Signature>>('GET', '/v1/agreement/signatures', { query })),

  // catalog
  datasets: (query: CatalogQuery = {}) => data(request<Page<Dataset>>('GET', '/v1/datasets', { query })),
  dataset: (id: string) => request<Dataset>('GET', `/v1/datasets/${enc(id)}`),
  createDataset: (body: DatasetMetadata, idempotencyKey: string) =>
    request<Dataset>('POST', '/v1/datasets', { body, idempotencyKey }),
  updateDataset: (id: string, body: UpdateDatasetRequest, ifMatch: string) =>
    request<Dataset>('PATCH', `/v1/datasets/${enc(id)}`, { body, ifMatch }),
  startUpload: (id: string, body: StartUploadRequest, idempotencyKey: string) =>
    data(request<StartUploadResponse>('POST', `/v1/datasets/${enc(id)}/uploads`, { body, idempotencyKey })),
  completeUpload: (id: string, fileId: string, body: CompleteUploadRequest) =>
    data(request<DatasetFile>('POST', `/v1/datasets/${enc(id)}/uploads/${enc(fileId)}/complete`, { body })),
  removeFile: (id: string, fileId: string) => data(request<Dataset>('DELETE', `/v1/datasets/${enc(id)}/files/${enc(fileId)}`)),
  setSample: (id: string, fileId: string, sample: boolean) =>
    data(request<DatasetFile>('PATCH', `/v1/datasets/${enc(id)}/files/${enc(fileId)}`, { body: { sample } })),
  publishVersion: (id: string) => data(request<PublishVersionResponse>('POST', `/v1/datasets/${enc(id)}/versions`)),
  retireDataset: (id: string, reason: string) => data(request<Dataset>('POST', `/v1/datasets/${enc(id)}/retire`, { body: { reason } })),
  samples: (id: string) => data(request<SampleList>('GET', `/v1/datasets/${enc(id)}/samples`)),

  // proposals
  proposals: (query: ProposalQuery = {}) => data(request<Page<Proposal>>('GET', '/v1/proposals', { query })),
  proposal: (id: string) => request<Proposal>('GET', `/v1/proposals/${enc(id)}`),
  createProposal: (body: ProposalDraft, idempotencyKey: string) =>
    request<Proposal>('POST', '/v1/proposals', { body, idempotencyKey }),
  updateProposal: (id: string, body: Partial<ProposalFields>, ifMatch: string) =>
    request<Proposal>('PATCH', `/v1/proposals/${enc(id)}`, { body, ifMatch }),
  submitProposal: (id: string, idempotencyKey: string) =>
    data(request<Proposal>('POST', `/v1/proposals/${enc(id)}/submit`, { idempotencyKey })),
  withdrawProposal: (id: string, reason?: string) =>
    data(request<Proposal>('POST', `/v1/proposals/${enc(id)}/withdraw`, { body: reason ? { reason } : {} })),
  reviewProposal: (id: string, body: ReviewRequest) => data(request<Proposal>('POST', `/v1/proposals/${enc(id)}/reviews`, { body })),
  timeline: (id: string) => data(request<{ items: TimelineEntry[] }>('GET', `/v1/proposals/${enc(id)}/timeline`)),

  // grants: files, downloads, revocation, closure, renewal
  grants: (query: Partial<GrantQuery> = {}) => data(request<Page<Grant>>('GET', '/v1/grants', { query })),
  grant: (id: string) => data(request<Grant>('GET', `/v1/grants/${enc(id)}`)),
  grantFiles: (id: string) => data(request<GrantFiles>('GET', `/v1/grants/${enc(id)}/files`)),
  mintDownload: (id: string, fileId: string) =>
    data(request<DownloadResponse>('POST', `/v1/grants/${enc(id)}/downloads`, { body: { fileId } })),
  revokeGrant: (id: string, reason: string) => data(request<Grant>('POST', `/v1/grants/${enc(id)}/revoke`, { body: { reason } })),
  setGrantTeam: (id: string, team: string[]) => data(request<Grant>('PUT', `/v1/grants/${enc(id)}/team`, { body: { team } })),
  closeGrant: (id: string, body: ClosureRequest) => data(request<Grant>('POST', `/v1/grants/${enc(id)}/closure`, { body })),
  requestRenewal: (id: string, body: RenewalRequest, idempotencyKey: string) =>
    data(request<Grant>('POST', `/v1/grants/${enc(id)}/renewals`, { body, idempotencyKey })),
  reviewRenewal: (id: string, renewalId: string, body: RenewalReviewRequest) =>
    data(request<Grant>('POST', `/v1/grants/${enc(id)}/renewals/${enc(renewalId)}/reviews`, { body })),

  // audit trail
  audit: (query: AuditFilter = {}) => data(request<Page<AuditEvent>>('GET', '/v1/audit', { query })),
  verifyAudit: () => data(request<ChainVerification>('GET', '/v1/audit/verify')),

  // notifications inbox
  notifications: (query: { cursor?: string; limit?: number } = {}) =>
    data(request<NotificationList>('GET', '/v1/notifications', { query })),
  readNotification: (id: string) => data(request<{ id: string; read: true }>('POST', `/v1/notifications/${enc(id)}/read`)),

  // public, no sign-in
  publicDatasets: (query: PublicCatalogQuery = {}) =>
    data(request<Page<PublicDataset>>('GET', '/v1/public/datasets', { query, auth: false })),
  publicDataset: (id: string) => data(request<PublicDataset>('GET', `/v1/public/datasets/${enc(id)}`, { auth: false })),
  publicProjects: (query: { cursor?: string; limit?: number } = {}) =>
    data(request<Page<PublicProject>>('GET', '/v1/public/projects', { query, auth: false })),

  // local sign-in (never deployed)
  localToken: (email: string) => data(request<{ accessToken: string }>('POST', '/local/token', { body: { email }, auth: false })),
};

/** The `If-Match` value for an item: the ETag the server sent, else its revision. */
export const ifMatchOf = (etag: string | null, revision: number): string => etag ?? `"${revision}"`;
