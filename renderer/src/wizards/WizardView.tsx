import { Empty } from '../components/states';
import { useT } from '../i18n';
import { FailoverWizard } from './FailoverWizard';
import { FinishWizard } from './FinishWizard';
import { MasterTargetWizard } from './MasterTargetWizard';
import { ProtectWizard } from './ProtectWizard';
import { ReverseWizard } from './ReverseWizard';
import { useWizard } from './store';

/** The open wizard, whichever it is. */
export function WizardView() {
  const active = useWizard((s) => s.active);
  const t = useT();
  if (!active)
    return (
      <section className="page" aria-label={t('wizard.title')}>
        <Empty title={t('wizard.none')}>{t('wizard.noneText')}</Empty>
      </section>
    );
  if (active.kind === 'protect') return <ProtectWizard />;
  if (active.kind === 'master-target') return <MasterTargetWizard />;
  if (active.kind === 'reprotect' || active.kind === 'failback') return <ReverseWizard />;
  if (active.kind === 'test' || active.kind === 'planned' || active.kind === 'unplanned')
    return <FailoverWizard />;
  return <FinishWizard />;
}
