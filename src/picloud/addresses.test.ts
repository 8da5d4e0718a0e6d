// Address plans: a /64 per Pi slot out of the routed prefix, written fully expanded, and ports.
import { describe, expect, it } from 'vitest';
import { addressPlan, expandIpv6 } from './addresses.js';

describe('address plan', () => {
  const plan = addressPlan('2a00:1098:8::/48', 22000);

  it('gives slot n the n-th /64 and ::1 in it, fully expanded as the reference writes them', () => {
    expect(plan.ipv6(100)).toBe('2a00:1098:0008:0064:0000:0000:0000:0001');
    expect(plan.routed(100)).toBe('2a00:1098:0008:0064:0000:0000:0000:0000/64');
    expect(plan.sshPort(100)).toBe(22100);
  });

  it('ignores host bits in the configured prefix and works for other lengths', () => {
    const p = addressPlan('2001:db8:abcd:12ff::5/56', 30000);
    expect(p.routed(1)).toBe('2001:0db8:abcd:1201:0000:0000:0000:0000/64');
    expect(p.capacity).toBe(255);
    expect(() => p.ipv6(256)).toThrow(/outside the prefix/);
  });

  it('is bounded by the SSH port range as well as the prefix', () => {
    expect(addressPlan('2001:db8::/48', 65000).capacity).toBe(534);
    expect(() => plan.ipv6(0)).toThrow();
  });

  it('refuses prefixes that are not IPv6 or leave no room for /64s', () => {
    expect(() => addressPlan('192.0.2.0/24', 22000)).toThrow(/IPv6 prefix/);
    expect(() => addressPlan('2001:db8::/64', 22000)).toThrow(/IPv6 prefix/);
  });

  it('expands any 128-bit value to eight four-digit groups', () => {
    expect(expandIpv6(1n)).toBe('0000:0000:0000:0000:0000:0000:0000:0001');
  });
});
