import { describe, expect, test } from 'vitest';
import { blockedAddressReason, createOutboundGuard, OutboundBlockedError } from '../../src/fhir/outbound-guard.js';

const ALLOWED = ['http://127.0.0.1:*', 'http://localhost:*', 'http://[::1]:*', 'https://fhir.example.org/r4'];
const resolvesTo =
  (...addresses: string[]) =>
  async (): Promise<{ address: string }[]> =>
    addresses.map((address) => ({ address }));
const failsToResolve = async (): Promise<never> => {
  throw new Error('ENOTFOUND');
};

describe('blockedAddressReason', () => {
  test.each([
    ['169.254.169.254', 'cloud metadata address'],
    ['fd00:ec2::254', 'cloud metadata address'],
    ['100.100.100.200', 'cloud metadata address'],
    ['169.254.1.1', 'linkLocal address'],
    ['fe80::1', 'linkLocal address'],
    ['0.0.0.0', 'unspecified address'],
    ['::', 'unspecified address'],
    ['224.0.0.1', 'multicast address'],
    ['ff02::1', 'multicast address'],
    ['255.255.255.255', 'broadcast address'],
    ['::ffff:169.254.169.254', 'cloud metadata address'],
    ['64:ff9b::a9fe:a9fe', 'cloud metadata address'],
    ['2002:a9fe:a9fe::1', 'cloud metadata address'],
    ['not-an-ip', 'unparseable address'],
  ])('refuses %s as %s', (address, reason) => {
    expect(blockedAddressReason(address)).toBe(reason);
  });

  test.each(['127.0.0.1', '::1', '10.1.2.3', '192.168.0.10', '203.0.113.10', '2001:db8::1', '100.64.0.1'])(
    'lets the allowlist decide about %s',
    (address) => {
      expect(blockedAddressReason(address)).toBeUndefined();
    },
  );
});

describe('createOutboundGuard', () => {
  const guard = createOutboundGuard(ALLOWED, { lookup: resolvesTo('203.0.113.10') });
  const refusal = async (url: string, check = guard): Promise<string> => {
    try {
      await check(new URL(url));
    } catch (error) {
      expect(error).toBeInstanceOf(OutboundBlockedError);
      return (error as OutboundBlockedError).reason;
    }
    return 'allowed';
  };

  test('allows an allowlisted https server that resolves to public addresses', async () => {
    expect(await refusal('https://fhir.example.org/r4/Patient/1')).toBe('allowed');
  });

  test('allows loopback literals on the default allowlist', async () => {
    expect(await refusal('http://127.0.0.1:8080/fhir')).toBe('allowed');
    expect(await refusal('http://[::1]:8080/fhir')).toBe('allowed');
  });

  test('refuses a server that is not allowlisted', async () => {
    expect(await refusal('https://elsewhere.example.org/r4')).toBe('server not allowlisted');
  });

  test('refuses schemes other than http and https', async () => {
    expect(await refusal('file:///etc/passwd')).toBe('scheme not http or https');
    expect(await refusal('ftp://127.0.0.1/x')).toBe('scheme not http or https');
  });

  test('refuses userinfo in the URL', async () => {
    expect(await refusal('https://user:pw@fhir.example.org/r4')).toBe('userinfo in URL');
  });

  test('refuses the metadata address literal even when allowlisted', async () => {
    const open = createOutboundGuard(['http://169.254.169.254:*'], { lookup: resolvesTo('203.0.113.10') });
    expect(await refusal('http://169.254.169.254/latest/meta-data/', open)).toBe('cloud metadata address');
  });

  test('refuses integer and hex spellings of the metadata address', async () => {
    const open = createOutboundGuard(['http://169.254.169.254:*'], { lookup: resolvesTo('203.0.113.10') });
    expect(await refusal('http://2852039166/latest/meta-data/', open)).toBe('cloud metadata address');
    expect(await refusal('http://0xa9.0xfe.0xa9.0xfe/', open)).toBe('cloud metadata address');
  });

  test('refuses an allowlisted name that resolves to the metadata address', async () => {
    const rebound = createOutboundGuard(ALLOWED, { lookup: resolvesTo('169.254.169.254') });
    expect(await refusal('https://fhir.example.org/r4/Patient', rebound)).toBe('cloud metadata address');
  });

  test('refuses a name when any one of its addresses is blocked', async () => {
    const mixed = createOutboundGuard(ALLOWED, { lookup: resolvesTo('203.0.113.10', 'fe80::1') });
    expect(await refusal('https://fhir.example.org/r4/Patient', mixed)).toBe('linkLocal address');
  });

  test('refuses a name that does not resolve', async () => {
    const broken = createOutboundGuard(ALLOWED, { lookup: failsToResolve });
    expect(await refusal('https://fhir.example.org/r4/Patient', broken)).toBe('host does not resolve');
  });

  test('keeps the URL out of the error message', async () => {
    const rebound = createOutboundGuard(ALLOWED, { lookup: resolvesTo('169.254.169.254') });
    await expect(rebound(new URL('https://fhir.example.org/r4/Patient/secret-id'))).rejects.toThrow(
      /^outbound request blocked: cloud metadata address$/,
    );
  });
});
