/**
 * Key → partition routing, compatible with the Java client's default (`JavaStringHash`):
 * Java's `String.hashCode()` over UTF-16 code units, masked to non-negative, modulo the partition count.
 * A Java producer and this client therefore put the same key on the same partition. (The Go client hashes
 * UTF-8 bytes instead, which agrees with Java only for ASCII keys; C++ and the Node addon use BoostHash.)
 */

/** Java `String.hashCode()`: `s[0]*31^(n-1) + … + s[n-1]` in 32-bit signed arithmetic. */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** The Java client's `JavaStringHash.makeHash`: hashCode & 0x7fffffff. */
export function javaStringHash(s: string): number {
  return javaStringHashCode(s) & 0x7fffffff;
}

/** Partition index for a key, as the Java client's default router computes it. */
export function partitionForKey(key: string, numPartitions: number): number {
  return javaStringHash(key) % numPartitions;
}

/**
 * Round-robin router for messages without a key. Java's default "RoundRobinPartition" mode starts at a
 * random partition and, with batching on, switches partition per batch window rather than per message,
 * so that a batch fills on one partition. We advance per message when batching is off and every
 * `switchEvery` messages otherwise.
 */
export class RoundRobinRouter {
  private next: number;
  private count = 0;

  constructor(
    private numPartitions: number,
    private readonly switchEvery = 1,
  ) {
    this.next = Math.floor(Math.random() * numPartitions);
  }

  /** Partitions were added: keyless messages spread over them too. */
  resize(numPartitions: number): void {
    this.numPartitions = numPartitions;
    this.next %= numPartitions;
  }

  choose(): number {
    const p = this.next;
    if (++this.count >= this.switchEvery) {
      this.count = 0;
      this.next = (this.next + 1) % this.numPartitions;
    }
    return p;
  }
}
