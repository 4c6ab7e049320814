import { useRef, useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import type { Role } from '../../../../shared/roles';
import { AddMemberRequestSchema } from '../../../../shared/schemas/organization';
import type { OrganizationDetail } from '../../../../shared/schemas/organization';
import { newIdempotencyKey } from '../../api/client';
import { api } from '../../api/endpoints';
import { useMe } from '../../auth/session';
import { CheckboxGroup, ErrorSummary, TextField } from '../../components/fields';
import { Async, BackLink, Badge, DateTime, Notice, Page, TableWrap, useAsync } from '../../components/ui';
import { errorsFromApi, validate, type FieldErrors } from '../../lib/forms';
import { isAdmin, isOrgAdmin } from '../../lib/navigation';
import { MemberActions, OffboardingPanel, SuspensionPanel } from './member-actions';

const MEMBER_FIELDS = ['email', 'name', 'roles'];

function AddMemberForm({ organization, onAdded }: { organization: OrganizationDetail; onAdded: () => void }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<Role[]>(['member']);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  const key = useRef(newIdempotencyKey());
  const roleOptions: { value: Role; label: string }[] = [
    { value: 'member', label: 'Member — works on proposals and datasets' },
    { value: 'org-admin', label: 'Org-admin — also signs the agreement and adds members' },
    ...(organization.kinds.includes('secretariat') ? [{ value: 'consortium-admin' as const, label: 'Consortium admin — decides proposals, admits organisations' }] : []),
  ];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setAdded(null);
    const checked = validate(AddMemberRequestSchema, { email: email.trim(), name, roles }, MEMBER_FIELDS);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    setBusy(true);
    try {
      const user = await api.addMember(organization.id, checked.value, key.current);
      key.current = newIdempotencyKey();
      setAdded(`${user.name} (${user.email}) was added.`);
      setEmail('');
      setName('');
      setRoles(['member']);
      onAdded();
    } catch (error) {
      setErrors(errorsFromApi(error, MEMBER_FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="add-member">
      <h2 id="add-member">Add a member</h2>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <ErrorSummary errors={errors} />
        {added ? (
          <Notice tone="success" role="status">
            {added}
          </Notice>
        ) : null}
        <div className="grid two">
          <TextField name="name" label="Full name" required autoComplete="off" value={name} onChange={setName} error={errors.name} />
          <TextField name="email" label="Email" type="email" required autoComplete="off" value={email} onChange={setEmail} error={errors.email} />
        </div>
        <CheckboxGroup name="roles" label="Roles" required options={roleOptions} values={roles} onChange={setRoles} error={errors.roles} />
        <button type="submit" disabled={busy}>
          {busy ? 'Adding…' : 'Add member'}
        </button>
      </form>
    </section>
  );
}

/** An organisation and its members: your own (everyone), or any (consortium admins, from the list). */
export function OrganizationPage() {
  const me = useMe();
  const { orgId } = useParams();
  const id = orgId ?? me.organization.id;
  const organization = useAsync(() => api.organization(id), [id]);
  const own = id === me.organization.id;
  const manages = (own && isOrgAdmin(me)) || isAdmin(me);

  return (
    <Page title={organization.status === 'ready' ? organization.data.name : 'Organisation'}>
      {orgId ? <BackLink to="/admin/organizations">All organisations</BackLink> : null}
      <Async state={organization} label="Loading the organisation…">
        {(org) => (
        <>
          <dl className="facts">
            <div>
              <dt>Kind</dt>
              <dd>{org.kinds.map((kind) => <Badge key={kind} value={kind} />)}</dd>
            </div>
            <div>
              <dt>Admitted</dt>
              <dd>
                <DateTime iso={org.createdAt} />
              </dd>
            </div>
            <div>
              <dt>Agreement</dt>
              <dd>
                {org.latestSignature ? (
                  <>
                    Signed version {org.latestSignature.version} on <DateTime iso={org.latestSignature.signedAt} /> by {org.latestSignature.signedBy}
                  </>
                ) : (
                  'Not signed'
                )}
              </dd>
            </div>
          </dl>
          <h2>Members</h2>
          {org.members.length === 0 ? (
            <p>No members yet.</p>
          ) : (
            <TableWrap label="Members">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Email</th>
                    <th scope="col">Roles</th>
                    <th scope="col">Added</th>
                    {manages ? <th scope="col">Actions</th> : null}
                  </tr>
                </thead>
                <tbody>
                  {org.members.map((member) => (
                    <tr key={member.id}>
                      <td>{member.name}</td>
                      <td>{member.email}</td>
                      <td>{member.roles.join(', ')}</td>
                      <td>
                        <DateTime iso={member.createdAt} />
                      </td>
                      {manages ? (
                        <td>
                          <MemberActions organization={org} member={member} onChanged={organization.reload} />
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
          {own && isOrgAdmin(me) ? <AddMemberForm organization={org} onAdded={organization.reload} /> : null}
          {own && !isOrgAdmin(me) ? <p className="muted">Only an org-admin adds members.</p> : null}
          {isAdmin(me) && !org.kinds.includes('secretariat') ? <SuspensionPanel organization={org} onChanged={organization.reload} /> : null}
          {isAdmin(me) && !org.kinds.includes('secretariat') ? <OffboardingPanel organization={org} onChanged={organization.reload} /> : null}
        </>
        )}
      </Async>
    </Page>
  );
}
