/**
 * Pinyin syllables (ü written v, as on every pinyin keyboard) → the characters common in Chinese
 * surnames and given names, most common first. Small on purpose: it serves entering an operator's
 * name by touch, not general text. A character missing here can be given by HQ instead.
 */
const TABLE = `a:阿 ai:艾爱 an:安 ao:敖 ba:巴 bai:白柏百 ban:班 bao:包鲍宝 bei:贝 ben:本 bi:毕碧 bian:卞边
bin:斌彬 bing:冰兵炳 bo:薄博波柏 bu:步卜 cai:蔡才彩 cao:曹 cen:岑 chang:常昌长 chao:晁超朝 chen:陈晨辰
cheng:程成诚城 chi:池迟 chu:楚褚初 cui:崔翠 da:达大 dai:戴代 dan:丹 deng:邓 di:狄迪 ding:丁定 dong:董东冬
dou:窦 du:杜都 duan:段 fan:范樊凡帆 fang:方房芳 fei:费飞菲 feng:冯封凤峰丰 fu:付傅符富福 gao:高 ge:葛戈
geng:耿 gong:龚宫功 gu:顾古谷 guan:关管 guo:郭国 han:韩寒涵 hao:郝浩昊 he:何贺和 hong:洪红宏 hou:侯
hu:胡虎 hua:华花 huang:黄 hui:慧辉惠 huo:霍 ji:纪季吉姬 jia:贾佳嘉家 jian:简建健剑 jiang:江蒋姜 jiao:焦娇
jin:金靳晋锦 jing:景敬静晶 ju:鞠菊 kang:康 ke:柯可 kong:孔 kuang:匡 lai:赖 lan:兰蓝岚 lang:郎 lei:雷蕾磊
li:李黎丽立力莉 lian:连莲 liang:梁良亮 liao:廖 lin:林琳麟 ling:凌玲 liu:刘柳 long:龙 lou:娄 lu:卢陆鲁路露
luo:罗骆 lv:吕律 ma:马 mao:毛茅 mei:梅美 meng:孟蒙梦 mi:米 miao:苗妙 min:闵敏民 ming:明 mo:莫墨 mu:穆沐木
na:娜 ni:倪妮 ning:宁 niu:牛 ou:欧 pan:潘 pang:庞 pei:裴培 peng:彭鹏 pi:皮 ping:平萍 pu:蒲 qi:齐戚祁琪
qian:钱倩 qiang:强 qiao:乔 qin:秦琴勤 qing:青清庆 qiu:邱秋 qu:瞿曲 quan:全泉 ran:冉 ren:任仁 rong:荣容蓉
ru:茹如 ruan:阮 rui:瑞芮 shao:邵少 shen:沈申深 sheng:盛胜生 shi:石施史时诗 shu:舒书淑 shuang:双爽 si:司思斯
song:宋松颂 su:苏素 sun:孙 tan:谭谈 tang:唐汤 tao:陶涛桃 tian:田天甜 tong:童佟同彤 tu:涂 wan:万宛婉 wang:王汪
wei:魏卫韦伟薇维 wen:温文闻雯 wu:吴武伍吾 xi:席夕希熙 xia:夏霞 xian:冼贤仙 xiang:向项香祥 xiao:肖萧晓小 xie:谢
xin:辛欣心新鑫 xing:邢星兴 xiong:熊雄 xu:徐许旭 xuan:宣轩萱 xue:薛雪学 yan:严颜闫燕岩彦 yang:杨阳洋 yao:姚瑶
ye:叶 yi:易毅怡依艺 yin:殷尹银 ying:应英莹颖 yong:勇永 you:尤游友 yu:于余俞宇玉雨 yuan:袁元远媛 yue:岳月悦
yun:云芸 zeng:曾 zhai:翟 zhan:詹展 zhang:张章 zhao:赵昭 zheng:郑正 zhi:志智芝 zhong:钟仲忠 zhou:周舟
zhu:朱祝竹 zhuang:庄 zou:邹 zuo:左`;

/** @type {Map<string, string[]>} */
const BY_SYLLABLE = new Map(
  TABLE.split(/\s+/).map((pair) => {
    const [syllable, chars] = /** @type {[string, string]} */ (pair.split(':'));
    return [syllable, [...chars]];
  }),
);

/**
 * The characters for what has been typed so far: the exact syllable's first, then those of the
 * syllables it begins, without repeats; at most `max`.
 * @param {string} typed lower-case letters
 */
export function candidates(typed, max = 12) {
  if (!typed) return [];
  const out = new Set(BY_SYLLABLE.get(typed) ?? []);
  for (const [s, chars] of BY_SYLLABLE) {
    if (out.size >= max) break;
    if (s !== typed && s.startsWith(typed)) for (const c of chars) out.add(c);
  }
  return [...out].slice(0, max);
}
