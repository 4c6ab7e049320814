import { useState, type FormEvent } from 'react';
import type { Grant } from '../../../../shared/schemas/grant';
import { ApiError } from '../../api/client';
import { api } from '../../api/endpoints';
import { useMe } from '../../auth/session';
import { CheckboxGroup } from '../../components/fields';
import { Async, Notice, useAsync } from '../../components/ui';

/**
 * The grantee organisation's org-admins choose who of its members is on a running grant's
 * team. Whoever leaves can no longer download; the provider is told only that the team changed.
 */
export function GrantTeamForm({ grant, onSaved }: { grant: Grant; onSaved: (next: Grant) => void }) {
  const me = useMe();
  const organization = useAsync(() => api.organization(me.organization.id), [me.organization.id]);
  const [team, setTeam] = useState<string[]>([...grant.team]);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (team.length === 0) return setProblem('Choose at least one person.');
    setBusy(true);
    setProblem(null);
    try {
      onSaved(await api.setGrantTeam(grant.id, team));
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : 'Something went wrong; try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="grant-team">
      <h2 id="grant-team">Project team</h2>
      <Async state={organization} label="Loading your organisation's members…">
        {(org) => (
          <form onSubmit={(e) => void submit(e)} noValidate>
            {problem ? (
              <Notice tone="danger" role="alert">
                {problem}
              </Notice>
            ) : null}
            <CheckboxGroup
              name="grant-team"
              label="Who may download under this grant"
              hint="Whoever you take off can no longer download. The provider is told that the team changed, not who is on it."
              required
              options={org.members.map((m) => ({ value: m.email, label: `${m.name} (${m.email})` }))}
              values={team.filter((entry) => org.members.some((m) => m.email === entry))}
              onChange={setTeam}
            />
            <button type="submit" disabled={busy}>
              {busy ? 'Saving…' : 'Save team'}
            </button>
          </form>
        )}
      </Async>
    </section>
  );
}
