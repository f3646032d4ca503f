/** Something a long-running loop found wrong that a restart would not fix (a broken audit chain). */
export interface HealthProblem {
  readonly detail: string;
  readonly [field: string]: unknown;
}

/** Problems reported by a process's loops, by check name, for its /health answer. */
export class HealthBoard {
  private readonly current = new Map<string, HealthProblem>();

  report(check: string, problem: HealthProblem | undefined): void {
    if (problem) this.current.set(check, problem);
    else this.current.delete(check);
  }

  problems(): Record<string, HealthProblem> {
    return Object.fromEntries(this.current);
  }

  get degraded(): boolean {
    return this.current.size > 0;
  }
}
