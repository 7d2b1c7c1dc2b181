import { describeWithNetns, TestNetns } from './netns';

describeWithNetns('TestNetns helper', () => {
  it('creates a namespace with a veth pair that has no IPv6 address, and deletes it', () => {
    const ns = TestNetns.create('helper');
    try {
      ns.addVeth('v0');
      ns.ip('link', 'set', 'v0', 'up');
      expect(ns.ifindex('v0')).toBeGreaterThan(1);
      expect(ns.exec('cat', '/proc/sys/net/ipv6/conf/v0/addr_gen_mode').trim()).toBe('1');
      expect(ns.ip('-6', 'addr', 'show', 'dev', 'v0').trim()).toBe('');
    } finally {
      ns.delete();
    }
    expect(() => ns.ip('link')).toThrow();
  });
});
