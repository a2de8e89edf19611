import { statisticsScopeOf } from './statistics-scope.js';

describe('statisticsScopeOf: who sees the statistics', () => {
  test('an admin sees the city; a service manager their own service', () => {
    expect(statisticsScopeOf({ role: 'admin', serviceId: null })).toEqual({ kind: 'city' });
    expect(statisticsScopeOf({ role: 'service_manager', serviceId: 'pools' })).toEqual({ kind: 'service', serviceId: 'pools' });
  });

  test.each([
    ['a clerk', { role: 'clerk', serviceId: null }],
    ['a service manager without a service', { role: 'service_manager', serviceId: null }],
    ['a service manager with an empty service', { role: 'service_manager', serviceId: '' }],
    ['a disabled admin', { role: 'admin', serviceId: null, disabled: true }],
    ['an unknown role', { role: 'mayor', serviceId: null }],
    ['nothing', null],
  ])('%s: FORBIDDEN', (_name, staff) => {
    expect(() => statisticsScopeOf(staff as never)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });
});
