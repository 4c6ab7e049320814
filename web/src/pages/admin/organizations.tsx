import { useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { CreateOrganizationRequestSchema } from '../../../../shared/schemas/organization';
import { newIdempotencyKey } from '../../api/client';
import { api } from '../../api/endpoints';
import { Pager, useCursorPages } from '../../components/catalog-search';
import { CheckboxGroup, ErrorSummary, TextField } from '../../components/fields';
import { Async, Badge, DateTime, Empty, Notice, Page, TableWrap, useAsync } from '../../components/ui';
import { errorsFromApi, validate, type FieldErrors } from '../../lib/forms';

const ADMIT_FIELDS = ['name', 'kinds', 'firstAdmin.name', 'firstAdmin.email'];
const LABELS = { name: 'Organisation name', kinds: 'Kind', 'firstAdmin.name': 'First admin name', 'firstAdmin.email': 'First admin email' };

function AdmitForm({ onAdmitted }: { onAdmitted: (id: string, name: string) => void }) {
  const [name, setName] = useState('');
  const [kinds, setKinds] = useState<('provider' | 'member')[]>([]);
  const [adminName, setAdminName] = useState('');
  const [adminEmail, setAdminEmail] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const key = useRef(newIdempotencyKey());

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = validate(CreateOrganizationRequestSchema, { name, kinds, firstAdmin: { name: adminName, email: adminEmail.trim() } }, ADMIT_FIELDS);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    setBusy(true);
    try {
      const org = await api.admitOrganization(checked.value, key.current);
      key.current = newIdempotencyKey();
      setName('');
      setKinds([]);
      setAdminName('');
      setAdminEmail('');
      onAdmitted(org.id, org.name);
    } catch (error) {
      setErrors(errorsFromApi(error, ADMIT_FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="admit-heading">
      <h2 id="admit-heading">Admit an organisation</h2>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <ErrorSummary errors={errors} labels={LABELS} />
        <TextField name="name" label="Organisation name" required value={name} onChange={setName} error={errors.name} />
        <CheckboxGroup
          name="kinds"
          label="Kind"
          required
          options={[
            { value: 'provider', label: 'Provider — lists datasets' },
            { value: 'member', label: 'Member — proposes projects' },
          ]}
          values={kinds}
          onChange={setKinds}
          error={errors.kinds}
        />
        <div className="grid two">
          <TextField name="firstAdmin.name" label="First admin's name" required value={adminName} onChange={setAdminName} error={errors['firstAdmin.name']} />
          <TextField
            name="firstAdmin.email"
            label="First admin's email"
            type="email"
            required
            value={adminEmail}
            onChange={setAdminEmail}
            error={errors['firstAdmin.email']}
          />
        </div>
        <button type="submit" disabled={busy}>
          {busy ? 'Admitting…' : 'Admit organisation'}
        </button>
      </form>
    </section>
  );
}

/** Every organisation of the consortium, and admitting a new one (consortium admins). */
export function OrganizationsPage() {
  const paging = useCursorPages('orgs');
  const organizations = useAsync(() => api.organizations({ cursor: paging.cursor }), [paging.cursor]);
  const [admitted, setAdmitted] = useState<{ id: string; name: string } | null>(null);
  return (
    <Page title="Organisations">
      {admitted ? (
        <Notice tone="success" role="status">
          {admitted.name} was admitted. <Link to={`/admin/organizations/${admitted.id}`}>See its members</Link>
        </Notice>
      ) : null}
      <Async state={organizations} label="Loading organisations…">
        {(page) =>
          page.items.length === 0 ? (
            <Empty title="No organisation yet." />
          ) : (
            <>
              <TableWrap label="Organisations">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Organisation</th>
                      <th scope="col">Kind</th>
                      <th scope="col">Agreement</th>
                      <th scope="col">Admitted</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.items.map((org) => (
                      <tr key={org.id}>
                        <td>
                          <Link to={`/admin/organizations/${org.id}`}>{org.name}</Link>
                        </td>
                        <td>{org.kinds.map((kind) => <Badge key={kind} value={kind} />)}</td>
                        <td>{org.latestSignature ? `Signed version ${org.latestSignature.version}` : 'Not signed'}</td>
                        <td>
                          <DateTime iso={org.createdAt} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
              <Pager paging={paging} nextCursor={page.nextCursor} />
            </>
          )
        }
      </Async>
      <AdmitForm
        onAdmitted={(id, name) => {
          setAdmitted({ id, name });
          organizations.reload();
        }}
      />
    </Page>
  );
}
