import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { DATASET_THEMES, UPDATE_FREQUENCIES, type Dataset } from '../../../../shared/schemas/dataset';
import { ApiError, newIdempotencyKey } from '../../api/client';
import { api, ifMatchOf } from '../../api/endpoints';
import { useMe } from '../../auth/session';
import { CheckboxField, CheckboxGroup, ErrorSummary, SelectField, TextArea, TextField } from '../../components/fields';
import { BackLink, ErrorState, Loading, Notice, Page } from '../../components/ui';
import {
  changedMetadata,
  datasetFieldsFor,
  emptyDatasetForm,
  emptyDictionaryRow,
  formFromMetadata,
  FREQUENCY_LABELS,
  THEME_LABELS,
  validateDatasetForm,
  type DatasetFormState,
  type DictionaryRow,
} from '../../lib/dataset-form';
import { errorsFromApi, fieldId, type FieldErrors } from '../../lib/forms';

const LABELS: Record<string, string> = {
  title: 'Title',
  description: 'Description',
  themes: 'Themes',
  keywords: 'Keywords',
  'contact.name': 'Contact name',
  'contact.email': 'Contact email',
  licence: 'Licence',
  'personalData.description': 'Personal data',
  formats: 'Formats',
  'temporalCoverage.start': 'Coverage start',
  'temporalCoverage.end': 'Coverage end',
  spatialCoverage: 'Area covered',
  updateFrequency: 'Update frequency',
  provenance: 'Provenance',
  qualityStatement: 'Quality statement',
  dataDictionary: 'Data dictionary',
  maxGrantDays: 'Longest grant',
  consentRequired: 'Consent',
};

function DictionaryTable({
  rows,
  errors,
  onChange,
}: {
  rows: DictionaryRow[];
  errors: FieldErrors;
  onChange: (rows: DictionaryRow[]) => void;
}) {
  const update = (index: number, key: keyof DictionaryRow, value: string) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, [key]: value } : row)));
  const cell = (index: number, key: keyof DictionaryRow, label: string) => {
    const name = `dataDictionary.${index}.${key}`;
    const id = fieldId(name);
    const error = errors[name];
    return (
      <td className={error ? 'has-error' : undefined}>
        <label className="visually-hidden" htmlFor={id}>
          {label}, row {index + 1}
        </label>
        {key === 'description' ? (
          <textarea
            id={id}
            rows={1}
            value={rows[index]![key]}
            onChange={(e) => update(index, key, e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
          />
        ) : (
          <input
            id={id}
            value={rows[index]![key]}
            onChange={(e) => update(index, key, e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            list={key === 'type' ? 'dictionary-types' : undefined}
          />
        )}
        {error ? (
          <p className="field-error" id={`${id}-error`}>
            {error}
          </p>
        ) : null}
      </td>
    );
  };
  return (
    <fieldset className={`field group ${errors.dataDictionary ? 'has-error' : ''}`} aria-describedby={`${fieldId('dataDictionary')}-hint`}>
      <legend>
        Data dictionary<span className="required" aria-hidden="true"> *</span>
      </legend>
      <p className="hint" id={`${fieldId('dataDictionary')}-hint`}>
        One row per column of the data: its name, its type (string, integer, decimal, date, …) and what it means.
      </p>
      {errors.dataDictionary ? (
        <p className="field-error" id={`${fieldId('dataDictionary')}-error`} tabIndex={-1}>
          {errors.dataDictionary}
        </p>
      ) : null}
      <datalist id="dictionary-types">
        {['string', 'integer', 'decimal', 'boolean', 'date', 'datetime', 'category'].map((t) => (
          <option key={t} value={t} />
        ))}
      </datalist>
      <div className="table-wrap" role="region" aria-label="Data dictionary rows" tabIndex={0}>
        <table className="edit-table">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Type</th>
              <th scope="col">Description</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((_, index) => (
              <tr key={index}>
                {cell(index, 'field', 'Field name')}
                {cell(index, 'type', 'Type')}
                {cell(index, 'description', 'Description')}
                <td>
                  <button
                    type="button"
                    className="secondary small"
                    onClick={() => onChange(rows.filter((__, i) => i !== index))}
                    disabled={rows.length === 1}
                    aria-label={`Remove row ${index + 1}`}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button type="button" className="secondary" id={fieldId('dataDictionary')} onClick={() => onChange([...rows, emptyDictionaryRow()])}>
        Add a row
      </button>
    </fieldset>
  );
}

/** Create a dataset (full metadata) or edit one (PATCH with If-Match, only what changed). */
export function DatasetEditorPage() {
  const { id } = useParams();
  const me = useMe();
  const navigate = useNavigate();
  const [form, setForm] = useState<DatasetFormState>(() => emptyDatasetForm({ name: me.user.name, email: me.user.email }));
  const [loaded, setLoaded] = useState<{ dataset: Dataset; etag: string } | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [stale, setStale] = useState(false);
  const key = useRef(newIdempotencyKey());
  const [round, setRound] = useState(0);

  useEffect(() => {
    if (!id) return;
    let live = true;
    setLoadError(null);
    api.dataset(id).then(
      ({ data, etag }) => {
        if (!live) return;
        setLoaded({ dataset: data, etag: ifMatchOf(etag, data.revision) });
        setForm(formFromMetadata(data.metadata));
        setStale(false);
      },
      (error: unknown) => live && setLoadError(error),
    );
    return () => {
      live = false;
    };
  }, [id, round]);

  const set = <K extends keyof DatasetFormState>(field: K) => (value: DatasetFormState[K]) => {
    setSaved(false);
    setForm((f) => ({ ...f, [field]: value }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const checked = validateDatasetForm(form);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    setBusy(true);
    try {
      if (!id) {
        const { data } = await api.createDataset(checked.value, key.current);
        key.current = newIdempotencyKey();
        void navigate(`/provider/datasets/${data.id}`, { state: { created: true } });
        return;
      }
      if (!loaded) return;
      const changes = changedMetadata(loaded.dataset.metadata, checked.value);
      if (Object.keys(changes).length === 0) {
        setSaved(true);
        return;
      }
      const { data, etag } = await api.updateDataset(id, changes, loaded.etag);
      setLoaded({ dataset: data, etag: ifMatchOf(etag, data.revision) });
      setSaved(true);
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) setStale(true);
      else setErrors(errorsFromApi(error, datasetFieldsFor(form)));
    } finally {
      setBusy(false);
    }
  };

  const title = id ? 'Edit dataset' : 'New dataset';
  if (id && loadError) {
    return (
      <Page title={title}>
        <ErrorState error={loadError} retry={() => setRound((r) => r + 1)} />
      </Page>
    );
  }
  if (id && !loaded) {
    return (
      <Page title={title}>
        <Loading label="Loading the dataset…" />
      </Page>
    );
  }
  if (loaded?.dataset.state === 'retired') {
    return (
      <Page title={title}>
        <Notice tone="warning">This dataset is retired; its metadata can no longer change.</Notice>
        <BackLink to={`/provider/datasets/${id}`}>Back to the dataset</BackLink>
      </Page>
    );
  }

  const err = (field: string) => errors[field];
  return (
    <Page
      title={title}
      intro={
        <p>
          Describe the dataset as the consortium's data-sharing toolkit asks: members decide from this whether to propose a project, and
          reviewers check proposals against it. Fields marked * are required.
        </p>
      }
    >
      {id ? <BackLink to={`/provider/datasets/${id}`}>Back to the dataset</BackLink> : <BackLink to="/provider/datasets">My datasets</BackLink>}
      <form onSubmit={(e) => void submit(e)} noValidate className="stack">
        <ErrorSummary errors={errors} labels={LABELS} />
        {stale ? (
          <Notice tone="danger" role="alert">
            <p>Someone changed this dataset since you opened it, so your changes were not saved.</p>
            <button type="button" className="secondary" onClick={() => setRound((r) => r + 1)}>
              Load the latest version (discards your edits)
            </button>
          </Notice>
        ) : null}
        {saved ? (
          <Notice tone="success" role="status">
            Saved. <Link to={`/provider/datasets/${id}`}>Back to the dataset</Link>
          </Notice>
        ) : null}

        <fieldset className="section">
          <legend>About the data</legend>
          <TextField name="title" label="Title" required value={form.title} onChange={set('title')} error={err('title')} maxLength={200} />
          <TextArea
            name="description"
            label="Description"
            required
            hint="What the data is, at what level of detail, and what it is good for (at least 10 characters)."
            value={form.description}
            onChange={set('description')}
            error={err('description')}
          />
          <CheckboxGroup
            name="themes"
            label="Themes"
            required
            hint="One to five."
            options={DATASET_THEMES.map((value) => ({ value, label: THEME_LABELS[value] }))}
            values={form.themes}
            onChange={set('themes')}
            error={err('themes')}
          />
          <TextField name="keywords" label="Keywords" hint="Separated by commas." value={form.keywords} onChange={set('keywords')} error={err('keywords')} />
        </fieldset>

        <fieldset className="section">
          <legend>Coverage and format</legend>
          <div className="grid two">
            <TextField
              name="temporalCoverage.start"
              label="Coverage start"
              type="date"
              required
              value={form.temporalStart}
              onChange={set('temporalStart')}
              error={err('temporalCoverage.start')}
            />
            <TextField
              name="temporalCoverage.end"
              label="Coverage end"
              type="date"
              hint="Leave empty if the data is ongoing."
              value={form.temporalEnd}
              onChange={set('temporalEnd')}
              error={err('temporalCoverage.end')}
            />
          </div>
          <TextField
            name="spatialCoverage"
            label="Area covered"
            required
            hint="For example: the metropolitan area of Lima, 43 districts."
            value={form.spatialCoverage}
            onChange={set('spatialCoverage')}
            error={err('spatialCoverage')}
          />
          <div className="grid two">
            <SelectField
              name="updateFrequency"
              label="Update frequency"
              required
              placeholder="Choose…"
              options={UPDATE_FREQUENCIES.map((value) => ({ value, label: FREQUENCY_LABELS[value] }))}
              value={form.updateFrequency}
              onChange={set('updateFrequency')}
              error={err('updateFrequency')}
            />
            <TextField name="formats" label="Formats" required hint="Separated by commas, e.g. CSV, Parquet." value={form.formats} onChange={set('formats')} error={err('formats')} />
          </div>
        </fieldset>

        <fieldset className="section">
          <legend>Personal data</legend>
          <CheckboxField
            name="personalData.contains"
            label="The data contains personal data (even aggregated or pseudonymised)"
            checked={form.personalDataContains}
            onChange={set('personalDataContains')}
            error={err('personalData.contains')}
          />
          {form.personalDataContains ? (
            <TextArea
              name="personalData.description"
              label="What personal data, and how it is protected"
              required
              hint="For example: device counts aggregated to districts and hours, cells under 10 suppressed."
              value={form.personalDataDescription}
              onChange={set('personalDataDescription')}
              error={err('personalData.description')}
            />
          ) : null}
        </fieldset>

        <fieldset className="section">
          <legend>Provenance and quality</legend>
          <TextArea
            name="provenance"
            label="Provenance"
            required
            hint="Where the data comes from and how it was processed."
            value={form.provenance}
            onChange={set('provenance')}
            error={err('provenance')}
          />
          <TextArea
            name="qualityStatement"
            label="Quality statement"
            required
            hint="Completeness, known gaps and biases, how it is validated."
            value={form.qualityStatement}
            onChange={set('qualityStatement')}
            error={err('qualityStatement')}
          />
        </fieldset>

        <DictionaryTable rows={form.dataDictionary} errors={errors} onChange={set('dataDictionary')} />

        <fieldset className="section">
          <legend>Contact, licence and access terms</legend>
          <div className="grid two">
            <TextField name="contact.name" label="Contact name" required value={form.contactName} onChange={set('contactName')} error={err('contact.name')} />
            <TextField
              name="contact.email"
              label="Contact email"
              type="email"
              required
              value={form.contactEmail}
              onChange={set('contactEmail')}
              error={err('contact.email')}
            />
          </div>
          <TextField name="licence" label="Licence" required hint="The licence or terms under the common agreement." value={form.licence} onChange={set('licence')} error={err('licence')} />
          <TextField
            name="maxGrantDays"
            label="Longest grant, in days"
            required
            type="number"
            inputMode="numeric"
            min={1}
            max={1825}
            hint="The longest period a member may use this dataset for (1 to 1825 days)."
            value={form.maxGrantDays}
            onChange={set('maxGrantDays')}
            error={err('maxGrantDays')}
          />
          <CheckboxField
            name="consentRequired"
            label="Each proposal asking for this dataset needs our consent"
            checked={form.consentRequired}
            onChange={set('consentRequired')}
            error={err('consentRequired')}
          />
        </fieldset>

        <div className="form-actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Saving…' : id ? 'Save changes' : 'Create draft dataset'}
          </button>
          <Link to={id ? `/provider/datasets/${id}` : '/provider/datasets'}>Cancel</Link>
        </div>
      </form>
    </Page>
  );
}
