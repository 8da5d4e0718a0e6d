// The panel's navigation. An area plugs in by adding its entry here.
import type { Session } from '../../accounts/index.js';

export interface NavItem {
  href: string;
  label: string;
  /** Who sees it. */
  visible(session: Session | undefined): boolean;
}

const loggedIn = (s: Session | undefined) => !!s && !s.secondFactorPending;

export const navItems: NavItem[] = [
  { href: '/', label: 'Dashboard', visible: loggedIn },
  { href: '/domains', label: 'Domains', visible: loggedIn },
  { href: '/dns', label: 'DNS', visible: loggedIn },
  { href: '/domains/search', label: 'Search domains', visible: () => true },
  { href: '/pi', label: 'Raspberry Pi', visible: loggedIn },
  { href: '/backups', label: 'Backups', visible: loggedIn },
  { href: '/monitoring', label: 'Monitoring', visible: loggedIn },
  { href: '/account/keys', label: 'API keys', visible: loggedIn },
  { href: '/account/ssh-keys', label: 'SSH keys', visible: loggedIn },
  { href: '/account', label: 'Account', visible: loggedIn },
  { href: '/admin', label: 'Admin', visible: (s) => loggedIn(s) && s!.account.role === 'admin' },
  {
    href: '/admin/pi',
    label: 'Pi fleet',
    visible: (s) => loggedIn(s) && s!.account.role === 'admin',
  },
  {
    href: '/admin/backups',
    label: 'All backups',
    visible: (s) => loggedIn(s) && s!.account.role === 'admin',
  },
];
