import { Empty } from '../components/states';
import { FailoverWizard } from './FailoverWizard';
import { FinishWizard } from './FinishWizard';
import { MasterTargetWizard } from './MasterTargetWizard';
import { ProtectWizard } from './ProtectWizard';
import { ReverseWizard } from './ReverseWizard';
import { useWizard } from './store';

/** The open wizard, whichever it is. */
export function WizardView() {
  const active = useWizard((s) => s.active);
  if (!active)
    return (
      <section className="page" aria-label="Wizard">
        <Empty title="No wizard open">Open one from Plans or Inventory.</Empty>
      </section>
    );
  if (active.kind === 'protect') return <ProtectWizard />;
  if (active.kind === 'master-target') return <MasterTargetWizard />;
  if (active.kind === 'reprotect' || active.kind === 'failback') return <ReverseWizard />;
  if (active.kind === 'test' || active.kind === 'planned' || active.kind === 'unplanned')
    return <FailoverWizard />;
  return <FinishWizard />;
}
