/**
 * Every DynamoDB key of the one table is spelled here, and only here.
 *
 * Table: PK, SK (strings); GSI1, GSI2, GSI3 (GSInPK, GSInSK); TTL attribute `expiresAt`.
 *
 * | entity               | PK                     | SK                      | GSI1PK / GSI1SK                  | GSI2PK / GSI2SK                      |
 * | -------------------- | ---------------------- | ----------------------- | -------------------------------- | ------------------------------------ |
 * | organisation         | ORG#<orgId>            | ORG                     | ORGS / <lower name>#<orgId>      |                                      |
 * | organisation name    | ORGNAME#<lower name>   | ORGNAME                 |                                  |                                      |
 * | user (membership)    | USER#<userId>          | USER                    |                                  |                                      |
 * | member (copy)        | ORG#<orgId>            | MEMBER#<email>          |                                  |                                      |
 * | user email           | EMAIL#<email>          | EMAIL                   |                                  |                                      |
 * | agreement version    | AGREEMENT              | VERSION#<000001>        |                                  |                                      |
 * | current agreement    | AGREEMENT              | CURRENT                 |                                  |                                      |
 * | signature            | ORG#<orgId>            | SIGNATURE#<000001>      | SIGNATURES / <000001>#<orgId>    |                                      |
 * | governance settings  | GOVERNANCE             | SETTINGS                |                                  |                                      |
 * | dataset (+ files map)| DATASET#<id>           | DATASET                 | CATALOG / <lower title>#<id> (published only) | PROVIDER#<orgId> / DATASET#<createdAt>#<id> |
 * | dataset version      | DATASET#<id>           | VERSION#<000001>        |                                  |                                      |
 * | idempotency record   | IDEMPOTENCY#<scope>#<key> | IDEMPOTENCY          |                                  |                                      |
 * | proposal             | PROPOSAL#<id>          | PROPOSAL                | ORG#<orgId>#PROPOSALS / <createdAt>#<id> | PROPOSALS / <firstSubmittedAt>#<id> (once submitted); GSI3 QUEUE / <submittedAt>#<id> (awaiting decision only) |
 * | proposal per provider| PROPOSAL#<id>          | PROVIDER#<orgId>        | PROVIDER#<orgId>#PROPOSALS / <firstSubmittedAt>#<id> (a copy of the proposal) |          |
 * | proposal event       | PROPOSAL#<id>          | EVENT#<at>#<revision>#<n> |                                  |                                      |
 * | obligation (open only; deleted once fulfilled) | ORG#<orgId> | OBLIGATION#<dueAt>#<id> | GSI3 OBLIGATIONS#OPEN / <dueAt>#<id> (open and not yet announced overdue) |                       |
 * | grant                | GRANT#<id>             | GRANT                   | ORG#<granteeOrgId>#GRANTS / <issuedAt>#<id> | PROVIDER#<orgId>#GRANTS / <issuedAt>#<id>; GSI3 GRANTS#<stored state> / <endDate>#<id> |
 * | public register entry| PROPOSAL#<id>          | REGISTER                | REGISTER / <decidedAt>#<id>      |                                      |
 * | audit chain head     | AUDIT                  | HEAD                    |                                  |                                      |
 * | audit event          | AUDIT                  | EVENT#<seq, 12 digits>  | AUDIT#ORG#<orgId> / <at>#<seq>   | AUDIT#ENTITY#<type>#<id> / <at>#<seq>; GSI3 AUDIT#PROVIDER#<orgId> / <at>#<seq> (first provider) |
 * | audit event copy     | AUDIT#COPY#<seq>       | PROVIDER#<orgId>        |                                  | GSI3 AUDIT#PROVIDER#<orgId> / <at>#<seq> (the 2nd.. providers of one event) |
 * | notification         | USER#<userId>          | NOTIFICATION#<id>       |                                  |                                      |
 * | unread counter       | USER#<userId>          | NOTIFICATIONS           |                                  |                                      |
 * | email preferences    | USER#<userId>          | EMAILPREFS              |                                  |                                      |
 * | email delivery       | MAIL#<deliveryKey>     | MAIL                    |                                  | GSI3 MAIL#RETRY / <nextAttemptAt>#<key> (sending or failed only) |
 * | digest entry         | DIGEST#<day>           | <userId>#<noticeKey>    |                                  |                                      |
 *
 * Access patterns (none scans):
 * - caller's membership: GetItem USER#<sub>, then GetItem ORG#<orgId> (cached per container);
 * - organisations by name: Query GSI1 ORGS; an organisation with its members: Query PK ORG#<orgId>, SK MEMBER#…ORG;
 * - unique organisation names and user emails: conditional Put of ORGNAME# / EMAIL# in the creating transaction;
 * - current agreement text: Query AGREEMENT, SK begins_with VERSION#, descending, limit 1;
 * - an organisation's standing with the agreement: BatchGet ORG#<orgId> + AGREEMENT/CURRENT (one round trip);
 * - signatures (admin view): Query GSI1 SIGNATURES;
 * - catalog: Query GSI1 CATALOG (sparse: only published datasets carry GSI1 keys);
 * - a provider's datasets in every state: Query GSI2 PROVIDER#<orgId>;
 * - a dataset with its files (a map attribute): GetItem DATASET#<id>; several: BatchGet;
 * - a proposal: GetItem; its timeline: Query PK PROPOSAL#<id>, SK begins_with EVENT#;
 * - a member's proposals: Query GSI1 ORG#<orgId>#PROPOSALS; a provider's: Query GSI1 PROVIDER#<orgId>#PROPOSALS;
 * - every submitted proposal (admins): Query GSI2 PROPOSALS; the review queue: Query GSI3 QUEUE, oldest first;
 * - overdue obligations (the gate): Query PK ORG#<orgId>, SK between OBLIGATION# and OBLIGATION#<now>, filter open, pages followed;
 *   open obligations falling due (lifecycle job): Query GSI3 OBLIGATIONS#OPEN, SK up to <dueAt> (sparse: open only);
 * - a grant: GetItem; a grantee's grants: Query GSI1 ORG#<orgId>#GRANTS; a provider's: Query GSI2 PROVIDER#<orgId>#GRANTS;
 *   every grant (admins): Query GSI3 GRANTS#<state> for each state in turn (one per page);
 *   active grants ending by a date (lifecycle job): Query GSI3 GRANTS#active, SK up to <date>~ (only active grants are in it);
 * - public register: Query GSI1 REGISTER, newest decision first;
 * - audit: the head, GetItem (consistent); the whole chain, Query PK AUDIT SK begins_with EVENT# in seq order;
 *   an organisation's events: Query GSI1 AUDIT#ORG#<orgId>; an entity's: Query GSI2 AUDIT#ENTITY#<type>#<id>;
 *   a provider's: Query GSI3 AUDIT#PROVIDER#<orgId>; all (admins): Query PK AUDIT, newest first;
 * - a user's notifications with the unread count: Query PK USER#<id>, SK between NOTIFICATION# and NOTIFICATIONS, newest first.
 * - email: a user's preferences, GetItem; one email per delivery key, conditional Put of MAIL#<key>; deliveries due a
 *   retry (failed, or stuck sending past their lease), Query GSI3 MAIL#RETRY up to <now>; a day's digest entries, Query PK DIGEST#<day>.
 */

export const pad = (n: number): string => n.toString().padStart(6, '0');

export const keys = {
  organization: (orgId: string) => ({ PK: `ORG#${orgId}`, SK: 'ORG' }),
  organizationName: (name: string) => ({ PK: `ORGNAME#${name.toLowerCase()}`, SK: 'ORGNAME' }),
  organizationsIndex: (name: string, orgId: string) => ({ GSI1PK: 'ORGS', GSI1SK: `${name.toLowerCase()}#${orgId}` }),

  user: (userId: string) => ({ PK: `USER#${userId}`, SK: 'USER' }),
  userEmail: (email: string) => ({ PK: `EMAIL#${email.toLowerCase()}`, SK: 'EMAIL' }),
  organizationMember: (orgId: string, email: string) => ({ PK: `ORG#${orgId}`, SK: `MEMBER#${email.toLowerCase()}` }),

  agreementVersion: (version: number) => ({ PK: 'AGREEMENT', SK: `VERSION#${pad(version)}` }),
  agreementCurrent: () => ({ PK: 'AGREEMENT', SK: 'CURRENT' }),
  agreementPartition: 'AGREEMENT',
  agreementVersionPrefix: 'VERSION#',

  signature: (orgId: string, version: number) => ({ PK: `ORG#${orgId}`, SK: `SIGNATURE#${pad(version)}` }),
  signaturesIndex: (orgId: string, version: number) => ({ GSI1PK: 'SIGNATURES', GSI1SK: `${pad(version)}#${orgId}` }),

  governance: () => ({ PK: 'GOVERNANCE', SK: 'SETTINGS' }),

  dataset: (id: string) => ({ PK: `DATASET#${id}`, SK: 'DATASET' }),
  catalogIndex: (title: string, id: string) => ({ GSI1PK: 'CATALOG', GSI1SK: `${title.toLowerCase()}#${id}` }),
  providerIndex: (orgId: string, createdAt: string, id: string) => ({
    GSI2PK: `PROVIDER#${orgId}`,
    GSI2SK: `DATASET#${createdAt}#${id}`,
  }),
  datasetVersion: (id: string, version: number) => ({ PK: `DATASET#${id}`, SK: `VERSION#${pad(version)}` }),

  proposal: (id: string) => ({ PK: `PROPOSAL#${id}`, SK: 'PROPOSAL' }),
  proposalPartition: (id: string) => `PROPOSAL#${id}`,
  proposalsOfOrg: (orgId: string) => `ORG#${orgId}#PROPOSALS`,
  proposalProvider: (id: string, providerOrgId: string) => ({ PK: `PROPOSAL#${id}`, SK: `PROVIDER#${providerOrgId}` }),
  proposalsOfProvider: (providerOrgId: string) => `PROVIDER#${providerOrgId}#PROPOSALS`,
  proposalEvent: (id: string, at: string, revision: number, n: number) => ({ PK: `PROPOSAL#${id}`, SK: `EVENT#${at}#${pad(revision)}#${n}` }),
  submittedProposals: 'PROPOSALS',
  reviewQueue: 'QUEUE',
  obligation: (orgId: string, dueAt: string, id: string) => ({ PK: `ORG#${orgId}`, SK: `OBLIGATION#${dueAt}#${id}` }),
  openObligations: 'OBLIGATIONS#OPEN',

  grant: (id: string) => ({ PK: `GRANT#${id}`, SK: 'GRANT' }),
  grantsOfGrantee: (orgId: string) => `ORG#${orgId}#GRANTS`,
  grantsOfProvider: (orgId: string) => `PROVIDER#${orgId}#GRANTS`,
  grantsInState: (state: string) => `GRANTS#${state}`,
  registerEntry: (proposalId: string) => ({ PK: `PROPOSAL#${proposalId}`, SK: 'REGISTER' }),
  register: 'REGISTER',

  auditHead: () => ({ PK: 'AUDIT', SK: 'HEAD' }),
  auditPartition: 'AUDIT',
  auditEventPrefix: 'EVENT#',
  auditEvent: (seq: number) => ({ PK: 'AUDIT', SK: `EVENT#${seq.toString().padStart(12, '0')}` }),
  auditIndexSk: (at: string, seq: number) => `${at}#${seq.toString().padStart(12, '0')}`,
  auditOfOrg: (orgId: string) => `AUDIT#ORG#${orgId}`,
  auditOfEntity: (type: string, id: string) => `AUDIT#ENTITY#${type}#${id}`,
  auditOfProvider: (orgId: string) => `AUDIT#PROVIDER#${orgId}`,
  auditCopy: (seq: number, providerOrgId: string) => ({ PK: `AUDIT#COPY#${seq.toString().padStart(12, '0')}`, SK: `PROVIDER#${providerOrgId}` }),

  notification: (userId: string, id: string) => ({ PK: `USER#${userId}`, SK: `NOTIFICATION#${id}` }),
  unreadCounter: (userId: string) => ({ PK: `USER#${userId}`, SK: 'NOTIFICATIONS' }),
  userPartition: (userId: string) => `USER#${userId}`,

  emailPreferences: (userId: string) => ({ PK: `USER#${userId}`, SK: 'EMAILPREFS' }),
  mailDelivery: (deliveryKey: string) => ({ PK: `MAIL#${deliveryKey}`, SK: 'MAIL' }),
  mailRetryQueue: 'MAIL#RETRY',
  mailRetryIndex: (nextAttemptAt: string, deliveryKey: string) => ({ GSI3PK: 'MAIL#RETRY', GSI3SK: `${nextAttemptAt}#${deliveryKey}` }),
  digestPartition: (day: string) => `DIGEST#${day}`,
  digestEntry: (day: string, userId: string, noticeKey: string) => ({ PK: `DIGEST#${day}`, SK: `${userId}#${noticeKey}` }),

  /** `scope`: a hash of the caller and the request's method and path (functions/api/http/idempotency.ts). */
  idempotency: (scope: string, key: string) => ({ PK: `IDEMPOTENCY#${scope}#${key}`, SK: 'IDEMPOTENCY' }),
} as const;

