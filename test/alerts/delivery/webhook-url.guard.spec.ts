import { InvalidInputError } from '@salesledger/domain/errors';
import type { UrlGuardConfig } from '@salesledger/alerts/delivery/delivery.config';
import {
  assertDeliverableUrl,
  resolveDeliverableTarget,
  UndeliverableUrlError,
  type ResolveHost,
} from '@salesledger/alerts/delivery/webhook-url.guard';

const strict: UrlGuardConfig = { allowPrivateNetworks: false, allowedHosts: [] };
const privateAllowed: UrlGuardConfig = { allowPrivateNetworks: true, allowedHosts: [] };

const internalUrls = [
  'http://127.0.0.1:8080/hook',
  'http://10.1.2.3/hook',
  'http://172.20.0.5/hook',
  'http://192.168.1.10/hook',
  'http://169.254.169.254/latest/meta-data',
  'http://100.64.0.1/hook',
  'http://0.0.0.0/hook',
  'http://224.0.0.1/hook',
  'http://[::1]/hook',
  'http://[fd00::1]/hook',
  'http://[fe80::1]/hook',
  'http://[::ffff:10.0.0.1]/hook',
  'http://[::ffff:127.0.0.1]/hook',
  'http://2130706433/hook',
  'http://localhost:3000/hook',
];

describe('webhook URL guard', () => {
  it.each(internalUrls)('refuses %s by default', async (url) => {
    await expect(assertDeliverableUrl(url, strict)).rejects.toThrow(/which is not a public address/);
  });

  it.each(internalUrls)('allows %s when private networks are allowed', async (url) => {
    await expect(assertDeliverableUrl(url, privateAllowed)).resolves.toBeUndefined();
  });

  it('allows a host named in the allow list, and only that one', async () => {
    const config = { allowPrivateNetworks: false, allowedHosts: ['localhost'] };

    await expect(assertDeliverableUrl('http://localhost:3000/hook', config)).resolves.toBeUndefined();
    await expect(assertDeliverableUrl('http://127.0.0.1:3000/hook', config)).rejects.toThrow(UndeliverableUrlError);
  });

  it.each(['https://93.184.216.34/hook', 'http://[2606:4700:4700::1111]/hook'])(
    'accepts the public %s',
    async (url) => {
      await expect(assertDeliverableUrl(url, strict)).resolves.toBeUndefined();
    },
  );

  it.each(['ftp://93.184.216.34/hook', 'file:///etc/passwd', 'gopher://93.184.216.34/', 'not a url'])(
    'refuses %s whatever the network settings',
    async (url) => {
      await expect(assertDeliverableUrl(url, privateAllowed)).rejects.toThrow(UndeliverableUrlError);
    },
  );

  it('refuses a host when any of its addresses is private, since the connection could use that one', async () => {
    const resolve: ResolveHost = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ];

    await expect(assertDeliverableUrl('https://hooks.example.com/', strict, resolve)).rejects.toThrow(
      'hooks.example.com resolves to 10.0.0.7, which is not a public address',
    );
  });

  it('returns the checked addresses, which the channel then connects to', async () => {
    const resolve: ResolveHost = async () => [{ address: '93.184.216.34', family: 4 }];

    const target = await resolveDeliverableTarget('https://hooks.example.com/in', strict, resolve);

    expect(target.addresses).toEqual([{ address: '93.184.216.34', family: 4 }]);
    expect(target.url.href).toBe('https://hooks.example.com/in');
  });

  it('refuses a host that does not resolve, with a message an API client can act on', async () => {
    const resolve: ResolveHost = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND hooks.example.invalid'), { code: 'ENOTFOUND' });
    };

    const refusal = assertDeliverableUrl('https://hooks.example.invalid/', strict, resolve);

    await expect(refusal).rejects.toThrow(/does not resolve \(getaddrinfo ENOTFOUND/);
    await expect(refusal).rejects.toBeInstanceOf(InvalidInputError);
  });

  it('reports the refusal as a 400-style problem on the url field', async () => {
    const error = await assertDeliverableUrl('http://10.0.0.1/', strict).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).problems).toEqual([
      { field: 'url', message: expect.stringContaining('10.0.0.1') },
    ]);
  });
});
