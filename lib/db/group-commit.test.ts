import { describe, expect, it } from "vitest";
import { createGroupCommit } from "./group-commit";

/** A writer whose statements the test finishes by hand, recording what each one carried. */
function manualWriter(fail: (items: number[]) => boolean = () => false) {
  const statements: { items: number[]; finish: () => void }[] = [];
  const written: number[] = [];
  const write = (items: number[]) =>
    new Promise<void[]>((resolve, reject) => {
      statements.push({
        items,
        finish: () => {
          if (fail(items)) return reject(new Error(`refused ${items.join(",")}`));
          written.push(...items);
          resolve(items.map(() => undefined));
        },
      });
    });
  return { statements, written, write };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe("createGroupCommit", () => {
  it("writes a lone item at once, and items that arrive meanwhile together in the next statement", async () => {
    const writer = manualWriter();
    const queue = createGroupCommit(writer.write);
    const first = queue(1);
    expect(writer.statements.map((s) => s.items)).toEqual([[1]]);
    const later = [queue(2), queue(3), queue(4)];
    // Nothing more is sent while the first statement is in flight.
    expect(writer.statements).toHaveLength(1);
    writer.statements[0]!.finish();
    await first;
    await settled();
    expect(writer.statements.map((s) => s.items)).toEqual([[1], [2, 3, 4]]);
    writer.statements[1]!.finish();
    await Promise.all(later);
    expect(writer.written).toEqual([1, 2, 3, 4]);
  });

  it("settles a caller only once the statement holding its item has finished", async () => {
    const writer = manualWriter();
    const queue = createGroupCommit(writer.write);
    let done = false;
    void queue(1).then(() => (done = true));
    await settled();
    expect(done).toBe(false);
    writer.statements[0]!.finish();
    await settled();
    expect(done).toBe(true);
  });

  it("splits a backlog larger than maxBatch", async () => {
    const writer = manualWriter();
    const queue = createGroupCommit(writer.write, { maxBatch: 2 });
    const all = [queue(1), queue(2), queue(3), queue(4), queue(5)];
    for (let i = 0; i < 3; i++) {
      await settled();
      writer.statements[i]!.finish();
    }
    await Promise.all(all);
    expect(writer.statements.map((s) => s.items)).toEqual([[1], [2, 3], [4, 5]]);
  });

  it("fails only the caller whose item the database refuses (the rest of its batch is written one by one)", async () => {
    const writer = manualWriter((items) => items.includes(3));
    const queue = createGroupCommit(writer.write);
    const first = queue(1);
    const batch = [queue(2), queue(3), queue(4)].map((p) =>
      p.then(
        () => "ok",
        (error: Error) => error.message,
      ),
    );
    writer.statements[0]!.finish();
    await first;
    // The batch [2,3,4] fails as a whole, then each alone.
    for (let i = 1; i < 5; i++) {
      await settled();
      writer.statements[i]!.finish();
    }
    expect(await Promise.all(batch)).toEqual(["ok", "refused 3", "ok"]);
    expect(writer.written).toEqual([1, 2, 4]);
  });

  it("gives each caller its own item's result", async () => {
    const queue = createGroupCommit(async (items: number[]) => items.map((item) => item * 10));
    expect(await Promise.all([queue(1), queue(2), queue(3)])).toEqual([10, 20, 30]);
  });

  it("keeps writing after a failure", async () => {
    const writer = manualWriter((items) => items.includes(1));
    const queue = createGroupCommit(writer.write);
    const failed = queue(1).catch((error: Error) => error.message);
    writer.statements[0]!.finish();
    expect(await failed).toBe("refused 1");
    const next = queue(2);
    await settled();
    writer.statements[1]!.finish();
    await next;
    expect(writer.written).toEqual([2]);
  });
});
