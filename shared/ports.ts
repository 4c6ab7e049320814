import type { AuditDraft, AuditEvent, AuditHead } from './audit-chain';
import type { AgreementVersion, Signature } from './schemas/agreement';
import type { Page } from './schemas/common';
import type { CatalogQuery, Dataset, DatasetFile, DatasetMetadata, FileVerificationJob } from './schemas/dataset';
import type { GovernanceResponse, GovernanceSettings } from './schemas/governance';
import type { Grant, GrantFile, GrantQuery, GrantState, ObligationKind, Renewal } from './schemas/grant';
import type { EmailPreferences } from './schemas/email-preferences';
import type { Notification, NotificationKind } from './schemas/notification';
import type { Organization, Suspension, User } from './schemas/organization';

/**
 * The ports the domain services need. Adapters in functions/adapters implement them with
 * DynamoDB, S3 and Cognito; tests use the same adapters against the local servers.
 */

/** The time. Injected so expiry and grace periods can be tested. */
export interface Clock {
  now(): Date;
}

/** Unguessable ids. */
export interface IdGenerator {
  newId(): string;
}

/** Where sign-in identities live (Cognito deployed, the local issuer locally). */
export interface IdentityDirectory {
  /** Creates the sign-in identity for a new user, or finds an existing one; returns its subject. */
  ensureUser(email: string, name: string): Promise<string>;
  /**
   * Ends a removed user's sign-in at the source: deployed, Cognito signs them out everywhere
   * (their refresh tokens stop working) and disables them. Their access token may still verify
   * until it expires; the per-request standing check refuses it before then.
   */
  revokeAccess(user: Pick<User, 'id' | 'email'>): Promise<void>;
  /** Lets a user sign in again (deployed: Cognito enables them), when their organisation is reinstated. */
  restoreAccess(user: Pick<User, 'id' | 'email'>): Promise<void>;
}

/** A user with the organisation they belong to: what the server knows about a caller. */
export interface Membership {
  readonly user: User;
  readonly organization: Pick<Organization, 'id' | 'name' | 'kinds'> & { readonly suspension?: Suspension | null };
}

/**
 * A change to a member's place in an organisation. `kept`: for each admin role the member loses,
 * another member holding it whom the change relies on; the write fails with `last_org_admin`
 * (or `last_consortium_admin`) if that member no longer holds it when it commits.
 */
export interface MemberChange {
  readonly user: User;
  readonly kept?: readonly { readonly email: string; readonly role: User['roles'][number] }[];
  readonly audit: readonly AuditDraft[];
}

export interface OrganizationRepository {
  /** Creates the organisation and its first user at once; `name_taken` or `email_taken` on conflict. */
  create(organization: Organization, firstUser: User, audit?: readonly AuditDraft[]): Promise<void>;
  get(orgId: string): Promise<Organization | null>;
  list(page: { limit: number; cursor?: string }): Promise<Page<Organization>>;
  addUser(user: User, organization: Pick<Organization, 'id' | 'name' | 'kinds'>): Promise<void>;
  listMembers(orgId: string): Promise<User[]>;
  /** The organisation and its members in one round trip. */
  withMembers(orgId: string): Promise<{ organization: Organization | null; members: User[] }>;
  /** The membership of a signed-in subject; null when the subject is not a user of any organisation. */
  membership(userId: string): Promise<Membership | null>;
  /**
   * The membership with its organisation's suspension, read strongly consistently on every
   * request; `orgId`, when known, lets the user and the organisation come in one round trip.
   */
  standing(userId: string, orgId?: string): Promise<Membership | null>;
  /** Removes the user from their organisation (user, email and member items); `not_a_member` if gone. */
  removeUser(change: MemberChange): Promise<void>;
  /** Replaces the user's roles on both of its items; `not_a_member` if gone. */
  setRoles(change: MemberChange & { readonly roles: User['roles'] }): Promise<void>;
  /** Sets or clears the organisation's suspension. */
  setSuspension(orgId: string, suspension: Suspension | null, audit: readonly AuditDraft[]): Promise<void>;
  userIdByEmail(email: string): Promise<string | null>;
}

/** The current agreement version, in brief, and where an organisation stands with it. */
export interface AgreementStanding {
  readonly current: Pick<AgreementVersion, 'version' | 'sha256' | 'publishedAt' | 'graceDays'> | null;
  readonly signedVersion: number | null;
}

export interface AgreementRepository {
  current(): Promise<AgreementVersion | null>;
  /** Publishes `version`, which must follow the current one; `version_conflict` when another publish won. */
  publish(version: AgreementVersion, audit?: readonly AuditDraft[]): Promise<void>;
  /** Records a signature of the current version; `already_signed`, or `agreement_changed` when it is no longer current. */
  sign(signature: Signature, audit?: readonly AuditDraft[]): Promise<void>;
  listSignatures(page: { limit: number; cursor?: string }): Promise<Page<Signature>>;
  /** One published version, past or current; null when there is none with that number. */
  version(version: number): Promise<AgreementVersion | null>;
  /** Every published version, newest first, without their texts. */
  versions(): Promise<Omit<AgreementVersion, 'text' | 'publishedBy'>[]>;
  /** One round trip: the organisation's latest signature and the current version. */
  standing(orgId: string): Promise<AgreementStanding>;
}

export interface GovernanceRepository {
  get(): Promise<GovernanceResponse>;
  put(settings: GovernanceSettings, updatedBy: string, updatedAt: string): Promise<GovernanceResponse>;
}

/** A dataset file as stored: the API's view plus where the bytes are. */
export interface StoredDatasetFile extends DatasetFile {
  /** Where the verified bytes are published; only the verifier writes there (uploads land under a staging key). */
  readonly objectKey: string;
  readonly contentType: string;
  readonly uploadId: string | null;
}

export interface StoredDataset extends Omit<Dataset, 'files'> {
  readonly files: StoredDatasetFile[];
}

export interface DatasetRepository {
  create(dataset: StoredDataset): Promise<void>;
  /** The dataset with its files, in one round trip. */
  get(datasetId: string): Promise<StoredDataset | null>;
  /** Several datasets in one round trip; unknown ids are left out. */
  getMany(datasetIds: string[]): Promise<StoredDataset[]>;
  /**
   * Several datasets and the audit chain's head in the same round trip, for a change that reads
   * datasets and then appends to the chain (an approval): pass the head on as `WriteExtras.auditHead`.
   */
  getManyWithAuditHead(datasetIds: string[]): Promise<{ datasets: StoredDataset[]; auditHead: AuditHead }>;
  /** Applies a metadata change when the stored revision equals `expectedRevision`. */
  updateMetadata(
    dataset: StoredDataset,
    metadata: DatasetMetadata,
    expectedRevision: number,
    updatedAt: string,
  ): Promise<StoredDataset>;
  /** Adds a pending file to the dataset's draft version, failing when that version was published meanwhile. */
  addFile(datasetId: string, file: StoredDatasetFile): Promise<void>;
  /** A completed upload goes to the verifier: `pending` → `verifying` (409 when it is no longer pending or its version was published). */
  markVerifying(datasetId: string, file: StoredDatasetFile): Promise<void>;
  /**
   * Claims a `verifying` file for one verification run until `until` (ISO time), so that a second
   * delivery of the same job cannot copy over bytes the first has hashed. False when another run
   * holds an unexpired claim, or the file is no longer verifying.
   */
  claimVerification(datasetId: string, file: StoredDatasetFile, claim: { readonly token: string; readonly now: string; readonly until: string }): Promise<boolean>;
  /** Gives up a claim that run `token` holds (it failed part-way), so the next delivery need not wait for it to lapse. */
  releaseVerification(datasetId: string, file: StoredDatasetFile, token: string): Promise<void>;
  /**
   * Records what became of a file that was `from`: ready with the size and sha256 of its published
   * bytes, or rejected with a reason; with `claimToken`, only while that claim is the file's. False,
   * and nothing written, when the file is gone, no longer `from`, claimed by another run, or its
   * version was published meanwhile.
   */
  recordFileOutcome(datasetId: string, file: StoredDatasetFile, from: 'pending' | 'verifying', outcome: FileOutcome, claimToken?: string): Promise<boolean>;
  /** Removes a file of the unpublished draft version (409 once that version is published). */
  removeFile(datasetId: string, file: StoredDatasetFile): Promise<void>;
  setSample(datasetId: string, file: StoredDatasetFile, sample: boolean): Promise<void>;
  /**
   * Freezes the draft version's files, every one of them ready, and makes it the published version.
   * A file added or removed since `dataset` was read is a 409.
   */
  publishVersion(dataset: StoredDataset, files: StoredDatasetFile[], at: string, audit?: readonly AuditDraft[]): Promise<void>;
  /** Retires the dataset; a 409 `invalid_transition` when it already is. Every mint on its grants is refused from then on. */
  retire(dataset: StoredDataset, at: string, reason: string, audit?: readonly AuditDraft[]): Promise<void>;
  /**
   * A check that joins another change's transaction (an approval issuing grants): the dataset is
   * still published, at `version`. A retirement or a new version committed meanwhile cancels the change.
   */
  offeredAt(datasetId: string, version: number): PreparedWrite;
  /** Published datasets (files not included). */
  listCatalog(query: CatalogQuery): Promise<Page<StoredDataset>>;
  /** One provider's datasets in every state, newest first (files not included). */
  listByProvider(orgId: string, query: CatalogQuery): Promise<Page<StoredDataset>>;
}

/** What verification made of a file. */
export type FileOutcome =
  | { readonly status: 'ready'; readonly size: number; readonly sha256: string; readonly at: string }
  | { readonly status: 'rejected'; readonly reason: string; readonly at: string };

/** Where file bytes live. Object keys never leave the server. */
export interface ObjectStore {
  /** A URL for one PUT of exactly `contentLength` bytes (the length is signed: storage refuses any other). */
  presignPut(key: string, contentLength: number, expiresInSeconds: number): Promise<string>;
  startMultipart(key: string, contentType: string): Promise<string>;
  /** A URL for one part of exactly `contentLength` bytes. */
  presignPart(key: string, uploadId: string, partNumber: number, contentLength: number, expiresInSeconds: number): Promise<string>;
  completeMultipart(key: string, uploadId: string, parts: { partNumber: number; etag: string }[]): Promise<void>;
  /** The size of a stored object without reading it; null when it does not exist. */
  head(key: string): Promise<{ size: number } | null>;
  /** Size and sha256 of a stored object, computed by reading it; null when it does not exist. */
  digest(key: string): Promise<{ size: number; sha256: string } | null>;
  /** A server-side copy (the bytes never pass through us), stored with `contentType`; false when the source does not exist. */
  copy(sourceKey: string, targetKey: string, contentType: string): Promise<boolean>;
  /** Deletes an object; deleting a missing one is not an error. */
  delete(key: string): Promise<void>;
  presignGet(key: string, options: { expiresInSeconds: number; downloadName: string }): Promise<string>;
}

/**
 * Hands a completed upload to the verifier, which runs apart from the request that completed it
 * (an SQS queue and its own function deployed; in the same process, in the background, locally).
 * Delivery is at least once: the verifier does nothing for a file that is no longer `verifying`.
 */
export interface FileVerificationQueue {
  enqueue(job: FileVerificationJob): Promise<void>;
}

/** Remembers the first response to a creating request, per organisation and key. */
/**
 * Idempotency records, each under a scope (the caller and the request's method and path) and the
 * client's key: one user's key never answers another user's request, nor another route's.
 */
export interface IdempotencyStore {
  /** Claims the key; returns the earlier record when it was already claimed. */
  claim(scope: string, key: string, fingerprint: string, now: Date): Promise<IdempotencyRecord | null>;
  complete(scope: string, key: string, response: { status: number; body: string }): Promise<void>;
  release(scope: string, key: string): Promise<void>;
}

export interface IdempotencyRecord {
  readonly fingerprint: string;
  readonly state: 'pending' | 'completed';
  readonly status?: number;
  readonly body?: string;
}


/** A proposal as stored: the API's view before it is shaped for the caller. */
export interface StoredProposal {
  readonly id: string;
  readonly orgId: string;
  readonly orgName: string;
  readonly state: import('./proposal-state').ProposalState;
  readonly revision: number;
  readonly fields: Partial<import('./schemas/proposal').ProposalFields>;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly submittedAt: string | null;
  readonly firstSubmittedAt: string | null;
  readonly decidedAt: string | null;
  readonly agreementVersion: number | null;
  readonly snapshots: import('./schemas/proposal').Proposal['snapshots'];
  readonly consents: import('./schemas/proposal').Consent[];
  readonly adminApprovals: import('./schemas/proposal').Proposal['adminApprovals'];
  readonly conditions: string[];
}

/** One entry of a proposal's timeline; `audience` limits it to one provider organisation. */
export interface ProposalEvent {
  readonly at: string;
  readonly by: string;
  readonly orgId: string;
  readonly orgName: string;
  readonly kind: string;
  readonly text: string | null;
  readonly details?: Record<string, unknown>;
  readonly audience: 'all' | { readonly providerOrgId: string };
}

export interface ProposalRepository {
  get(proposalId: string): Promise<StoredProposal | null>;
  /**
   * Writes the proposal's new state with its timeline events in one transaction, when the stored
   * revision is still `previous.revision` (no previous: the proposal must not exist yet). A lost
   * race is a 409 `concurrent_update`. `extras` join the same transaction: other entities' writes
   * (the grants of an approval) and audit events.
   */
  save(proposal: StoredProposal, previous: StoredProposal | null, events: ProposalEvent[], extras?: WriteExtras): Promise<void>;
  /** The proposal and its timeline, in order, in one round trip. */
  withTimeline(proposalId: string): Promise<{ proposal: StoredProposal | null; events: ProposalEvent[] }>;
  listByOrganization(orgId: string, query: { limit: number; cursor?: string; state?: string }): Promise<Page<StoredProposal>>;
  listByProvider(providerOrgId: string, query: { limit: number; cursor?: string; state?: string }): Promise<Page<StoredProposal>>;
  listSubmitted(query: { limit: number; cursor?: string; state?: string }): Promise<Page<StoredProposal>>;
  /** Proposals waiting for a decision, oldest submission first. */
  reviewQueue(query: { limit: number; cursor?: string }): Promise<Page<StoredProposal>>;
}

/** Closure obligations (attestations, reports) an organisation owes. */
export interface ObligationRepository {
  /** Whether the organisation has an open obligation whose deadline passed. */
  hasOverdue(orgId: string, now: Date): Promise<boolean>;
}

/** A write one repository prepared to join another's transaction; only the adapters look inside. */
export interface PreparedWrite {
  readonly prepared: unknown;
}

/** What joins a save's transaction: other entities' writes, and events appended to the audit chain. */
export interface WriteExtras {
  readonly writes?: readonly PreparedWrite[];
  readonly audit?: readonly AuditDraft[];
  /** The chain's head as read with the change's other reads: the append's first attempt uses it instead of reading it again (if it moved since, the append re-reads and retries). */
  readonly auditHead?: AuditHead;
}

/** A grant's file as stored: the API's view plus where the bytes are. */
export interface StoredGrantFile extends GrantFile {
  readonly objectKey: string;
}

export interface StoredObligation {
  readonly id: string;
  readonly kind: ObligationKind;
  readonly dueAt: string;
  readonly state: 'open' | 'fulfilled';
  readonly fulfilledAt: string | null;
  /** Whether the lifecycle job already announced it overdue. */
  readonly overdueNotified?: boolean;
}

/** A grant as stored. `state` is the stored state; what a caller sees is computed from the end date. */
export interface StoredGrant extends Omit<Grant, 'state' | 'obligations' | 'renewals'> {
  readonly state: GrantState;
  readonly files: StoredGrantFile[];
  readonly obligations: StoredObligation[];
  readonly renewals: Renewal[];
  /** Whether the dataset's provider must consent (to a renewal). */
  readonly consentRequired: boolean;
  readonly listInPublicRegister: boolean;
  /** Reminders already sent, in days before the end. */
  readonly remindersSent: number[];
}

/** `state` is the effective state; `today` (UTC date) tells active grants from those past their end. */
export type GrantListQuery = Pick<GrantQuery, 'limit' | 'cursor' | 'state'> & { readonly today: string };

export interface GrantRepository {
  get(grantId: string): Promise<StoredGrant | null>;
  /** The grant and the audit chain's head in one round trip, for a download: pass the head on to `recordDownload`. */
  getWithAuditHead(grantId: string): Promise<{ grant: StoredGrant | null; auditHead: AuditHead }>;
  /** The writes that create `grants`; they join the approving transaction. */
  issueWrites(grants: readonly StoredGrant[]): PreparedWrite[];
  /**
   * Writes the grant's new state, with its obligations (items the obligations gate queries), when
   * the stored revision is still `previous.revision`; a lost race is a 409 `concurrent_update`.
   */
  save(grant: StoredGrant, previous: StoredGrant, extras?: WriteExtras): Promise<void>;
  /**
   * Appends a download's audit event in a transaction that checks the grant is still active and
   * its dataset not retired (403 `grant_revoked`, `grant_expired`, `dataset_retired`); `auditHead`, read with the grant, saves the append its own head read.
   */
  recordDownload(grant: StoredGrant, event: AuditDraft, auditHead?: AuditHead): Promise<void>;
  listByGrantee(orgId: string, query: GrantListQuery): Promise<Page<StoredGrant>>;
  listByProvider(orgId: string, query: GrantListQuery): Promise<Page<StoredGrant>>;
  listAll(query: GrantListQuery): Promise<Page<StoredGrant>>;
  /** Grants stored as active whose end date is on or before `endDate`, soonest first (the lifecycle job). */
  activeEndingBy(endDate: string, query: { limit: number; cursor?: string }): Promise<Page<StoredGrant>>;
  /** Open obligations due on or before `dueAt`, soonest first (the lifecycle job). */
  openObligationsDueBy(dueAt: string, query: { limit: number; cursor?: string }): Promise<Page<{ grantId: string; obligation: StoredObligation }>>;
}

/** Whose audit events a caller may read. */
export type AuditScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'organization'; readonly orgId: string }
  | { readonly kind: 'provider'; readonly orgId: string };

export interface AuditListQuery {
  readonly limit: number;
  readonly cursor?: string;
  readonly entity?: { readonly type: AuditEvent['entity']['type']; readonly id: string };
  readonly from?: string;
  readonly to?: string;
}

/** The hash-chained audit trail. Events are appended by the repositories' transactions (WriteExtras.audit). */
export interface AuditLog {
  /** Newest first. */
  list(scope: AuditScope, query: AuditListQuery): Promise<Page<AuditEvent>>;
  /** Every event in chain order, and the head. */
  readChain(): Promise<{ events: AuditEvent[]; head: AuditHead }>;
  /** Appends events alone (no other change); retries a lost head race. */
  append(events: readonly AuditDraft[]): Promise<AuditEvent[]>;
}

/**
 * A domain event worth telling people about. Goes to the event bus (deployed) and to the inbox of
 * every user in its audience.
 */
export interface DomainNotice {
  readonly kind: NotificationKind;
  readonly at: string;
  readonly title: string;
  readonly text: string;
  readonly subject: Notification['subject'];
  /** Every user of these organisations, and/or every consortium admin. */
  readonly audience: {
    readonly orgIds: readonly string[];
    readonly consortiumAdmins?: boolean;
    /** Only the org-admins of the named organisations (an agreement version, which they sign). */
    readonly orgAdminsOnly?: boolean;
  };
  /** Machine-readable facts for event consumers (never secrets). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Where domain notices go. Called after the change committed; a failure here never undoes it. */
export interface Notifier {
  notify(notices: readonly DomainNotice[]): Promise<void>;
}

/** Each user's in-app inbox. */
export interface NotificationInbox {
  /** Newest first, with the number of unread notifications, in one round trip. */
  list(userId: string, query: { limit: number; cursor?: string }): Promise<{ items: Notification[]; unread: number; nextCursor: string | null }>;
  /** Marks one read; false when it does not exist. Reading twice is harmless. */
  markRead(userId: string, notificationId: string): Promise<boolean>;
  deliver(userIds: readonly string[], notification: Omit<Notification, 'read'>): Promise<void>;
}

/** A project in the public register, as stored. */
export interface RegisterEntry {
  readonly proposalId: string;
  readonly title: string;
  readonly organisation: string;
  readonly purpose: { readonly category: string; readonly label: string };
  readonly datasets: { readonly title: string; readonly provider: string }[];
  readonly startDate: string;
  readonly endDate: string;
  readonly approvedAt: string;
  readonly grantCount: number;
  /** By grant id: the public summary of each grant closed with an outcome report. */
  readonly outcomes: Record<string, { readonly dataset: string; readonly summary: string; readonly closedAt: string }>;
  /** The project's grants revoked before their end: once every grant is revoked or closed, the project no longer runs. */
  readonly revokedGrantIds?: readonly string[];
}

/** The public transparency register of approved projects that agreed to be listed. */
export interface PublicRegister {
  /** Creates the entry: joins the approving transaction. */
  entryWrites(entry: RegisterEntry): PreparedWrite[];
  /** Records a closed grant's public summary: joins the closing transaction. */
  outcomeWrites(proposalId: string, grantId: string, outcome: RegisterEntry['outcomes'][string]): PreparedWrite[];
  /** Moves the period's end after a renewal: joins the renewing transaction. */
  renewalWrites(proposalId: string, endDate: string): PreparedWrite[];
  /** Records a revoked grant: joins the revoking transaction. */
  revocationWrites(proposalId: string, grantId: string): PreparedWrite[];
  /** Newest approval first. */
  list(query: { limit: number; cursor?: string }): Promise<Page<RegisterEntry>>;
}

/** An email ready to send to one person. */
export interface OutgoingEmail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** The delivery key: the same for every attempt at this email (providers' logs, Message-ID). */
  readonly deliveryKey: string;
}

/** Sends one email (Amazon SES deployed, SMTP locally); throws when the message was not accepted. */
export interface MailSender {
  send(mail: OutgoingEmail): Promise<void>;
}

/** One email's delivery record: created once per key, before the first attempt. */
export interface MailDelivery extends OutgoingEmail {
  readonly userId: string;
  readonly state: 'sending' | 'sent' | 'failed' | 'abandoned';
  readonly attempts: number;
  /** When a failed (or stuck) attempt is tried again. */
  readonly nextAttemptAt: string | null;
  readonly lastError: string | null;
}

/** A notice waiting for a user's daily digest. */
export interface DigestEntry {
  readonly userId: string;
  readonly noticeKey: string;
  readonly notice: { readonly kind: NotificationKind; readonly at: string; readonly title: string; readonly text: string; readonly subject: Notification['subject'] };
}

/** Email preferences, delivery keys and the retry queue. */
export interface MailStore {
  /** null when the user never chose (the defaults apply). */
  preferences(userId: string): Promise<EmailPreferences | null>;
  savePreferences(userId: string, preferences: EmailPreferences, at: string): Promise<void>;
  /**
   * Records the delivery in state `sending` with a lease until `leaseUntil`; false when its key
   * exists already (sent, being sent or waiting for a retry): the caller sends nothing then.
   */
  claim(delivery: Omit<MailDelivery, 'state' | 'attempts' | 'nextAttemptAt' | 'lastError'>, leaseUntil: string): Promise<boolean>;
  /** Claims a due retry: false when another worker took it first. */
  reclaim(delivery: MailDelivery, leaseUntil: string): Promise<boolean>;
  markSent(deliveryKey: string, attempts: number, at: string): Promise<void>;
  /** `nextAttemptAt` null: given up (state `abandoned`, kept for the record). */
  markFailed(deliveryKey: string, attempts: number, error: string, nextAttemptAt: string | null): Promise<void>;
  /** Failed or stuck deliveries whose next attempt is due, oldest first. */
  due(now: string, limit: number): Promise<MailDelivery[]>;
  get(deliveryKey: string): Promise<MailDelivery | null>;
  /** Keeps a notice for the user's digest of `day` (YYYY-MM-DD); a notice kept twice is kept once. */
  addToDigest(day: string, entry: DigestEntry): Promise<void>;
  /** Every notice kept for the digests of `day`. */
  digest(day: string): Promise<DigestEntry[]>;
}
