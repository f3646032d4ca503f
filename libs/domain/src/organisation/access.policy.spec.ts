import { mayRead, mayWrite, readScope, type Principal } from './access.policy';

const admin: Principal = { userId: 'a', role: 'admin' };
const director: Principal = { userId: 'd', role: 'director' };
const manager: Principal = { userId: 'm', role: 'manager', teamId: 'north' };
const rep: Principal = { userId: 'r', role: 'rep', teamId: 'north', repId: 'rep-1' };
const analyst: Principal = { userId: 'x', role: 'analyst' };

const own = { repId: 'rep-1', teamId: 'north' };
const sameTeam = { repId: 'rep-2', teamId: 'north' };
const otherTeam = { repId: 'rep-9', teamId: 'south' };

describe('who may change what', () => {
  it.each([
    ['admin', admin, 'users', {}, true],
    ['director', director, 'users', {}, false],
    ['director onboarding a manager', director, 'users', { userRole: 'manager' }, true],
    ['director onboarding a rep', director, 'users', { userRole: 'rep' }, true],
    ['director making a director', director, 'users', { userRole: 'director' }, false],
    ['director making an admin', director, 'users', { userRole: 'admin' }, false],
    ['director', director, 'teams', {}, true],
    ['manager', manager, 'teams', {}, false],
    ['manager', manager, 'reps', sameTeam, true],
    ['manager', manager, 'reps', otherTeam, false],
    ['manager', manager, 'targets', sameTeam, true],
    ['manager', manager, 'targets', otherTeam, false],
    ['rep', rep, 'targets', own, false],
    ['rep', rep, 'orders', own, true],
    ['rep', rep, 'orders', sameTeam, false],
    ['rep', rep, 'customers', own, true],
    ['analyst', analyst, 'orders', own, false],
  ] as const)('%s writing %s: %p -> %p', (_, principal, resource, owner, allowed) => {
    expect(mayWrite(principal, resource, owner)).toBe(allowed);
  });

  it.each(['teams', 'company settings', 'company plans', 'target approvals'] as const)(
    'leaves %s to directors and admins',
    (resource) => {
      expect([admin, director, manager, rep, analyst].map((p) => mayWrite(p, resource, {}))).toEqual([
        true,
        true,
        false,
        false,
        false,
      ]);
    },
  );

  it('lets nobody set their own target, whatever their role', () => {
    expect(mayWrite({ ...director, repId: 'rep-1' }, 'targets', own)).toBe(false);
    expect(mayWrite({ ...admin, repId: 'rep-1' }, 'targets', own)).toBe(false);
  });
});

describe('who may read what', () => {
  it("shows how the system runs (projections' status) to admins and directors only", () => {
    expect([admin, director, manager, rep, analyst].map((p) => mayRead(p, 'operations', {}))).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('shows the company plan to everyone but reps', () => {
    expect([admin, director, manager, rep, analyst].map((p) => mayRead(p, 'company plans', {}))).toEqual([
      true,
      true,
      true,
      false,
      true,
    ]);
  });

  it.each([
    ['analyst', analyst, otherTeam, true],
    ['manager', manager, sameTeam, true],
    ['manager', manager, otherTeam, false],
    ['rep', rep, own, true],
    ['rep', rep, sameTeam, false],
  ] as const)('%s reading targets of %p -> %p', (_, principal, owner, allowed) => {
    expect(mayRead(principal, 'targets', owner)).toBe(allowed);
  });
});

describe('who sees and acknowledges lag alerts', () => {
  const everyone = [admin, director, manager, rep, analyst];

  it.each([
    ['own', own, [true, true, true, true, true]],
    ["a teammate's", sameTeam, [true, true, true, false, true]],
    ["another team's", otherTeam, [true, true, false, false, true]],
  ] as const)('shows %s alerts to admin, director, manager, rep, analyst: %p', (_, owner, allowed) => {
    expect(everyone.map((p) => mayRead(p, 'alerts', owner))).toEqual(allowed);
  });

  it("lets the team's manager, directors and admins acknowledge, never the rep it is about nor an analyst", () => {
    expect(everyone.map((p) => mayWrite(p, 'alerts', own))).toEqual([true, true, true, false, false]);
    expect(mayWrite(manager, 'alerts', otherTeam)).toBe(false);
  });

  it('lists for each role exactly what it may read', () => {
    expect(everyone.map((p) => readScope(p, 'alerts'))).toEqual([
      'all',
      'all',
      { teamId: 'north' },
      { repId: 'rep-1' },
      'all',
    ]);
    expect(readScope({ userId: 'm2', role: 'manager' }, 'alerts')).toBe('nothing');
  });
});
