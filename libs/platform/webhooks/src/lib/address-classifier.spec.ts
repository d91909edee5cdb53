import fc from 'fast-check';
import { addressMayBeReached, classifyAddress } from './address-classifier';

const categoryOf = (address: string) => classifyAddress(address).category;

describe('SSRF address classifier', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fd00::1', 'unique-local'],
    ['fc00::1', 'unique-local'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['2001:db8::1', 'reserved'],
  ])('%s is %s', (address, category) => {
    expect(categoryOf(address)).toBe(category);
  });

  it.each([
    ['::ffff:127.0.0.1', 'loopback', '127.0.0.1'],
    ['::FFFF:7f00:1', 'loopback', '127.0.0.1'],
    ['::ffff:169.254.169.254', 'link-local', '169.254.169.254'],
    ['::ffff:10.0.0.1', 'private', '10.0.0.1'],
    ['::ffff:8.8.8.8', 'public', '8.8.8.8'],
    ['0:0:0:0:0:ffff:192.168.0.1', 'private', '192.168.0.1'],
    ['::127.0.0.1', 'loopback', '127.0.0.1'],
    ['64:ff9b::a9fe:a9fe', 'link-local', '169.254.169.254'],
    ['2002:7f00:1::', 'loopback', '127.0.0.1'],
  ])('judges %s by the IPv4 address inside (%s)', (address, category, judged) => {
    expect(classifyAddress(address)).toEqual({ category, judged, allowedByDefault: category === 'public' });
  });

  it.each([
    '[::1]',
    'fe80::1%eth0',
    '2130706433',
    '0x7f000001',
    '0x7f.0.0.1',
    '0177.0.0.1',
    '127.1',
    '127.000.000.001',
    '01.2.3.4',
    ' 127.0.0.1',
    '127.0.0.1 ',
    '127.0.0.1\n',
    'localhost',
    '',
    '::ffff:127.0.0.1'.padStart(60, '0'),
    '1.2.3.4.5',
    '256.0.0.1',
  ])('refuses %j as not a canonical IP string', (address) => {
    expect(classifyAddress(address)).toMatchObject({ category: 'invalid', allowedByDefault: false });
  });

  it('lets a pmo-admin allow private addresses, never invalid ones', () => {
    expect([addressMayBeReached('10.0.0.5', false), addressMayBeReached('10.0.0.5', true)]).toEqual([false, true]);
    expect([addressMayBeReached('8.8.8.8', false), addressMayBeReached('127.1', true)]).toEqual([true, false]);
  });

  it('judges every IPv4-mapped address as the IPv4 address itself', () => {
    fc.assert(
      fc.property(fc.ipV4(), (v4) => {
        expect(categoryOf(`::ffff:${v4}`)).toBe(categoryOf(v4));
      }),
    );
  });

  it('never throws on hostile strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        expect(classifyAddress(text).category).toEqual(expect.any(String));
      }),
    );
  });
});
