/**
 * Every DynamoDB key of the one table is spelled here, and only here.
 *
 * Table: PK, SK (strings); GSI1 (GSI1PK, GSI1SK); GSI2 (GSI2PK, GSI2SK); TTL attribute `expiresAt`.
 *
 * | entity               | PK                     | SK                      | GSI1PK / GSI1SK                  | GSI2PK / GSI2SK                      |
 * | -------------------- | ---------------------- | ----------------------- | -------------------------------- | ------------------------------------ |
 * | organisation         | ORG#<orgId>            | ORG                     | ORGS / <lower name>#<orgId>      |                                      |
 * | organisation name    | ORGNAME#<lower name>   | ORGNAME                 |                                  |                                      |
 * | user (membership)    | USER#<userId>          | USER                    | ORG#<orgId> / USER#<email>       |                                      |
 * | user email           | EMAIL#<email>          | EMAIL                   |                                  |                                      |
 * | agreement version    | AGREEMENT              | VERSION#<000001>        |                                  |                                      |
 * | current agreement    | AGREEMENT              | CURRENT                 |                                  |                                      |
 * | signature            | ORG#<orgId>            | SIGNATURE#<000001>      | SIGNATURES / <000001>#<orgId>    |                                      |
 * | governance settings  | GOVERNANCE             | SETTINGS                |                                  |                                      |
 * | dataset              | DATASET#<id>           | DATASET                 | CATALOG / <lower title>#<id> (published only) | PROVIDER#<orgId> / DATASET#<createdAt>#<id> |
 * | dataset file         | DATASET#<id>           | FILE#<000001>#<fileId>  |                                  |                                      |
 * | dataset version      | DATASET#<id>           | VERSION#<000001>        |                                  |                                      |
 * | idempotency record   | IDEMPOTENCY#<orgId>#<key> | IDEMPOTENCY          |                                  |                                      |
 *
 * Access patterns (none scans):
 * - caller's membership: GetItem USER#<sub>, then GetItem ORG#<orgId> (cached per container);
 * - organisations by name: Query GSI1 ORGS; members of an organisation: Query GSI1 ORG#<orgId>;
 * - unique organisation names and user emails: conditional Put of ORGNAME# / EMAIL# in the creating transaction;
 * - current agreement text: Query AGREEMENT, SK begins_with VERSION#, descending, limit 1;
 * - an organisation's standing with the agreement: BatchGet ORG#<orgId> + AGREEMENT/CURRENT (one round trip);
 * - signatures (admin view): Query GSI1 SIGNATURES;
 * - catalog: Query GSI1 CATALOG (sparse: only published datasets carry GSI1 keys);
 * - a provider's datasets in every state: Query GSI2 PROVIDER#<orgId>;
 * - a dataset with its files and versions: Query PK DATASET#<id>.
 */

export const pad = (n: number): string => n.toString().padStart(6, '0');

export const keys = {
  organization: (orgId: string) => ({ PK: `ORG#${orgId}`, SK: 'ORG' }),
  organizationName: (name: string) => ({ PK: `ORGNAME#${name.toLowerCase()}`, SK: 'ORGNAME' }),
  organizationsIndex: (name: string, orgId: string) => ({ GSI1PK: 'ORGS', GSI1SK: `${name.toLowerCase()}#${orgId}` }),

  user: (userId: string) => ({ PK: `USER#${userId}`, SK: 'USER' }),
  userEmail: (email: string) => ({ PK: `EMAIL#${email.toLowerCase()}`, SK: 'EMAIL' }),
  membersIndex: (orgId: string, email: string) => ({ GSI1PK: `ORG#${orgId}`, GSI1SK: `USER#${email.toLowerCase()}` }),

  agreementVersion: (version: number) => ({ PK: 'AGREEMENT', SK: `VERSION#${pad(version)}` }),
  agreementCurrent: () => ({ PK: 'AGREEMENT', SK: 'CURRENT' }),
  agreementPartition: 'AGREEMENT',
  agreementVersionPrefix: 'VERSION#',

  signature: (orgId: string, version: number) => ({ PK: `ORG#${orgId}`, SK: `SIGNATURE#${pad(version)}` }),
  signaturesIndex: (orgId: string, version: number) => ({ GSI1PK: 'SIGNATURES', GSI1SK: `${pad(version)}#${orgId}` }),

  governance: () => ({ PK: 'GOVERNANCE', SK: 'SETTINGS' }),

  dataset: (id: string) => ({ PK: `DATASET#${id}`, SK: 'DATASET' }),
  datasetPartition: (id: string) => `DATASET#${id}`,
  catalogIndex: (title: string, id: string) => ({ GSI1PK: 'CATALOG', GSI1SK: `${title.toLowerCase()}#${id}` }),
  providerIndex: (orgId: string, createdAt: string, id: string) => ({
    GSI2PK: `PROVIDER#${orgId}`,
    GSI2SK: `DATASET#${createdAt}#${id}`,
  }),
  datasetFile: (id: string, version: number, fileId: string) => ({ PK: `DATASET#${id}`, SK: `FILE#${pad(version)}#${fileId}` }),
  datasetVersion: (id: string, version: number) => ({ PK: `DATASET#${id}`, SK: `VERSION#${pad(version)}` }),

  idempotency: (orgId: string, key: string) => ({ PK: `IDEMPOTENCY#${orgId}#${key}`, SK: 'IDEMPOTENCY' }),
} as const;

