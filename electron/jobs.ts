import { endedText, runningText } from '../shared/i18n/job-words';
import type { Locale } from '../shared/i18n/locale';
import { type Job, jobSchema, terminalJobStates } from '../shared/schemas/job';

/** What the job tracker needs of the shell (a stand-in in tests). */
export interface JobSurface {
  focused(): boolean;
  /** 0..1 while jobs run, -1 to clear (taskbar on Windows, dock on macOS, launcher on Linux). */
  setProgress(fraction: number): void;
  /** Tray tooltip while jobs run; null removes the tray icon. */
  setTray(text: string | null): void;
  notify(title: string, body: string): void;
  /** The console's language now (the operator's setting, else the system's): the words follow it. */
  locale(): Locale;
}

/**
 * Follows the jobs this console started: progress on the taskbar/dock and the tray while any
 * runs, and a native notification when one ends while the window is not focused. Jobs started
 * elsewhere (another console, the CLI) show in the Jobs screen but do not notify here.
 */
export class JobTracker {
  private readonly started = new Set<string>();
  private readonly running = new Map<string, Job>();

  constructor(private readonly surface: JobSurface) {}

  /** Remembers the jobs in a call's result: a job record, `{job}`, or a list of them. */
  noteCallResult(result: unknown): void {
    const candidates = Array.isArray(result)
      ? []
      : [
          result,
          (result as { job?: unknown } | null)?.job,
          ...((result as { jobs?: unknown[] } | null)?.jobs ?? []),
        ];
    for (const c of candidates) {
      const parsed = jobSchema.safeParse(c);
      if (parsed.success) {
        this.started.add(parsed.data.id);
        this.progress(parsed.data);
      }
    }
  }

  progress(job: Job): void {
    if (!this.started.has(job.id)) return;
    if (terminalJobStates.includes(job.state)) {
      this.running.delete(job.id);
      this.started.delete(job.id);
      this.finished(job);
    } else this.running.set(job.id, job);
    this.render();
  }

  private finished(job: Job): void {
    if (this.surface.focused()) return;
    const { title, body } = endedText(this.surface.locale(), job);
    this.surface.notify(title, body);
  }

  private render(): void {
    if (this.running.size === 0) {
      this.surface.setProgress(-1);
      this.surface.setTray(null);
      return;
    }
    const jobs = [...this.running.values()];
    const fraction = jobs.reduce((sum, j) => sum + j.progress, 0) / jobs.length;
    this.surface.setProgress(Math.max(0.01, Math.min(1, fraction)));
    this.surface.setTray(runningText(this.surface.locale(), jobs, fraction));
  }
}
