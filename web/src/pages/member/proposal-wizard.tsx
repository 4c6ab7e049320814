import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { PURPOSE_LABELS, PURPOSES, type Proposal } from '../../../../shared/schemas/proposal';
import { ApiError, newIdempotencyKey } from '../../api/client';
import { api, ifMatchOf } from '../../api/endpoints';
import { useMe } from '../../auth/session';
import { CheckboxField, CheckboxGroup, SelectField, TextArea, TextField } from '../../components/fields';
import { Async, BackLink, ErrorState, Loading, Notice, Page, useAsync } from '../../components/ui';
import { errorsFromApi, fieldId, FORM, hasErrors, type FieldErrors } from '../../lib/forms';
import {
  checkPeriod,
  emptyProposalForm,
  fieldLabel,
  fieldsFromForm,
  formFromFields,
  missingItems,
  PROPOSAL_STEPS,
  proposalFieldsFor,
  stepOfField,
  draftToSave,
  type ProposalFormState,
  type ProposalStepId,
} from '../../lib/proposal-form';
import { authorActions } from '../../lib/proposals';

interface DatasetInfo {
  readonly title: string;
  readonly providerName: string;
  readonly maxGrantDays: number;
  readonly consentRequired: boolean;
  readonly state: string;
}

interface Saved {
  readonly id: string;
  readonly etag: string;
  readonly state: Proposal['state'];
  /** The fields as last saved, to tell whether the form has unsaved changes. */
  readonly snapshot: string;
}

const stepIndex = (id: string | null): number => Math.max(0, PROPOSAL_STEPS.findIndex((s) => s.id === id));

/** Chooses datasets from the catalog for the proposal. */
function DatasetPicker({ chosen, onAdd }: { chosen: readonly string[]; onAdd: (id: string, info: DatasetInfo) => void }) {
  const [q, setQ] = useState('');
  const [query, setQuery] = useState<string | undefined>(undefined);
  const results = useAsync(() => api.datasets({ q: query }), [query]);
  return (
    <div className="picker">
      {/* Not a <form>: it sits inside the wizard's form. Enter searches instead of saving. */}
      <div className="search-form" role="search">
        <TextField
          name="datasetSearch"
          label="Find datasets in the catalog"
          type="search"
          value={q}
          onChange={setQ}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              setQuery(q.trim() || undefined);
            }
          }}
        />
        <button type="button" className="secondary" onClick={() => setQuery(q.trim() || undefined)}>
          Search
        </button>
      </div>
      <Async state={results} label="Searching…">
        {(page) =>
          page.items.length === 0 ? (
            <p>No dataset matches.</p>
          ) : (
            <ul className="picker-list">
              {page.items.map((d) => (
                <li key={d.id}>
                  <span>
                    <strong>{d.metadata.title}</strong> <span className="muted">· {d.providerName} · up to {d.metadata.maxGrantDays} days</span>
                  </span>
                  <button
                    type="button"
                    className="secondary small"
                    disabled={chosen.includes(d.id)}
                    onClick={() =>
                      onAdd(d.id, {
                        title: d.metadata.title,
                        providerName: d.providerName,
                        maxGrantDays: d.metadata.maxGrantDays,
                        consentRequired: d.metadata.consentRequired,
                        state: d.state,
                      })
                    }
                  >
                    {chosen.includes(d.id) ? 'Added' : <>Add<span className="visually-hidden"> {d.metadata.title}</span></>}
                  </button>
                </li>
              ))}
            </ul>
          )
        }
      </Async>
    </div>
  );
}

/** The proposal wizard: drafts saved as you go (POST, then PATCH with If-Match), what is missing, and submission. */
export function ProposalWizardPage() {
  const { id: routeId } = useParams();
  const me = useMe();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const step = PROPOSAL_STEPS[stepIndex(params.get('step'))]!;
  const preselected = params.get('dataset');

  const governance = useAsync(() => api.governance(), []);
  const members = useAsync(() => api.organization(me.organization.id), [me.organization.id]);
  const [form, setForm] = useState<ProposalFormState>(emptyProposalForm);
  const [saved, setSaved] = useState<Saved | null>(null);
  const [loading, setLoading] = useState<boolean>(Boolean(routeId));
  const [loadError, setLoadError] = useState<unknown>(null);
  const [datasets, setDatasets] = useState<ReadonlyMap<string, DatasetInfo>>(new Map());
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState<null | 'saving' | 'submitting'>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [stale, setStale] = useState(false);
  const [focusField, setFocusField] = useState<string | null>(null);
  const [held, setHeld] = useState<readonly string[]>([]);
  const createKey = useRef(newIdempotencyKey());
  const submitKey = useRef(newIdempotencyKey());
  const [round, setRound] = useState(0);

  const rememberDataset = (datasetId: string, info: DatasetInfo) => setDatasets((map) => new Map(map).set(datasetId, info));

  // An existing proposal: its fields, and the datasets it names (titles and limits).
  useEffect(() => {
    if (!routeId || saved?.id === routeId) return;
    let live = true;
    setLoading(true);
    api.proposal(routeId).then(
      ({ data, etag }) => {
        if (!live) return;
        const titles = new Map(data.snapshots.map((s) => [s.datasetId, s.title]));
        const next = formFromFields(data.fields, titles);
        setForm(next);
        setSaved({ id: data.id, etag: ifMatchOf(etag, data.revision), state: data.state, snapshot: JSON.stringify(fieldsFromForm(next)) });
        setLoading(false);
        setStale(false);
      },
      (error: unknown) => {
        if (!live) return;
        setLoadError(error);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [routeId, round]);

  // Titles and limits of the requested datasets (for the period check and the list).
  const requestedIds = form.datasets.map((d) => d.datasetId).join(',');
  useEffect(() => {
    const wanted = [...new Set([...form.datasets.map((d) => d.datasetId), ...(preselected && !routeId ? [preselected] : [])])].filter((d) => !datasets.has(d));
    for (const datasetId of wanted) {
      api.dataset(datasetId).then(
        ({ data }) =>
          rememberDataset(datasetId, {
            title: data.metadata.title,
            providerName: data.providerName,
            maxGrantDays: data.metadata.maxGrantDays,
            consentRequired: data.metadata.consentRequired,
            state: data.state,
          }),
        () => undefined,
      );
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [requestedIds, preselected]);

  // "Propose a project with this dataset": start with it requested.
  useEffect(() => {
    if (routeId || !preselected) return;
    const info = datasets.get(preselected);
    if (info && !form.datasets.some((d) => d.datasetId === preselected)) {
      setForm((f) => ({ ...f, datasets: [...f.datasets, { datasetId: preselected, title: info.title, justification: '' }] }));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [preselected, datasets]);

  useEffect(() => {
    if (!focusField) return;
    const element = document.getElementById(fieldId(focusField));
    if (element) {
      element.focus();
      setFocusField(null);
    }
  }, [focusField, step.id]);

  const missing = useMemo(() => missingItems(form), [form]);
  const dirty = !saved || JSON.stringify(fieldsFromForm(form)) !== saved.snapshot;
  const fields = proposalFieldsFor(form);
  const period = checkPeriod(
    form.startDate,
    form.endDate,
    governance.status === 'ready' ? governance.data.maxGrantDays : Number.POSITIVE_INFINITY,
    form.datasets.map((d) => ({ title: datasets.get(d.datasetId)?.title ?? d.title, maxGrantDays: datasets.get(d.datasetId)?.maxGrantDays ?? Number.POSITIVE_INFINITY })),
  );

  const set = <K extends keyof ProposalFormState>(field: K) => (value: ProposalFormState[K]) => {
    setNotice(null);
    setForm((f) => ({ ...f, [field]: value }));
  };

  const goTo = (id: ProposalStepId, focus?: string) => {
    const next = new URLSearchParams(params);
    next.set('step', id);
    setParams(next);
    if (focus) setFocusField(focus);
  };

  /** Saves the draft; resolves to the saved proposal's id, or null when it could not be saved. */
  const save = async (): Promise<Saved | null> => {
    const checked = draftToSave(form, !saved, step.fields);
    if (!checked.ok) {
      setErrors(checked.errors);
      return null;
    }
    if (saved && !dirty) return saved;
    setErrors({});
    setHeld(checked.held);
    try {
      const result = saved
        ? await api.updateProposal(saved.id, checked.value, saved.etag)
        : await api.createProposal({ ...checked.value, title: form.title.trim() }, createKey.current);
      const next: Saved = {
        id: result.data.id,
        etag: ifMatchOf(result.etag, result.data.revision),
        state: result.data.state,
        snapshot: checked.held.length ? '' : JSON.stringify(fieldsFromForm(form)),
      };
      setSaved(next);
      if (!saved) createKey.current = newIdempotencyKey();
      return next;
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) setStale(true);
      else setErrors(errorsFromApi(error, fields));
      return null;
    }
  };

  const saveAndGo = async (target: ProposalStepId | null) => {
    setBusy('saving');
    const created = !saved;
    const result = await save();
    setBusy(null);
    if (!result) return;
    setNotice(`Draft saved at ${new Date().toLocaleTimeString()}.`);
    // A new draft gets its own address (so a reload finds it), on the step to go to.
    if (created) void navigate(`/proposals/${result.id}/edit?step=${target ?? step.id}`, { replace: true });
    else if (target) goTo(target);
  };

  const submit = async () => {
    if (missing.length) {
      setErrors(Object.fromEntries(missing.map((m) => [m.field, m.message])));
      return;
    }
    if (period.problem) {
      setErrors({ endDate: period.problem });
      return;
    }
    setBusy('submitting');
    const result = await save();
    if (!result) {
      setBusy(null);
      return;
    }
    try {
      await api.submitProposal(result.id, submitKey.current);
      submitKey.current = newIdempotencyKey();
      void navigate(`/proposals/${result.id}`, { state: { submitted: true } });
    } catch (error) {
      setErrors(errorsFromApi(error, fields));
    } finally {
      setBusy(null);
    }
  };

  const title = routeId ? 'Edit proposal' : 'New proposal';
  if (loadError) {
    return (
      <Page title={title}>
        <ErrorState error={loadError} retry={() => setRound((r) => r + 1)} />
      </Page>
    );
  }
  if (loading) {
    return (
      <Page title={title}>
        <Loading label="Loading the proposal…" />
      </Page>
    );
  }
  if (saved && !authorActions(saved.state).edit) {
    return (
      <Page title={title}>
        <Notice tone="warning">This proposal is {saved.state.replace('_', ' ')} and can no longer be edited.</Notice>
        <p>
          <Link to={`/proposals/${saved.id}`}>See the proposal</Link>
        </p>
      </Page>
    );
  }
  if (!me.agreement.mayAct) {
    return (
      <Page title={title}>
        <Notice tone="warning">
          {me.organization.name} must sign the current agreement before it drafts proposals. <Link to="/agreement">Go to the agreement</Link>
        </Notice>
      </Page>
    );
  }

  const err = (field: string) => errors[field];
  const errorEntries = Object.entries(errors);
  const missingByStep = (id: ProposalStepId) => missing.filter((m) => m.step === id).length;

  return (
    <Page title={title} wide>
      <BackLink to={saved ? `/proposals/${saved.id}` : '/proposals'}>{saved ? 'The proposal' : 'My proposals'}</BackLink>
      <div className="wizard">
        <nav className="steps" aria-label="Proposal steps">
          <ol>
            {PROPOSAL_STEPS.map((s, i) => {
              const count = s.id === 'review' ? 0 : missingByStep(s.id);
              return (
                <li key={s.id} className={s.id === step.id ? 'current' : ''}>
                  <button type="button" className="step-link" aria-current={s.id === step.id ? 'step' : undefined} onClick={() => goTo(s.id)}>
                    <span className="step-number" aria-hidden="true">
                      {i + 1}
                    </span>
                    {s.title}
                    {s.id !== 'review' ? (
                      <span className={`step-state ${count ? 'todo' : 'done'}`}>{count ? ` — ${count} to do` : ' — complete'}</span>
                    ) : null}
                  </button>
                </li>
              );
            })}
          </ol>
        </nav>

        <form
          className="step-body stack"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const next = PROPOSAL_STEPS[stepIndex(step.id) + 1];
            void saveAndGo(next?.id ?? null);
          }}
        >
          <h2>
            Step {stepIndex(step.id) + 1} of {PROPOSAL_STEPS.length}: {step.title}
          </h2>
          {errorEntries.length ? (
            <div className="error-summary" role="alert" tabIndex={-1}>
              <h3>There is a problem</h3>
              <ul>
                {errorEntries.map(([field, message]) => (
                  <li key={field}>
                    {field === FORM ? (
                      message
                    ) : (
                      <button type="button" className="link" onClick={() => goTo(stepOfField(field), field)}>
                        {fieldLabel(field)}: {message}
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {stale ? (
            <Notice tone="danger" role="alert">
              <p>This proposal changed since you opened it (in another tab, or by a colleague), so your changes were not saved.</p>
              <button type="button" className="secondary" onClick={() => setRound((r) => r + 1)}>
                Load the latest version (discards your edits)
              </button>
            </Notice>
          ) : null}
          {notice ? (
            <p className="saved-note" role="status">
              {notice}
              {held.length ? ` Not saved until completed: ${held.map(fieldLabel).join(', ')}.` : ''}
            </p>
          ) : null}

          {step.id === 'purpose' ? (
            <>
              <TextField name="title" label="Title of the project" required value={form.title} onChange={set('title')} error={err('title')} maxLength={200} />
              <SelectField
                name="purpose.category"
                label="Purpose"
                required
                hint="From the consortium's fixed list of purposes."
                placeholder="Choose a purpose…"
                options={PURPOSES.map((value) => ({ value, label: PURPOSE_LABELS[value] }))}
                value={form.purposeCategory}
                onChange={set('purposeCategory')}
                error={err('purpose.category') ?? err('purpose')}
              />
              {form.purposeCategory === 'other' ? (
                <TextArea
                  name="purpose.otherReason"
                  label="Why none of the listed purposes fits"
                  required
                  value={form.purposeOtherReason}
                  onChange={set('purposeOtherReason')}
                  error={err('purpose.otherReason')}
                />
              ) : null}
            </>
          ) : null}

          {step.id === 'problem' ? (
            <>
              <TextArea name="problem" label="The problem the project addresses" required rows={6} hint="At least 20 characters." value={form.problem} onChange={set('problem')} error={err('problem')} />
              <TextArea
                name="methods"
                label="How the data will be used"
                required
                rows={6}
                hint="Methods, the analyses, where the data is processed and who sees what."
                value={form.methods}
                onChange={set('methods')}
                error={err('methods')}
              />
            </>
          ) : null}

          {step.id === 'datasets' ? (
            <>
              <p>Ask only for what the project needs, and say why for each dataset: reviewers and providers check it.</p>
              {err('datasets') ? (
                <p className="field-error" id={`${fieldId('datasets')}-error`}>
                  {err('datasets')}
                </p>
              ) : null}
              {form.datasets.length === 0 ? (
                <p id={fieldId('datasets')} tabIndex={-1}>
                  No dataset chosen yet.
                </p>
              ) : (
                <ul className="requested" id={fieldId('datasets')} tabIndex={-1}>
                  {form.datasets.map((row, i) => {
                    const info = datasets.get(row.datasetId);
                    return (
                      <li key={row.datasetId} className="card">
                        <h3>{info?.title ?? row.title}</h3>
                        {info ? (
                          <p className="muted small">
                            {info.providerName} · up to {info.maxGrantDays} days · {info.consentRequired ? 'provider consent required' : 'no provider consent needed'}
                            {info.state !== 'published' ? ` · ${info.state}: it cannot be submitted` : ''}
                          </p>
                        ) : null}
                        <TextArea
                          name={`datasets.${i}.justification`}
                          label={`Why the project needs ${info?.title ?? 'this dataset'}`}
                          required
                          hint="At least one sentence (20 characters)."
                          value={row.justification}
                          onChange={(value) => set('datasets')(form.datasets.map((d, j) => (j === i ? { ...d, justification: value } : d)))}
                          error={err(`datasets.${i}.justification`) ?? err(`datasets.${i}.datasetId`)}
                        />
                        <button type="button" className="secondary small" onClick={() => set('datasets')(form.datasets.filter((_, j) => j !== i))}>
                          Remove<span className="visually-hidden"> {info?.title ?? row.title}</span>
                        </button>
                      </li>
                    );
                  })}
                </ul>
              )}
              <h3>Add a dataset</h3>
              <DatasetPicker
                chosen={form.datasets.map((d) => d.datasetId)}
                onAdd={(datasetId, info) => {
                  rememberDataset(datasetId, info);
                  set('datasets')([...form.datasets, { datasetId, title: info.title, justification: '' }]);
                }}
              />
            </>
          ) : null}

          {step.id === 'period' ? (
            <>
              <p>
                The grant may last at most{' '}
                <strong>
                  {Number.isFinite(period.limit) ? `${period.limit} days` : governance.status === 'loading' ? '…' : 'the governance limit'}
                </strong>
                {Number.isFinite(period.limit) ? `, set by ${period.limitedBy}` : ''}. The governance limit is{' '}
                {governance.status === 'ready' ? `${governance.data.maxGrantDays} days` : '…'}; each dataset may set a shorter one.
              </p>
              <div className="grid two">
                <TextField name="startDate" label="Start date" type="date" required value={form.startDate} onChange={set('startDate')} error={err('startDate')} />
                <TextField name="endDate" label="End date" type="date" required value={form.endDate} onChange={set('endDate')} error={err('endDate') ?? period.problem ?? undefined} />
              </div>
              {period.days !== null && !period.problem ? (
                <p role="status" className="ok">
                  {period.days} days — within the limit.
                </p>
              ) : null}
            </>
          ) : null}

          {step.id === 'team' ? (
            <Async state={members} label="Loading your organisation's members…">
              {(org) => (
                <CheckboxGroup
                  name="team"
                  label="Who will access the data"
                  required
                  hint="Users of your organisation. Add colleagues under My organisation first if they are missing."
                  options={org.members.map((m) => ({ value: m.email, label: `${m.name} (${m.email})` }))}
                  values={form.team}
                  onChange={set('team')}
                  error={err('team')}
                />
              )}
            </Async>
          ) : null}

          {step.id === 'outputs' ? (
            <>
              <TextArea name="expectedOutputs" label="Expected outputs" required hint="Reports, models, dashboards: what the project will produce." value={form.expectedOutputs} onChange={set('expectedOutputs')} error={err('expectedOutputs')} />
              <TextArea name="publicBenefit" label="Public benefit" required hint="Who benefits, and how." value={form.publicBenefit} onChange={set('publicBenefit')} error={err('publicBenefit')} />
              <TextArea
                name="impactIndicators"
                label="Impact indicators"
                required
                hint="How you will measure impact: one indicator per line."
                value={form.impactIndicators}
                onChange={set('impactIndicators')}
                error={err('impactIndicators')}
              />
            </>
          ) : null}

          {step.id === 'confirmations' ? (
            <>
              <fieldset className="field group">
                <legend>Confirmations (all required to submit)</legend>
                <CheckboxField
                  name="confirmations.noReidentification"
                  label="We will not attempt to re-identify any person, household or device."
                  checked={form.confirmations.noReidentification}
                  onChange={(v) => set('confirmations')({ ...form.confirmations, noReidentification: v })}
                  error={err('confirmations.noReidentification')}
                />
                <CheckboxField
                  name="confirmations.noOnwardSharing"
                  label="We will not share the data with anyone outside the named team."
                  checked={form.confirmations.noOnwardSharing}
                  onChange={(v) => set('confirmations')({ ...form.confirmations, noOnwardSharing: v })}
                  error={err('confirmations.noOnwardSharing')}
                />
                <CheckboxField
                  name="confirmations.deletionAtEnd"
                  label="We will delete the data when the grant ends and attest the deletion."
                  checked={form.confirmations.deletionAtEnd}
                  onChange={(v) => set('confirmations')({ ...form.confirmations, deletionAtEnd: v })}
                  error={err('confirmations.deletionAtEnd')}
                />
              </fieldset>
              <CheckboxField
                name="listInPublicRegister"
                label="List this project in the public register of approved projects"
                hint="The register shows the title, purpose, datasets, period and, later, the outcomes."
                checked={form.listInPublicRegister}
                onChange={set('listInPublicRegister')}
                error={err('listInPublicRegister')}
              />
            </>
          ) : null}

          {step.id === 'review' ? (
            <section aria-labelledby="missing-heading">
              <h3 id="missing-heading">{missing.length ? 'Still missing before you can submit' : 'Ready to submit'}</h3>
              {missing.length ? (
                <ul className="missing">
                  {missing.map((m) => (
                    <li key={m.field + m.message}>
                      <button type="button" className="link" onClick={() => goTo(m.step, m.field)}>
                        {fieldLabel(m.field)}
                      </button>
                      : {m.message}
                    </li>
                  ))}
                </ul>
              ) : (
                <p>
                  Every field is filled in. Submitting freezes the agreement version and each dataset's metadata for the reviewers; you can
                  still withdraw it until a decision.
                </p>
              )}
              {period.problem ? <p className="field-error">{period.problem}</p> : null}
              <button type="button" onClick={() => void submit()} disabled={busy !== null || missing.length > 0 || Boolean(period.problem)}>
                {busy === 'submitting' ? 'Submitting…' : saved?.state === 'changes_requested' ? 'Resubmit proposal' : 'Submit proposal'}
              </button>
            </section>
          ) : null}

          <div className="form-actions">
            {step.id !== 'review' ? (
              <button type="submit" disabled={busy !== null}>
                {busy === 'saving' ? 'Saving…' : 'Save and continue'}
              </button>
            ) : null}
            <button type="button" className="secondary" disabled={busy !== null || (Boolean(saved) && !dirty)} onClick={() => void saveAndGo(null)}>
              {saved && !dirty ? 'Draft saved' : 'Save draft'}
            </button>
            {stepIndex(step.id) > 0 ? (
              <button type="button" className="secondary" onClick={() => goTo(PROPOSAL_STEPS[stepIndex(step.id) - 1]!.id)}>
                Back
              </button>
            ) : null}
          </div>
          {hasErrors(errors) ? null : <p className="hint">Drafts keep whatever is filled in; nothing is sent to reviewers until you submit.</p>}
        </form>
      </div>
    </Page>
  );
}
