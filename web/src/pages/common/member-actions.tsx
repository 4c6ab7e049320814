import { useState } from 'react';
import type { Role } from '../../../../shared/roles';
import type { OrganizationDetail, User } from '../../../../shared/schemas/organization';
import { ApiError } from '../../api/client';
import { api } from '../../api/endpoints';
import { CheckboxGroup, TextArea } from '../../components/fields';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { Notice } from '../../components/ui';

const messageOf = (error: unknown) => (error instanceof ApiError ? error.message : 'Something went wrong; try again.');

export const roleOptionsFor = (organization: Pick<OrganizationDetail, 'kinds'>): { value: Role; label: string }[] => [
  { value: 'member', label: 'Member — works on proposals and datasets' },
  { value: 'org-admin', label: 'Org-admin — also signs the agreement and manages members' },
  ...(organization.kinds.includes('secretariat') ? [{ value: 'consortium-admin' as const, label: 'Consortium admin — decides proposals, admits organisations' }] : []),
];

/**
 * Removing a member (behind a confirmation) and changing their roles, for the organisation's
 * org-admins and consortium admins. The server refuses the last org-admin's removal or demotion
 * and anyone raising their own roles; its message is shown as it comes.
 */
export function MemberActions({ organization, member, onChanged }: { organization: OrganizationDetail; member: User; onChanged: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [editing, setEditing] = useState(false);
  const [roles, setRoles] = useState<Role[]>([...member.roles]);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(null);
    try {
      await action();
      setConfirming(false);
      setEditing(false);
      onChanged();
    } catch (error) {
      setConfirming(false);
      setProblem(messageOf(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="member-actions">
      {problem ? (
        <Notice tone="danger" role="alert">
          {problem}
        </Notice>
      ) : null}
      {editing ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void run(() => api.setMemberRoles(organization.id, member.id, roles));
          }}
        >
          <CheckboxGroup name={`roles-${member.id}`} label={`Roles of ${member.name}`} required options={roleOptionsFor(organization)} values={roles} onChange={setRoles} />
          <div className="form-actions">
            <button type="submit" disabled={busy || roles.length === 0}>
              {busy ? 'Saving…' : 'Save roles'}
            </button>
            <button type="button" className="secondary" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div className="form-actions">
          <button type="button" className="secondary" onClick={() => setEditing(true)} aria-label={`Change roles of ${member.name}`}>
            Change roles
          </button>
          <button type="button" className="danger" onClick={() => setConfirming(true)} aria-label={`Remove ${member.name}`}>
            Remove
          </button>
        </div>
      )}
      <ConfirmDialog
        open={confirming}
        title={`Remove ${member.name}?`}
        confirmLabel="Remove member"
        busy={busy}
        onConfirm={() => void run(() => api.removeMember(organization.id, member.id))}
        onCancel={() => setConfirming(false)}
      >
        <p>
          {member.email} loses access to Accord at once: their next request is refused, and they leave every grant team of {organization.name}.
        </p>
      </ConfirmDialog>
    </div>
  );
}

/** Consortium admins suspend an organisation with a reason, or reinstate it. */
export function SuspensionPanel({ organization, onChanged }: { organization: OrganizationDetail; onChanged: () => void }) {
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(null);
    try {
      await action();
      setConfirming(false);
      setReason('');
      onChanged();
    } catch (error) {
      setConfirming(false);
      setProblem(messageOf(error));
    } finally {
      setBusy(false);
    }
  };
  const suspension = organization.suspension;
  return (
    <section className="card" aria-labelledby="suspension">
      <h2 id="suspension">Suspension</h2>
      {problem ? (
        <Notice tone="danger" role="alert">
          {problem}
        </Notice>
      ) : null}
      {suspension ? (
        <>
          <Notice tone="warning">
            Suspended by {suspension.by}: {suspension.reason}. Its users are refused on every page until it is reinstated.
          </Notice>
          <button type="button" disabled={busy} onClick={() => void run(() => api.reinstateOrganization(organization.id))}>
            {busy ? 'Reinstating…' : 'Reinstate organisation'}
          </button>
        </>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (reason.trim().length >= 3) setConfirming(true);
            else setProblem('Give a reason of at least 3 characters: its users read it.');
          }}
        >
          <TextArea name="suspension-reason" label="Reason (its users read it)" required value={reason} onChange={setReason} rows={2} />
          <button type="submit" className="danger">
            Suspend organisation
          </button>
        </form>
      )}
      <ConfirmDialog
        open={confirming}
        title={`Suspend ${organization.name}?`}
        confirmLabel="Suspend"
        busy={busy}
        onConfirm={() => void run(() => api.suspendOrganization(organization.id, reason.trim()))}
        onCancel={() => setConfirming(false)}
      >
        <p>Its users are refused at once: no sign-in, submission, consent, upload or download until you reinstate it.</p>
      </ConfirmDialog>
    </section>
  );
}

/**
 * Consortium admins offboard an organisation: it is suspended and every running grant it holds
 * or provides is revoked with the reason, which opens the grantees' closure obligations.
 */
export function OffboardingPanel({ organization, onChanged }: { organization: OrganizationDetail; onChanged: () => void }) {
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const offboard = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const result = await api.offboardOrganization(organization.id, reason.trim());
      setDone(`${organization.name} was offboarded: ${result.revokedGrants} running ${result.revokedGrants === 1 ? 'grant' : 'grants'} revoked.`);
      setConfirming(false);
      onChanged();
    } catch (error) {
      setConfirming(false);
      setProblem(messageOf(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="offboarding">
      <h2 id="offboarding">Offboarding</h2>
      {problem ? (
        <Notice tone="danger" role="alert">
          {problem}
        </Notice>
      ) : null}
      {done ? (
        <Notice tone="success" role="status">
          {done}
        </Notice>
      ) : null}
      {organization.suspension?.offboardedAt ? (
        done ? null : <p>Offboarded; its grants were revoked. Offboard again to revoke any grant that still runs.</p>
      ) : null}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (reason.trim().length >= 3) setConfirming(true);
          else setProblem('Give a reason of at least 3 characters: the grantees read it.');
        }}
      >
        <TextArea name="offboarding-reason" label="Reason (the grantees read it)" required value={reason} onChange={setReason} rows={2} />
        <button type="submit" className="danger">
          Offboard organisation
        </button>
      </form>
      <ConfirmDialog open={confirming} title={`Offboard ${organization.name}?`} confirmLabel="Offboard" busy={busy} onConfirm={() => void offboard()} onCancel={() => setConfirming(false)}>
        <p>It is suspended, and every running grant it holds or provides is revoked with your reason; the grantees then owe deletion attestations and outcome reports.</p>
      </ConfirmDialog>
    </section>
  );
}
