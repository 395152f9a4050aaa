import fc from 'fast-check';
import { Fifo } from '../../../shared/adapters/local/fifo';
import { MinHeap } from '../../../shared/adapters/local/min-heap';
import { TokenBucket } from '../../../shared/adapters/local/token-bucket';

describe('MinHeap', () => {
  it('gives back what it got in order, whatever pushes and pops are interleaved', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: -1_000, max: 1_000 }), { nil: undefined })), (operations) => {
        // Arrange: a number pushes it, `undefined` pops
        const heap = new MinHeap<number>((a, b) => a < b);
        const model: number[] = [];

        for (const operation of operations) {
          // Act
          if (operation === undefined) {
            model.sort((a, b) => a - b);
            // Assert
            expect(heap.pop()).toBe(model.shift());
          } else {
            heap.push(operation);
            model.push(operation);
          }
          expect(heap.size).toBe(model.length);
        }
      }),
    );
  });
});

describe('Fifo', () => {
  it('keeps first-in first-out order across many shifts and pushes', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 5_000 }), (operations) => {
        const fifo = new Fifo<number>();
        const model: number[] = [];
        let next = 0;
        for (const push of operations) {
          if (push) {
            fifo.push(next);
            model.push(next);
            next += 1;
          } else {
            expect(fifo.shift()).toBe(model.shift());
          }
          expect(fifo.length).toBe(model.length);
          expect(fifo.peek()).toBe(model[0]);
        }
      }),
    );
  });
});

describe('TokenBucket', () => {
  it('never grants more than the burst plus the rate times the time elapsed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 300 }),
        (rate, steps) => {
          // Arrange
          const bucket = new TokenBucket(rate);
          let now = 0;
          let granted = 0;

          // Act: ask for a token at each step, `step` ms after the previous one
          for (const step of steps) {
            now += step;
            if (bucket.tryTake(now)) granted += 1;
          }

          // Assert
          expect(granted).toBeLessThanOrEqual(rate + (now * rate) / 1000);
        },
      ),
    );
  });
});
