import type { Alert } from '../../shared/configserver';
import type { Worded } from '../../shared/i18n/worded';
import { alertRow, type Row } from './rows';
import { newId, type Transactions, type Writer } from './tx';

/**
 * Alerts are raised and cleared inside the transaction that finds their cause (a state change, a
 * statistics report, the sweep), keyed by what they are about so that each cause has one open
 * alert at most.
 */
export async function raiseAlert(
  w: Writer,
  key: string,
  severity: 'warning' | 'critical',
  subjectKind: Alert['subjectKind'],
  subjectId: string,
  /** The alert's words (say() of shared/i18n/alert-words.ts): English text and worded form. */
  message: { text: string; words: Worded },
): Promise<void> {
  const words = JSON.stringify(message.words);
  const open = await w.q.query<Row>('SELECT * FROM alerts WHERE key = $1 AND cleared_at IS NULL FOR UPDATE', [
    key,
  ]);
  if (open[0]) {
    // An alert raised before its words were stored gets them at its next raise.
    if (open[0].severity === severity && open[0].message === message.text && open[0].message_words) return;
    const rows = await w.q.query<Row>(
      'UPDATE alerts SET severity = $2, message = $3, message_words = $4::jsonb, updated_at = $5 WHERE id = $1 RETURNING *',
      [open[0].id, severity, message.text, words, w.now.toISOString()],
    );
    if (open[0].severity !== severity) w.emit('alert.raised', { alert: alertRow(rows[0]!) });
    return;
  }
  const rows = await w.q.query<Row>(
    `INSERT INTO alerts (id, key, severity, subject_kind, subject_id, message, message_words, raised_at, updated_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7::jsonb,$8,$8) RETURNING *`,
    [newId('alert'), key, severity, subjectKind, subjectId, message.text, words, w.now.toISOString()],
  );
  w.emit('alert.raised', { alert: alertRow(rows[0]!) });
}

export async function clearAlert(w: Writer, key: string): Promise<void> {
  const rows = await w.q.query<Row>(
    'UPDATE alerts SET cleared_at = $2, updated_at = $2 WHERE key = $1 AND cleared_at IS NULL RETURNING *',
    [key, w.now.toISOString()],
  );
  for (const r of rows) w.emit('alert.cleared', { alert: alertRow(r) });
}

export class AlertStore {
  constructor(private readonly tx: Transactions) {}

  async list(open: boolean, limit = 1000): Promise<Alert[]> {
    const rows = await this.tx.db.query<Row>(
      `SELECT * FROM alerts WHERE ($1::boolean = false OR cleared_at IS NULL) ORDER BY raised_at DESC, id LIMIT $2`,
      [open, limit],
    );
    return rows.map(alertRow);
  }
}
