import { describe, expect, it } from 'vitest';
import {
  checkPeriod,
  draftToSave,
  emptyProposalForm,
  fieldLabel,
  fieldsFromForm,
  formFromFields,
  missingItems,
  PROPOSAL_STEPS,
  stepOfField,
  type ProposalFormState,
} from '../../web/src/lib/proposal-form';

const DATASET = '3f1c1a52-58a4-4d1e-9a55-0a5b8c0d1e2f';

const complete = (): ProposalFormState => ({
  title: 'Safer cycling routes',
  purposeCategory: 'mobility-transport',
  purposeOtherReason: '',
  problem: 'Crashes cluster near schools at peak hours.',
  methods: 'Overlay ridership with crash records by district.',
  datasets: [{ datasetId: DATASET, title: 'Ridership', justification: 'Boardings show where pupils change modes.' }],
  startDate: '2027-01-01',
  endDate: '2027-07-01',
  team: ['lead@civic-lab.example'],
  expectedOutputs: 'A ranked map of corridors.',
  publicBenefit: 'Safer routes for pupils.',
  impactIndicators: 'Corridors redesigned\nCrashes per year',
  confirmations: { noReidentification: true, noOnwardSharing: true, deletionAtEnd: true },
  listInPublicRegister: true,
});

const stepFields = (id: string) => PROPOSAL_STEPS.find((s) => s.id === id)!.fields;

describe('the proposal form as fields', () => {
  it('sends only what is filled in, and always the confirmations and register choice', () => {
    expect(fieldsFromForm({ ...emptyProposalForm(), title: 'Only a title' })).toEqual({
      title: 'Only a title',
      confirmations: { noReidentification: false, noOnwardSharing: false, deletionAtEnd: false },
      listInPublicRegister: false,
    });
  });

  it('reads indicators one per line and round-trips a saved proposal', () => {
    const fields = fieldsFromForm(complete());
    expect(fields.impactIndicators).toEqual(['Corridors redesigned', 'Crashes per year']);
    expect(fieldsFromForm(formFromFields(fields, new Map([[DATASET, 'Ridership']])))).toEqual(fields);
  });
});

describe('saving a draft', () => {
  it('needs a title for a new draft, whatever the step', () => {
    const result = draftToSave(emptyProposalForm(), true, stepFields('problem'));
    expect(result).toEqual({ ok: false, errors: { title: 'This is required' } });
  });

  it('stops on a wrong field of the step in hand', () => {
    const result = draftToSave({ ...complete(), problem: 'Too short' }, false, stepFields('problem'));
    expect(result).toEqual({ ok: false, errors: { problem: 'Enter at least 20 characters' } });
  });

  it('holds back a wrong field of another step rather than blocking this one', () => {
    const form = { ...complete(), datasets: [{ datasetId: DATASET, title: 'Ridership', justification: '' }] };
    const result = draftToSave(form, false, stepFields('purpose'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.held).toEqual(['datasets']);
    expect(result.value).not.toHaveProperty('datasets');
    expect(result.value.title).toBe('Safer cycling routes');
  });
});

describe('what is missing before submission', () => {
  it('is nothing for a complete proposal', () => {
    expect(missingItems(complete())).toEqual([]);
  });

  it('names blanks as not filled in, with the step that asks for them', () => {
    const missing = missingItems({ ...emptyProposalForm(), title: 'A title' });
    expect(missing).toContainEqual({ field: 'problem', message: 'Not filled in yet', step: 'problem' });
    expect(missing).toContainEqual({ field: 'team', message: 'Not filled in yet', step: 'team' });
    expect(missing).toContainEqual({ field: 'confirmations.deletionAtEnd', message: 'This confirmation is required', step: 'confirmations' });
    expect(missing.some((m) => m.field === 'title')).toBe(false);
  });

  it('rephrases what is filled in but wrong, and flags dates out of order', () => {
    const missing = missingItems({ ...complete(), methods: 'short', endDate: '2026-12-01' });
    expect(missing).toContainEqual({ field: 'methods', message: 'Enter at least 20 characters', step: 'problem' });
    expect(missing).toContainEqual({ field: 'endDate', message: 'The end date must be after the start date', step: 'period' });
  });

  it('labels nested fields for people', () => {
    expect(fieldLabel('datasets.1.justification')).toBe('Datasets, item 2: justification');
    expect(fieldLabel('confirmations.noOnwardSharing')).toBe('No onward sharing');
    expect(stepOfField('datasets.1.justification')).toBe('datasets');
    expect(stepOfField('nonsense')).toBe('review');
  });
});

describe('the period', () => {
  it('is limited by governance and by the shortest dataset limit', () => {
    const check = checkPeriod('2027-01-01', '2027-07-20', 365, [
      { title: 'Ridership', maxGrantDays: 730 },
      { title: 'Population', maxGrantDays: 180 },
    ]);
    expect(check).toEqual({ days: 200, limit: 180, limitedBy: 'Population', problem: 'The period is 200 days; the longest allowed is 180 days (set by Population)' });
  });

  it('is fine within the limit, and wrong when it ends before it starts', () => {
    expect(checkPeriod('2027-01-01', '2027-03-02', 365, []).problem).toBeNull();
    expect(checkPeriod('2027-01-01', '2027-03-02', 365, []).days).toBe(60);
    expect(checkPeriod('2027-03-01', '2027-03-01', 365, []).problem).toBe('The end date must be after the start date');
    expect(checkPeriod('', '2027-03-01', 365, []).days).toBeNull();
  });
});
