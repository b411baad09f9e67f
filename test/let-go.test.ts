// A big load frees what it let go of at once (src/let-go.ts), not whenever the collector next runs.
import { describe, expect, it } from 'vitest';
import { letGo } from '../src/let-go.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('letGo', () => {
  it('collects an array nothing refers to any more', async () => {
    const ref = (() => new WeakRef(new Int32Array(1 << 20)))();
    // A WeakRef keeps its target until the end of the job that made it.
    await tick();
    expect(ref.deref()).toBeDefined(); // nothing has collected it yet
    await tick();
    letGo();
    expect(ref.deref()).toBeUndefined();
  });
});
