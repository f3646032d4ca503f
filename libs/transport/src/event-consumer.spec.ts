import { together } from './event-consumer';

/** An `apply` that records each call's items, fails any call holding a poisoned item, and notes overlapping calls. */
function recordingApply(poisoned = new Set<string>()) {
  const calls: string[][] = [];
  let inFlight = 0;
  let overlapped = false;
  const apply = async (items: string[]) => {
    calls.push(items);
    overlapped ||= ++inFlight > 1;
    await new Promise((resolve) => setTimeout(resolve, 5));
    inFlight--;
    if (items.some((item) => poisoned.has(item))) throw new Error(`cannot apply ${items.join(',')}`);
  };
  return { apply, calls, overlapped: () => overlapped };
}

describe('partitions’ batches applied together', () => {
  it('makes one call of the batches handed over in the same turn, in the order handed over', async () => {
    const { apply, calls } = recordingApply();
    const applyTogether = together(apply);
    await Promise.all([applyTogether(['p0-a', 'p0-b']), applyTogether(['p1-a']), applyTogether(['p2-a'])]);
    expect(calls).toEqual([['p0-a', 'p0-b', 'p1-a', 'p2-a']]);
  });

  it('gathers what is handed over during a call into the next, and never runs two calls at once', async () => {
    const { apply, calls, overlapped } = recordingApply();
    const applyTogether = together(apply);
    const first = applyTogether(['p0-a']);
    await new Promise((resolve) => setTimeout(resolve, 1)); // the first call is under way
    await Promise.all([first, applyTogether(['p1-a']), applyTogether(['p2-a'])]);
    expect({ calls, overlapped: overlapped() }).toEqual({ calls: [['p0-a'], ['p1-a', 'p2-a']], overlapped: false });
  });

  it('fails only the batch that cannot be applied, after applying the others alone', async () => {
    const { apply, calls } = recordingApply(new Set(['p1-bad']));
    const applyTogether = together(apply);
    const outcomes = await Promise.allSettled([
      applyTogether(['p0-a']),
      applyTogether(['p1-a', 'p1-bad']),
      applyTogether(['p2-a']),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(calls).toEqual([['p0-a', 'p1-a', 'p1-bad', 'p2-a'], ['p0-a'], ['p1-a', 'p1-bad'], ['p2-a']]);
  });

  it('puts no more items in a call than its limit, unless one batch alone holds more', async () => {
    const { apply, calls } = recordingApply();
    const applyTogether = together(apply, 4);
    await Promise.all([
      applyTogether(['p0-a', 'p0-b']),
      applyTogether(['p1-a', 'p1-b']),
      applyTogether(['p2-a']),
      applyTogether(['p3-a', 'p3-b', 'p3-c', 'p3-d', 'p3-e']),
    ]);
    expect(calls).toEqual([['p0-a', 'p0-b', 'p1-a', 'p1-b'], ['p2-a'], ['p3-a', 'p3-b', 'p3-c', 'p3-d', 'p3-e']]);
  });

  it('rejects a batch applied on its own with the error of its call, and applies the next one after it', async () => {
    const { apply, calls } = recordingApply(new Set(['bad']));
    const applyTogether = together(apply);
    await expect(applyTogether(['bad'])).rejects.toThrow('cannot apply bad');
    await applyTogether(['good']);
    expect(calls).toEqual([['bad'], ['good']]);
  });
});
