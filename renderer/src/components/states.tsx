import type { ReactNode } from 'react';
import { useT } from '../i18n';

/**
 * The one busy state: a spinner and what the console is doing, announced politely. `children` is
 * already in the console's language (e.g. t('pe.checking')).
 */
export function Busy({ children }: { children: ReactNode }) {
  return (
    <div className="state state-loading" role="status">
      <span className="spinner" aria-hidden="true" /> {children}
    </div>
  );
}

/** `what` is already in the console's language (a noun such as t('plans.loading')). */
export function Loading({ what }: { what: string }) {
  const t = useT();
  return <Busy>{t('state.loading', { what })}</Busy>;
}

/**
 * What failed (`title`: "The map could not be loaded"), then why, as the server, the connector or
 * the console said it. The generic title is for an error no screen expected.
 */
export function ErrorState({
  title,
  message,
  onRetry,
}: {
  title?: string;
  message: string;
  onRetry?: () => void;
}) {
  const t = useT();
  return (
    <div className="state state-error state-titled" role="alert">
      <strong>{title ?? t('state.error')}</strong>
      {/* Said to sit inside a sentence, it starts in lower case: the first letter is raised here. */}
      <p className="state-message">{message}</p>
      {onRetry && (
        <button type="button" className="btn" onClick={onRetry}>
          {t('state.retry')}
        </button>
      )}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <strong>{title}</strong>
      {children && <div>{children}</div>}
    </div>
  );
}

export function PageHeader({
  title,
  subtitle,
  actions,
}: {
  title: string;
  subtitle?: string;
  actions?: ReactNode;
}) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle && <p className="subtitle">{subtitle}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}

export function HealthDot({ health }: { health: string }) {
  const t = useT();
  const word =
    health === 'ok' || health === 'warning' || health === 'critical' || health === 'unknown'
      ? t(`health.${health}`)
      : health;
  return <span className={`dot dot-${health}`} title={word} role="img" aria-label={word} />;
}
