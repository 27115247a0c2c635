import { describe, expect, it } from 'vitest';
import { serviceHelp, servicesHelp } from '../../../src/cli/service-help.ts';
import { SERVICE_CATALOGUE } from '../../../src/core/services/catalogue.ts';

describe('kiosk pay help from the service definitions', () => {
  it('lists every service of the catalogue with its titles', () => {
    const text = servicesHelp(SERVICE_CATALOGUE);
    for (const s of SERVICE_CATALOGUE) {
      expect(text).toContain(s.id);
      expect(text).toContain(s.title.zh);
      expect(text).toContain(s.title.en);
    }
  });

  it.each(SERVICE_CATALOGUE.map((s) => [s.id, s] as const))(
    '%s: names each field with its label and rule, and gives an example line',
    (_id, def) => {
      const text = serviceHelp(def);
      for (const [name, meta] of Object.entries(def.fieldMeta)) {
        expect(text).toContain(name);
        expect(text).toContain(meta.zh);
      }
      for (const h of def.hints ?? []) expect(text).toContain(h.zh);
      expect(text).toMatch(new RegExp(`kiosk pay ${def.id} \\S+=\\S+`));
      expect(text).not.toContain('=<');
    },
  );

  it.each(SERVICE_CATALOGUE.map((s) => [s.id, s] as const))(
    '%s: its example passes its own field rules',
    (_id, def) => {
      expect(def.example, 'every service declares an example').toBeDefined();
      const r = def.fields.safeParse(def.example);
      expect(r.success, JSON.stringify(r.error?.issues)).toBe(true);
    },
  );

  it('shows the rule a field builder enforces', () => {
    const mobile = SERVICE_CATALOGUE.find((s) => s.id === 'mobile-topup');
    expect(mobile && serviceHelp(mobile)).toContain('必须为11位手机号码');
  });
});
