import { describe, expect, it } from 'vitest';
import { crc32cImplementations } from './codecs';
import type { Crc32c } from './codecs';
import { crc32c } from './crc32c';

const ref = (d: Uint8Array) => {
  let c = 0xffffffff;
  for (const b of d) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
};

/** Where @node-rs/crc32 ships a prebuilt binary (and CI runs): its tests must run, never skip. */
const shipsNative = process.platform === 'linux' && process.arch === 'x64';

it('loads the native CRC-32C (@node-rs/crc32) where its binary ships (linux-x64 here)', () => {
  if (shipsNative) expect(crc32cImplementations.native).toBeDefined();
});

const implementations: [string, Crc32c | undefined][] = [
  ['as used (native from 512 bytes)', crc32c],
  ['TypeScript', crc32cImplementations.js],
  ['native', crc32cImplementations.native],
];

for (const [name, impl] of implementations) {
  describe.runIf(impl !== undefined || shipsNative)(`crc32c: ${name}`, () => {
    const crc = impl!;
    it('matches the standard check value', () => {
      expect(crc(Buffer.from('123456789'))).toBe(0xe3069283);
    });

    it('is 0 for empty input', () => {
      expect(crc(new Uint8Array(0))).toBe(0);
    });

    it('matches RFC 3720 (iSCSI) test vectors', () => {
      expect(crc(new Uint8Array(32))).toBe(0x8a9136aa);
      expect(crc(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
      expect(crc(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
      expect(crc(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c);
    });

    it('continues across chunks and ranges exactly like one pass', () => {
      const data = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7 + 3) & 0xff));
      const whole = crc(data);
      for (const cut of [0, 1, 7, 8, 9, 500, 999, 1000, 2600, 3000]) {
        expect(crc(data.subarray(cut), crc(data.subarray(0, cut)))).toBe(whole);
        expect(crc(data, crc(data, 0, 0, cut), cut)).toBe(whole);
      }
    });

    it('agrees with a bit-by-bit reference on random data, small and large', () => {
      for (const n of [...Array.from({ length: 70 }, (_, i) => i), 511, 512, 513, 1024, 4099, 131072]) {
        const d = Uint8Array.from({ length: n }, () => Math.floor(Math.random() * 256));
        expect(crc(d)).toBe(ref(d));
      }
    });
  });
}
