import { readFileSync } from 'node:fs';
import type { Caller } from '../../shared/roles';
import type { StartUploadResponse } from '../../shared/schemas/dataset';
import { publishAgreementVersion, signAgreement } from '../api/agreements/service';
import { completeUpload, createDataset, publishVersion, startUpload } from '../api/catalog/service';
import { admitOrganization } from '../api/identity/service';
import { createProposal, reviewProposal, submitProposal } from '../api/proposals/service';
import type { LocalApp } from './local-app';
import { DEMO_DATASETS, sampleOf } from './demo/datasets';

/** The demo sign-ins `npm start` prints. */
export const DEMO_USERS = [
  { email: 'admin@secretariat.example', who: 'consortium admin (Accord Secretariat)' },
  { email: 'data@northwind.example', who: 'provider org-admin (Northwind Mobility)' },
  { email: 'data@helios.example', who: 'provider org-admin (Helios Telecom)' },
  { email: 'analyst@andes-bank.example', who: 'member org-admin (Andes Development Bank, signed v1)' },
  { email: 'lead@civic-lab.example', who: 'member org-admin (Civic Data Lab, not signed)' },
] as const;

const ADMIN_EMAIL = 'admin@secretariat.example';
/** Every seeded proposal makes the three confirmations. */
const CONFIRMED = { noReidentification: true, noOnwardSharing: true, deletionAtEnd: true } as const;

type Deps = LocalApp['deps'];

const callerOf = (org: { id: string; name: string; kinds: Caller['orgKinds'] }, user: { id: string; email: string; name: string; roles: Caller['roles'] }): Caller => ({
  userId: user.id,
  email: user.email,
  name: user.name,
  orgId: org.id,
  orgName: org.name,
  orgKinds: org.kinds,
  roles: user.roles,
});

/** PUTs bytes to a presigned URL, as a browser would. */
async function put(upload: StartUploadResponse, body: string): Promise<void> {
  const response = await fetch(upload.url!, { method: 'PUT', body, headers: { 'content-type': 'text/csv' } });
  if (!response.ok) throw new Error(`Seed upload failed: ${response.status} ${await response.text()}`);
}

export interface SeedOptions {
  /**
   * Also seed proposals in the states a reviewer meets: a draft, one awaiting Helios' consent,
   * one sent back with changes requested (the approved one with its grant is always seeded).
   * `npm start` seeds them; integration tests, which count what they create, do not.
   * @default true
   */
  readonly reviewExamples?: boolean;
}

/**
 * Seeds the demo consortium through the same services the API uses. Runs once: when the
 * secretariat's admin exists, it does nothing. Returns whether it seeded.
 */
export async function seedDemo(deps: Deps, options: SeedOptions = {}): Promise<boolean> {
  if (await deps.organizations.userIdByEmail(ADMIN_EMAIL)) return false;
  const now = deps.clock.now().toISOString();
  const day = (offset: number) => new Date(deps.clock.now().getTime() + offset * 86_400_000).toISOString().slice(0, 10);

  const secretariat = { id: deps.ids.newId(), name: 'Accord Secretariat', kinds: ['secretariat' as const], createdAt: now, latestSignature: null };
  const adminUser = { id: deps.ids.newId(), email: ADMIN_EMAIL, name: 'Sam Secretariat', orgId: secretariat.id, roles: ['org-admin' as const, 'consortium-admin' as const], createdAt: now };
  await deps.organizations.create(secretariat, adminUser);
  const admin = callerOf(secretariat, adminUser);

  const text = readFileSync(new URL('./demo/agreement-v1.md', import.meta.url), 'utf8');
  const v1 = await publishAgreementVersion(deps, admin, { text, graceDays: 30 });
  await signAgreement(deps, admin, { version: v1.version, sha256: v1.sha256 });

  const admit = async (name: string, kinds: ('provider' | 'member')[], email: string, person: string, signs: boolean) => {
    const org = await admitOrganization(deps, admin, { name, kinds, firstAdmin: { email, name: person } });
    const caller = callerOf(org, org.members[0]!);
    if (signs) await signAgreement(deps, caller, { version: v1.version, sha256: v1.sha256 });
    return caller;
  };
  const providers = {
    northwind: await admit('Northwind Mobility', ['provider'], 'data@northwind.example', 'Nora Northwind', true),
    helios: await admit('Helios Telecom', ['provider'], 'data@helios.example', 'Hugo Helios', true),
  };
  const andes = await admit('Andes Development Bank', ['member'], 'analyst@andes-bank.example', 'Ana Andes', true);
  await admit('Civic Data Lab', ['member'], 'lead@civic-lab.example', 'Leo Civic', false);

  const datasetIds: Record<string, string> = {};
  for (const demo of DEMO_DATASETS) {
    const provider = providers[demo.provider];
    const dataset = await createDataset(deps, provider, demo.metadata);
    const files = [
      { fileName: demo.fileName, body: demo.csv, sample: false },
      { fileName: demo.fileName.replace('.csv', '-sample.csv'), body: sampleOf(demo.csv), sample: true },
    ];
    for (const file of files) {
      const upload = await startUpload(deps, provider, dataset.id, {
        fileName: file.fileName,
        size: Buffer.byteLength(file.body),
        contentType: 'text/csv',
        sample: file.sample,
      });
      await put(upload, file.body);
      await completeUpload(deps, provider, dataset.id, upload.fileId, {});
    }
    // Verification runs in the background, as deployed; a version publishes once its files are ready.
    await deps.verification.idle();
    const published = await publishVersion(deps, provider, dataset.id);
    datasetIds[demo.metadata.title] = published.datasetId;
  }

  // One approved project: Andes holds a running grant on Northwind's ridership data, listed in the register.
  const ridership = datasetIds['Public transit ridership by stop']!;
  const draft = await createProposal(deps, andes, {
    title: 'Evening bus crowding in the southern districts',
    purpose: { category: 'mobility-transport' },
    problem: 'Evening buses in the southern districts are overcrowded while others run half empty.',
    methods: 'Compare boardings by stop and hour with the schedule to find where capacity is missing.',
    datasets: [{ datasetId: ridership, justification: 'Boardings by stop and hour measure the crowding directly.' }],
    startDate: day(-7),
    endDate: day(90),
    team: ['analyst@andes-bank.example'],
    expectedOutputs: 'A re-timed evening schedule and a short public note.',
    publicBenefit: 'Shorter waits and less crowded buses for evening commuters.',
    impactIndicators: ['Average evening load factor', 'Passengers left at stops'],
    confirmations: CONFIRMED,
    listInPublicRegister: true,
  });
  await submitProposal(deps, andes, draft.id);
  await reviewProposal(deps, admin, draft.id, { decision: 'approve', conditions: ['Publish only stop-level aggregates.'] });
  if (options.reviewExamples ?? true) await seedReviewExamples(deps, andes, admin, datasetIds, day);
  return true;
}


/** Andes' proposals in the other states of review, so every role's queue has something in it. */
async function seedReviewExamples(deps: Deps, andes: Caller, admin: Caller, datasetIds: Record<string, string>, day: (offset: number) => string): Promise<void> {
  // Awaiting consent: Helios must consent for its present-population estimates.
  const flood = await createProposal(deps, andes, {
    title: 'Flood evacuation planning with present population',
    purpose: { category: 'disaster-risk-response' },
    problem: 'Evacuation plans assume night-time census counts, while floods strike when people are at work or in transit.',
    methods: 'Overlay hourly present-population estimates on flood-risk zones to size shelters and routes by time of day.',
    datasets: [{ datasetId: datasetIds['Mobile network present population estimates']!, justification: 'Hourly present population by zone is the quantity the plans are missing.' }],
    startDate: day(14),
    endDate: day(120),
    team: ['analyst@andes-bank.example'],
    expectedOutputs: 'Shelter capacity and evacuation routes by time of day for three districts.',
    publicBenefit: 'Evacuation plans that match where people actually are.',
    impactIndicators: ['Shelter capacity gap by district', 'Evacuation time on the main routes'],
    confirmations: CONFIRMED,
    listInPublicRegister: true,
  });
  await submitProposal(deps, andes, flood.id);

  // Changes requested: the secretariat wants the districts and the retention plan named.
  const schools = await createProposal(deps, andes, {
    title: 'Connectivity and school attendance',
    purpose: { category: 'education' },
    problem: 'Remote learning reached some districts far less than others during closures.',
    methods: 'Relate district connectivity coverage to attendance records published by the ministry.',
    datasets: [{ datasetId: datasetIds['Connectivity coverage by district']!, justification: 'Coverage by district is the explanatory variable of the study.' }],
    startDate: day(30),
    endDate: day(200),
    team: ['analyst@andes-bank.example'],
    expectedOutputs: 'A district ranking and a policy brief.',
    publicBenefit: 'Better targeted connectivity investment for schools.',
    impactIndicators: ['Districts prioritised for investment'],
    confirmations: CONFIRMED,
    listInPublicRegister: false,
  });
  await submitProposal(deps, andes, schools.id);
  await reviewProposal(deps, admin, schools.id, {
    decision: 'request_changes',
    text: 'Name the districts in scope and say how long derived tables are kept after the project.',
  });

  // A draft, still missing most of what a submission needs.
  await createProposal(deps, andes, {
    title: 'Commuter flows for a bus rapid transit line',
    purpose: { category: 'mobility-transport' },
    problem: 'The city must choose a corridor for its first bus rapid transit line.',
    datasets: [{ datasetId: datasetIds['Urban trip origin-destination matrix']!, justification: 'Origin-destination flows show which corridor carries the most commuters.' }],
  });
}
