import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Page } from '../api';
import { DataTable } from '../components/data-table';
import { ErrorNote, QueryState } from '../components/query-state';
import { TargetsPage } from '../components/targets-nav';
import { useFormat } from '../i18n';
import type { Rep } from '../types';

export interface Proposal {
  proposalId: string;
  repId: string;
  month: string;
  amount: string;
  currentAmount: string | null;
  reason: string;
  proposedBy: string;
  proposedAt: string;
  status: 'pending' | 'approved' | 'rejected';
}

const decisionPath = (proposal: Proposal, decision: 'approval' | 'rejection') =>
  `/v1/reps/${encodeURIComponent(proposal.repId)}/targets/${proposal.month}/proposals/${encodeURIComponent(proposal.proposalId)}/${decision}`;

/** The approver's queue: target proposals waiting for a decision, approved or rejected with a reason. */
export function ApprovalsScreen() {
  const { t } = useTranslation();
  const f = useFormat();
  const queryClient = useQueryClient();
  const pending = useQuery({
    queryKey: ['proposals', 'pending'],
    queryFn: () => api<Page<Proposal>>('/v1/target-proposals?status=pending&limit=500'),
  });
  const reps = useQuery({ queryKey: ['reps', null], queryFn: () => api<Page<Rep>>('/v1/reps?limit=500') });
  const nameOf = (repId: string) => reps.data?.items.find((rep) => rep.id === repId)?.name ?? repId;
  const [note, setNote] = useState<string | null>(null);
  const decide = useMutation({
    mutationFn: ({ proposal, reason }: { proposal: Proposal; reason?: string }) =>
      api<{ status: string; amount: string | null }>(
        decisionPath(proposal, reason === undefined ? 'approval' : 'rejection'),
        {
          method: 'POST',
          ...(reason !== undefined && { body: { reason } }),
        },
      ),
    onSuccess: (answer, { proposal }) => {
      setNote(
        answer.status === 'approved'
          ? t('targets.approvedNote', {
              rep: nameOf(proposal.repId),
              month: f.month(proposal.month),
              amount: f.money(answer.amount),
            })
          : t('targets.rejectedNote'),
      );
      // The queue is a projection: read it again once it has followed the decision.
      const refresh = () => void queryClient.invalidateQueries({ queryKey: ['proposals'] });
      refresh();
      setTimeout(refresh, 1_500);
      void queryClient.invalidateQueries({ queryKey: ['target-grid'] });
    },
  });
  const reject = (proposal: Proposal) => {
    const reason = window.prompt(t('targets.rejectReason', { rep: nameOf(proposal.repId) }));
    if (reason?.trim()) decide.mutate({ proposal, reason: reason.trim() });
  };
  return (
    <TargetsPage title={t('targets.pendingTitle')}>
      {note && <p role="status">{note}</p>}
      {decide.isError && <ErrorNote error={decide.error} />}
      <QueryState query={pending} isEmpty={(page) => page.items.length === 0} empty={t('targets.noPending')}>
        {(page) => (
          <DataTable
            label={t('targets.pendingTitle')}
            testId="proposals"
            columns={[
              t('targets.rep'),
              t('targets.month'),
              t('targets.change'),
              t('targets.reason'),
              t('targets.proposedBy'),
              t('targets.proposedAt'),
              { label: t('targets.approve'), hidden: true },
            ]}
          >
            {page.items.map((proposal) => (
              <tr key={proposal.proposalId} data-proposal={proposal.proposalId}>
                <th scope="row">{nameOf(proposal.repId)}</th>
                <td>{f.month(proposal.month)}</td>
                <td className="num">
                  {proposal.currentAmount === null ? t('targets.notSet') : f.money(proposal.currentAmount)} →{' '}
                  {f.money(proposal.amount)}
                </td>
                <td>{proposal.reason}</td>
                <td>{proposal.proposedBy}</td>
                <td>{f.instant(proposal.proposedAt)}</td>
                <td className="actions">
                  <button type="button" disabled={decide.isPending} onClick={() => decide.mutate({ proposal })}>
                    {t('targets.approve')}
                  </button>
                  <button type="button" disabled={decide.isPending} onClick={() => reject(proposal)}>
                    {t('targets.reject')}
                  </button>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryState>
    </TargetsPage>
  );
}
