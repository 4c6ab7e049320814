import {
  missingForSubmission,
  ProposalDraftSchema,
  UpdateProposalRequestSchema,
  type PURPOSES,
  type ProposalFields,
} from '../../../shared/schemas/proposal';
import { daysBetween } from './format';
import { errorsFromIssues, humanizeMessage, lines, validate, type FieldErrors } from './forms';

type PurposeCategory = (typeof PURPOSES)[number];

export interface RequestedDatasetRow {
  datasetId: string;
  /** Shown beside the justification; not sent. */
  title: string;
  justification: string;
}

/** The proposal wizard as its inputs hold it. */
export interface ProposalFormState {
  title: string;
  purposeCategory: PurposeCategory | '';
  purposeOtherReason: string;
  problem: string;
  methods: string;
  datasets: RequestedDatasetRow[];
  startDate: string;
  endDate: string;
  team: string[];
  expectedOutputs: string;
  publicBenefit: string;
  /** One indicator per line. */
  impactIndicators: string;
  confirmations: { noReidentification: boolean; noOnwardSharing: boolean; deletionAtEnd: boolean };
  listInPublicRegister: boolean;
}

export const emptyProposalForm = (): ProposalFormState => ({
  title: '',
  purposeCategory: '',
  purposeOtherReason: '',
  problem: '',
  methods: '',
  datasets: [],
  startDate: '',
  endDate: '',
  team: [],
  expectedOutputs: '',
  publicBenefit: '',
  impactIndicators: '',
  confirmations: { noReidentification: false, noOnwardSharing: false, deletionAtEnd: false },
  listInPublicRegister: false,
});

/** The form of a saved proposal; dataset titles come from its snapshots or the catalog. */
export function formFromFields(fields: Partial<ProposalFields>, titles: ReadonlyMap<string, string> = new Map()): ProposalFormState {
  return {
    title: fields.title ?? '',
    purposeCategory: fields.purpose?.category ?? '',
    purposeOtherReason: fields.purpose?.otherReason ?? '',
    problem: fields.problem ?? '',
    methods: fields.methods ?? '',
    datasets: (fields.datasets ?? []).map((d) => ({ ...d, title: titles.get(d.datasetId) ?? d.datasetId })),
    startDate: fields.startDate ?? '',
    endDate: fields.endDate ?? '',
    team: [...(fields.team ?? [])],
    expectedOutputs: fields.expectedOutputs ?? '',
    publicBenefit: fields.publicBenefit ?? '',
    impactIndicators: (fields.impactIndicators ?? []).join('\n'),
    confirmations: {
      noReidentification: fields.confirmations?.noReidentification ?? false,
      noOnwardSharing: fields.confirmations?.noOnwardSharing ?? false,
      deletionAtEnd: fields.confirmations?.deletionAtEnd ?? false,
    },
    listInPublicRegister: fields.listInPublicRegister ?? false,
  };
}

const filled = (text: string): string | undefined => (text.trim() === '' ? undefined : text);

/**
 * What the form holds as proposal fields: whatever is filled in, nothing for what is blank (a
 * draft may leave anything out), the confirmations and the register choice always.
 */
export function fieldsFromForm(state: ProposalFormState): Partial<ProposalFields> {
  const indicators = lines(state.impactIndicators);
  const fields: Partial<ProposalFields> = {
    title: filled(state.title),
    purpose:
      state.purposeCategory === ''
        ? undefined
        : { category: state.purposeCategory, ...(state.purposeCategory === 'other' || filled(state.purposeOtherReason) ? { otherReason: filled(state.purposeOtherReason) } : {}) },
    problem: filled(state.problem),
    methods: filled(state.methods),
    datasets: state.datasets.length ? state.datasets.map(({ datasetId, justification }) => ({ datasetId, justification })) : undefined,
    startDate: filled(state.startDate),
    endDate: filled(state.endDate),
    team: state.team.length ? [...state.team] : undefined,
    expectedOutputs: filled(state.expectedOutputs),
    publicBenefit: filled(state.publicBenefit),
    impactIndicators: indicators.length ? indicators : undefined,
    confirmations: { ...state.confirmations },
    listInPublicRegister: state.listInPublicRegister,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<ProposalFields>;
}

/** The wizard's steps, and which fields each one asks for. */
export const PROPOSAL_STEPS = [
  { id: 'purpose', title: 'Purpose', fields: ['title', 'purpose'] },
  { id: 'problem', title: 'Problem and methods', fields: ['problem', 'methods'] },
  { id: 'datasets', title: 'Datasets', fields: ['datasets'] },
  { id: 'period', title: 'Period', fields: ['startDate', 'endDate'] },
  { id: 'team', title: 'Team', fields: ['team'] },
  { id: 'outputs', title: 'Outputs and indicators', fields: ['expectedOutputs', 'publicBenefit', 'impactIndicators'] },
  { id: 'confirmations', title: 'Confirmations', fields: ['confirmations', 'listInPublicRegister'] },
  { id: 'review', title: 'Review and submit', fields: [] },
] as const;
export type ProposalStepId = (typeof PROPOSAL_STEPS)[number]['id'];

/** The step that asks for a field path (`datasets.1.justification` → datasets). */
export function stepOfField(field: string): ProposalStepId {
  const top = field.split('.')[0] ?? field;
  return PROPOSAL_STEPS.find((step) => (step.fields as readonly string[]).includes(top))?.id ?? 'review';
}

/** Every field path the wizard shows a message next to. */
export const proposalFieldsFor = (state: Pick<ProposalFormState, 'datasets'>): string[] => [
  'title',
  'purpose',
  'purpose.category',
  'purpose.otherReason',
  'problem',
  'methods',
  'datasets',
  ...state.datasets.flatMap((_, i) => [`datasets.${i}.datasetId`, `datasets.${i}.justification`]),
  'startDate',
  'endDate',
  'team',
  'expectedOutputs',
  'publicBenefit',
  'impactIndicators',
  'confirmations.noReidentification',
  'confirmations.noOnwardSharing',
  'confirmations.deletionAtEnd',
  'listInPublicRegister',
];

export type DraftCheck =
  | { readonly ok: true; readonly value: Partial<ProposalFields>; readonly held: readonly string[] }
  | { readonly ok: false; readonly errors: FieldErrors };

/**
 * What a save sends. A draft may leave anything out, but what it sends must be valid (the API
 * refuses a draft with, say, a two-word problem statement). So a field of the step being saved
 * that is filled in wrongly stops the save with its message; a wrong field of another step is
 * held back (not sent, named in `held`) rather than blocking the step in hand. A new draft
 * needs its title whatever the step.
 */
export function draftToSave(state: ProposalFormState, isNew: boolean, stepFields: readonly string[]): DraftCheck {
  const fields = fieldsFromForm(state);
  const schema = isNew ? ProposalDraftSchema : UpdateProposalRequestSchema;
  const parsed = schema.safeParse(fields);
  if (parsed.success) return { ok: true, value: parsed.data, held: [] };
  const blocking: typeof parsed.error.issues = [];
  const held = new Set<string>();
  for (const issue of parsed.error.issues) {
    const top = String(issue.path[0] ?? '');
    if (stepFields.includes(top) || (isNew && top === 'title') || top === '') blocking.push(issue);
    else held.add(top);
  }
  if (blocking.length) return { ok: false, errors: errorsFromIssues(blocking, proposalFieldsFor(state)) };
  const rest = Object.fromEntries(Object.entries(fields).filter(([key]) => !held.has(key)));
  const reparsed = validate(schema, rest, proposalFieldsFor(state));
  return reparsed.ok ? { ok: true, value: reparsed.value, held: [...held] } : reparsed;
}

export interface MissingItem {
  readonly field: string;
  readonly message: string;
  readonly step: ProposalStepId;
}

/** What submission still needs (shared `missingForSubmission`), in plain words, with the step to fix it in. */
export function missingItems(state: ProposalFormState): MissingItem[] {
  const fields = fieldsFromForm(state);
  const seen = new Set<string>();
  return missingForSubmission(fields)
    .map((item) => {
      const top = item.field.split('.')[0] ?? item.field;
      const absent = !(top in fields);
      return { field: item.field, message: absent ? 'Not filled in yet' : humanizeMessage(item.message), step: stepOfField(item.field) };
    })
    .filter((item) => {
      const key = `${item.field}|${item.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

export const FIELD_LABELS: Record<string, string> = {
  title: 'Title',
  purpose: 'Purpose',
  'purpose.category': 'Purpose',
  'purpose.otherReason': 'Why no listed purpose fits',
  problem: 'Problem addressed',
  methods: 'How the data will be used',
  datasets: 'Datasets',
  startDate: 'Start date',
  endDate: 'End date',
  team: 'Team',
  expectedOutputs: 'Expected outputs',
  publicBenefit: 'Public benefit',
  impactIndicators: 'Impact indicators',
  'confirmations.noReidentification': 'No re-identification',
  'confirmations.noOnwardSharing': 'No onward sharing',
  'confirmations.deletionAtEnd': 'Deletion at the end',
  listInPublicRegister: 'Public register listing',
};

/** A field path as a person reads it: `datasets.1.justification` → "Datasets, item 2: justification". */
export function fieldLabel(field: string): string {
  if (FIELD_LABELS[field]) return FIELD_LABELS[field];
  const [top, index, rest] = field.split('.');
  const base = FIELD_LABELS[top ?? ''] ?? field;
  if (index !== undefined && /^\d+$/.test(index)) return `${base}, item ${Number(index) + 1}${rest ? `: ${rest}` : ''}`;
  return base;
}

export interface PeriodCheck {
  /** Days from start to end, as the server counts them; null until both dates are set. */
  readonly days: number | null;
  /** The longest period allowed: governance's limit and each requested dataset's. */
  readonly limit: number;
  /** What sets the limit ("governance" or a dataset's title). */
  readonly limitedBy: string;
  readonly problem: string | null;
}

/** The proposal's period against the governance limit and each requested dataset's limit. */
export function checkPeriod(
  startDate: string,
  endDate: string,
  governanceMaxDays: number,
  datasets: readonly { title: string; maxGrantDays: number }[],
): PeriodCheck {
  let limit = governanceMaxDays;
  let limitedBy = 'the consortium’s governance settings';
  for (const dataset of datasets) {
    if (dataset.maxGrantDays < limit) {
      limit = dataset.maxGrantDays;
      limitedBy = dataset.title;
    }
  }
  const days = startDate && endDate ? daysBetween(startDate, endDate) : null;
  let problem: string | null = null;
  if (days !== null && days <= 0) problem = 'The end date must be after the start date';
  else if (days !== null && days > limit) problem = `The period is ${days} days; the longest allowed is ${limit} days (set by ${limitedBy})`;
  return { days, limit, limitedBy, problem };
}
