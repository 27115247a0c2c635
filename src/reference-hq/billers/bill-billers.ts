import { type Biller, declined, field, ok, shanghaiTime, stationMobileRegions, yuanOf } from './biller.ts';
import {
  accountExists,
  arrearsFen,
  electricityAreaOf,
  failsPayment,
  mobileCity,
  ownElectricityArea,
  paidFen,
  paidOp,
  telecomContracts,
} from './customers.ts';
import { type PaymentRecord, paymentBiller } from './payment-biller.ts';

const noAccount = () => declined('BILLER_NO_ACCOUNT', '无此用户', 'no such account');

/** Mobile direct top-up (移动直充): asynchronous, enabled regions only, manual two-phase reversal. */
export function mobileTopupBiller(settleMs: number): Biller {
  return paymentBiller({
    service: 'mobile-topup',
    title: '移动直充',
    accountFields: ['phone', 'mobile', 'number'],
    settleMs,
    settleTo: (rec) => (failsPayment(rec.account) ? 'declined' : 'ok'),
    reversal: 'manual',
    async check(req, env, account, fen) {
      if (!/^1\d{10}$/.test(account))
        return declined('BILLER_BAD_NUMBER', '手机号码有误', 'bad mobile number');
      if (!accountExists(account)) return noAccount();
      // Only the cities HQ opened in the station's own province.
      const city = mobileCity(account, stationMobileRegions(env.mobileRegions, env.station));
      if (!city)
        return declined('BILLER_REGION', '该号码不属于开通地区', 'number outside the enabled regions');
      if (req.op === 'pay' && (fen < 1000 || fen % 1000 !== 0))
        return declined(
          'BILLER_BAD_AMOUNT',
          '充值金额须为10元的整数倍',
          'amount must be a multiple of 10 yuan',
        );
      if (req.op === 'query')
        return ok({
          phone: account,
          city,
          arrears: yuanOf(await arrearsFen(env.store, 'mobile-topup', account)),
        });
      return null;
    },
    async acceptData(_req, env, rec) {
      return { city: mobileCity(rec.account, stationMobileRegions(env.mobileRegions, env.station)) };
    },
    async reversalCheck(rec, _req, env) {
      const { hour } = shanghaiTime(env.clock.now());
      if (hour >= 20 && hour < 22)
        return declined('BILLER_REVERSAL_BLACKOUT', '20:00–22:00 不受理撤销', 'no reversals 20:00–22:00');
      if ((await arrearsFen(env.store, 'mobile-topup', rec.account)) > 2000)
        return declined(
          'BILLER_ARREARS',
          '欠费超过20元的号码不能撤销',
          'number more than 20 yuan in arrears',
        );
      return null;
    },
    async decideReversal(rec, env) {
      if ((await arrearsFen(env.store, 'mobile-topup', rec.account)) > 2000)
        return declined(
          'BILLER_ARREARS',
          '欠费超过20元的号码不能撤销',
          'number more than 20 yuan in arrears',
        );
      return null;
    },
  });
}

/** Account billers with an arrears query, amount ≥ arrears (when required) and same-day reversal. */
function arrearsBiller(opts: {
  service: string;
  title: string;
  fields: string[];
  atLeastArrears: boolean;
  ownArea?: boolean;
  contracts?: boolean;
}): Biller {
  const { service } = opts;
  return paymentBiller({
    service,
    title: opts.title,
    accountFields: opts.fields,
    reversal: 'immediate',
    async check(req, env, account, fen) {
      if (!accountExists(account)) return noAccount();
      if (req.op === 'pay' && failsPayment(account))
        return declined('BILLER_REFUSED', '缴费被收费单位拒绝', 'the biller refused the payment');
      if (opts.ownArea) {
        // Neither the city nor any county collects for another area (county → other county too).
        const where = ownElectricityArea(account, env.station.region);
        if (!where.own)
          return declined(
            'BILLER_OTHER_AREA',
            '只能缴纳本地区用户电费',
            `an account of ${where.name} (${where.area}) cannot be paid at a kiosk of ${env.station.region?.city ?? 'an unknown area'}`,
          );
      }
      let arrears = await arrearsFen(env.store, service, account);
      let contracts: Array<{ contractNo: string; arrears: string }> | undefined;
      if (opts.contracts) {
        const list = telecomContracts(account);
        contracts = [];
        for (const c of list) {
          const paid = await paidFen(env.store, service, c.contractNo);
          contracts.push({ contractNo: c.contractNo, arrears: yuanOf(Math.max(0, c.baseFen - paid)) });
        }
        const chosen = field(req, 'contractNo');
        if (req.op === 'pay') {
          const c = list.find((x) => x.contractNo === chosen);
          if (!c) return declined('BILLER_CONTRACT', '合同号有误', 'unknown contract number');
          arrears = Math.max(0, c.baseFen - (await paidFen(env.store, service, c.contractNo)));
        }
      }
      if (req.op === 'query')
        return ok({
          account,
          arrears: yuanOf(arrears),
          ...(opts.ownArea
            ? { area: electricityAreaOf(account).area, areaName: electricityAreaOf(account).name }
            : {}),
          ...(contracts ? { contracts } : {}),
        });
      if (opts.atLeastArrears && fen < arrears)
        return declined(
          'BILLER_BELOW_ARREARS',
          `缴费金额不能低于欠费 ${yuanOf(arrears)} 元`,
          `amount below arrears ${yuanOf(arrears)}`,
        );
      return null;
    },
    async acceptData(req) {
      const contractNo = opts.contracts ? field(req, 'contractNo') : null;
      return contractNo ? { contractNo } : {};
    },
    acceptOps: (rec) => [paidOp(service, paidAccount(rec), rec.ref, rec.amountFen)],
    reversedOps: (rec) => [paidOp(service, paidAccount(rec), rec.ref, 'undo')],
  });
}

export const billBillers = (): Biller[] => [
  arrearsBiller({
    service: 'unicom-cash',
    title: '联通现金代收',
    fields: ['phone', 'number'],
    atLeastArrears: false,
  }),
  arrearsBiller({
    service: 'telecom-bill',
    title: '电信缴费',
    fields: ['number', 'phone'],
    atLeastArrears: true,
    contracts: true,
  }),
  arrearsBiller({
    service: 'electricity-bill',
    title: '电费缴费',
    fields: ['account', 'customerNo'],
    atLeastArrears: true,
    ownArea: true,
  }),
  arrearsBiller({ service: 'water-bill', title: '水费', fields: ['account'], atLeastArrears: false }),
  arrearsBiller({ service: 'gas-bill', title: '燃气费', fields: ['account'], atLeastArrears: false }),
  arrearsBiller({
    service: 'cable-tv',
    title: '有线电视',
    fields: ['account', 'cardNo'],
    atLeastArrears: false,
  }),
];

/** The account or contract a bill payment counts towards. */
function paidAccount(rec: PaymentRecord): string {
  return (rec.data.contractNo as string | undefined) ?? rec.account;
}
