import { describe, expect, it } from 'vitest';
import { crc32c } from './crc32c';

describe('crc32c', () => {
  it('matches the standard check value', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('is 0 for empty input', () => {
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });

  it('matches RFC 3720 (iSCSI) test vectors', () => {
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c);
  });

  it('continues across chunks and ranges exactly like one pass', () => {
    const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7 + 3) & 0xff));
    const whole = crc32c(data);
    for (const cut of [0, 1, 7, 8, 9, 500, 999, 1000]) {
      expect(crc32c(data.subarray(cut), crc32c(data.subarray(0, cut)))).toBe(whole);
      expect(crc32c(data, crc32c(data, 0, 0, cut), cut)).toBe(whole);
    }
  });

  it('agrees with a bit-by-bit reference on random data', () => {
    const ref = (d: Uint8Array) => {
      let c = 0xffffffff;
      for (const b of d) {
        c ^= b;
        for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
      }
      return (c ^ 0xffffffff) >>> 0;
    };
    for (let n = 0; n < 70; n++) {
      const d = Uint8Array.from({ length: n }, () => Math.floor(Math.random() * 256));
      expect(crc32c(d)).toBe(ref(d));
    }
  });
});
