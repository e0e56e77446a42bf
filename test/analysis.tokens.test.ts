/**
 * Exact token lists (term, position, start, end) for clauses of real articles, for both segmenters.
 * The clauses are read from ../shared/corpus at test time; only their tokens are written here.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createAnalyzer, type SegmenterName, type Token } from '../src/analysis/index.js';
import { clauseContaining } from './fixtures/analysis/corpusText.js';

type Row = [term: string, position: number, start: number, end: number];
const rows = (tokens: Token[]): Row[] => tokens.map((t) => [t.term, t.position, t.start, t.end]);

const emptyDict = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/analysis/empty-dict.txt');

interface Case {
  name: string;
  file: string;
  needle: string;
  tokens: Row[];
}

const PRODUCT_ARTICLE = '新媒体/人人都是产品经理/最新文章/产业互联网正驶向深蓝.md';

const cases: Case[] = [
  {
    name: 'Kubernetes and other Latin names stay whole words; 、 separates; stop words keep their positions',
    file: '编程/Dockone/周报/CNCF宣布Linkerd正式毕业！.md',
    needle: 'Linkerd能够像Kubernetes',
    tokens: [
      ['高兴', 2, 3, 5], ['linkerd', 3, 5, 12], ['能够', 4, 12, 14], ['像', 5, 14, 15], ['kubernetes', 6, 15, 25],
      ['prometheus', 7, 26, 36], ['envoy', 9, 38, 43], ['成熟', 12, 46, 48], ['云原生', 14, 49, 52], ['云', 14, 49, 50],
      ['原生', 14, 50, 52], ['项目', 15, 52, 54], ['一样', 16, 54, 56],
    ],
  },
  {
    name: 'iPhone 12 mini',
    file: '新媒体/ZAKER/channel/11 年前，乔布斯就想做「iPhone mini」了？.md',
    needle: 'iPhone 12 mini 终于应运而生',
    tokens: [
      ['iphone', 0, 0, 6], ['12', 1, 7, 9], ['mini', 2, 10, 14], ['终于', 3, 15, 17], ['应运而生', 4, 17, 21],
      ['应运', 4, 17, 19], ['生', 4, 20, 21],
    ],
  },
  {
    name: '5G, X55, QTM527 and a five-character word with its sub-words',
    file: '新媒体/IT 之家/分类资讯/1114 千米，5G 毫米波传输距离纪录刷新.md',
    needle: '测试采用了高通的骁龙 X55 5G',
    tokens: [
      ['测试', 0, 0, 2], ['采用', 1, 2, 4], ['高通', 3, 5, 7], ['骁龙', 5, 8, 10], ['x55', 6, 11, 14], ['55', 6, 12, 14],
      ['5g', 7, 15, 17], ['调制解调器', 8, 18, 23], ['调制', 8, 18, 20], ['解调', 8, 20, 22], ['解调器', 8, 20, 23],
      ['射频', 9, 26, 28], ['系统', 10, 28, 30], ['qtm527', 12, 32, 38], ['qtm', 12, 32, 35], ['527', 12, 35, 38],
      ['毫米波', 13, 39, 42], ['毫米', 13, 39, 41], ['米波', 13, 40, 42], ['天线', 14, 42, 44], ['模块', 15, 44, 46],
    ],
  },
  {
    name: 'COVID-19 is one word with the sub-words covid and 19',
    file: '新媒体/cnBeta/最新/(RED)发视频庆祝与苹果合作15周年.md',
    needle: '一半将继续用于减轻COVID-19的影响',
    tokens: [
      ['一半', 0, 0, 2], ['继续', 2, 3, 5], ['用于', 3, 5, 7], ['减轻', 4, 7, 9], ['covid-19', 5, 9, 17], ['covid', 5, 9, 14],
      ['19', 5, 15, 17], ['影响', 7, 18, 20],
    ],
  },
  {
    name: 'a version number is one word, glued to Chinese on both sides',
    file: '编程/开源中国/资讯/ .md',
    needle: '此次v1.8.0主要更新如下',
    tokens: [['此次', 0, 0, 2], ['v1.8.0', 1, 2, 8], ['主要', 2, 8, 10], ['更新', 3, 10, 12], ['如下', 4, 12, 14]],
  },
  {
    name: '产业互联网 and 新基础设施 from the user dictionary, with sub-words covering them',
    file: PRODUCT_ARTICLE,
    needle: '即他们都在试图成为产业互联网时代的新基础设施',
    tokens: [
      ['试图', 4, 5, 7], ['成为', 5, 7, 9], ['产业互联网', 6, 9, 14], ['产业', 6, 9, 11], ['互联', 6, 11, 13],
      ['互联网', 6, 11, 14], ['联网', 6, 12, 14], ['时代', 7, 14, 16], ['新基础设施', 9, 17, 22], ['新', 9, 17, 18],
      ['基础', 9, 18, 20], ['基础设施', 9, 18, 22], ['设施', 9, 20, 22],
    ],
  },
  {
    name: 'B端 is one word (listed in corpus/dict.txt)',
    file: PRODUCT_ARTICLE,
    needle: '获取B端流量的工具',
    tokens: [
      ['仅仅只是', 0, 0, 4], ['仅仅', 0, 0, 2], ['仅只', 0, 1, 3], ['看成', 3, 6, 8], ['获取', 5, 9, 11], ['b端', 6, 11, 13],
      ['流量', 7, 13, 15], ['工具', 9, 16, 18], ['手段', 11, 19, 21], ['而已', 12, 21, 23],
    ],
  },
  {
    name: 'Traditional Chinese is folded to Simplified, offsets still point into the Traditional text',
    file: '二次元/Animen 动漫平台/news/Animen動漫平台改版使用說明.md',
    needle: '動漫資訊內容',
    tokens: [
      ['animen', 0, 0, 6], ['动漫', 1, 6, 8], ['平台', 2, 8, 10], ['秉持', 3, 10, 12], ['著', 4, 12, 13], ['提供', 5, 13, 15],
      ['良好', 6, 15, 17], ['稳定', 7, 17, 19], ['动漫', 9, 20, 22], ['资讯', 10, 22, 24], ['内容', 11, 24, 26],
      ['众多', 13, 27, 29], ['华文', 14, 29, 31], ['圈', 15, 31, 32], ['读者', 16, 32, 34],
    ],
  },
  {
    name: 'an emoji (two UTF-16 units) separates and does not shift offsets',
    file: '新媒体/少数派 sspai/Matrix/Apple Watch 跳绳应用 YaoYao 近期更新.md',
    needle: '强壮 💪 的身体',
    tokens: [['希望', 0, 0, 2], ['大家', 1, 2, 4], ['强壮', 5, 8, 10], ['身体', 7, 15, 17]],
  },
];

const SEGMENTERS: SegmenterName[] = ['nodejieba', 'node-rs'];

describe.each(SEGMENTERS)('analysis with %s', (segmenter) => {
  const analyzer = createAnalyzer({ segmenter });

  it.each(cases)('$name', ({ file, needle, tokens }) => {
    const clause = clauseContaining(file, needle);
    const analyzed = analyzer.analyze(clause);
    expect(rows(analyzed)).toEqual(tokens);
    expect(analyzer.analyzeQuery(clause)).toEqual(analyzed);
  });

  it('folds full-width Latin and digits, and Traditional characters', () => {
    const text = 'ＡＩ１２３与Ｋｕｂｅｒｎｅｔｅｓ的資訊安全';
    expect(rows(analyzer.analyze(text))).toEqual([
      ['ai123', 0, 0, 5], ['ai', 0, 0, 2], ['123', 0, 2, 5], ['kubernetes', 2, 6, 16], ['资讯', 4, 17, 19], ['安全', 5, 19, 21],
    ]);
    expect(analyzer.analyze('资讯安全').map((t) => t.term)).toEqual(['资讯', '安全']);
  });

  it('query 新基础设施 gives the document tokens: the word, then its sub-words at the same position', () => {
    expect(rows(analyzer.analyzeQuery('新基础设施'))).toEqual([
      ['新基础设施', 0, 0, 5], ['新', 0, 0, 1], ['基础', 0, 1, 3], ['基础设施', 0, 1, 5], ['设施', 0, 3, 5],
    ]);
    expect(rows(analyzer.analyzeQuery('基础设施'))).toEqual([['基础设施', 0, 0, 4], ['基础', 0, 0, 2], ['设施', 0, 2, 4]]);
  });

  it('short Chinese runs met again are cut from what the segmenter gave the first time, word for word', () => {
    const runs = ['研究生命', '和尚未', '中华', '马上就', '𠀀中', '的确', '结婚的和', '长江大桥', '南京市长'];
    const text = runs.join('，');
    // Two new analyzers: one meets each run alone first (cut by the segmenter) and then all in one text (kept cuts);
    // the other meets the text first (every run cut by the segmenter).
    const warmed = createAnalyzer({ segmenter });
    for (const run of runs) warmed.analyze(run);
    const first = createAnalyzer({ segmenter }).analyze(text);
    expect(first.length).toBeGreaterThan(runs.length);
    expect(warmed.analyze(text)).toEqual(first);
  });
});

describe('the user dictionary', () => {
  it('without corpus/dict.txt both segmenters split the domain words', () => {
    for (const segmenter of SEGMENTERS) {
      const analyzer = createAnalyzer({ segmenter, userDictPath: emptyDict });
      const words = (text: string) => analyzer.analyze(text).filter((t, i, all) => i === 0 || all[i - 1]!.position !== t.position).map((t) => t.term);
      expect(words('新基础设施')).toEqual(['新', '基础设施']);
      expect(words('产业互联网')).toEqual(['产业', '互联网']);
      expect(words('碳中和')).toEqual(['碳中']); // 和 is a stop word
      expect(words('元宇宙')).toEqual(['元', '宇宙']);
      expect(words('B端')).toEqual(['b', '端']);
    }
  });

  it('the built-in dictionaries differ: 内卷 is a word for nodejieba only', () => {
    const nodejieba = createAnalyzer({ segmenter: 'nodejieba', userDictPath: emptyDict });
    const nodeRs = createAnalyzer({ segmenter: 'node-rs', userDictPath: emptyDict });
    expect(rows(nodejieba.analyze('内卷'))).toEqual([['内卷', 0, 0, 2]]);
    expect(rows(nodeRs.analyze('内卷'))).toEqual([['内', 0, 0, 1], ['卷', 1, 1, 2]]);
  });

  it('nodejieba analyzers with different dictionaries can be used in turn (the global dictionary is reloaded)', () => {
    const withDict = createAnalyzer({ segmenter: 'nodejieba' });
    const without = createAnalyzer({ segmenter: 'nodejieba', userDictPath: emptyDict });
    expect(withDict.analyze('元宇宙')[0]!.term).toBe('元宇宙');
    expect(without.analyze('元宇宙')[0]!.term).toBe('元');
    expect(withDict.analyze('元宇宙')[0]!.term).toBe('元宇宙');
    expect(withDict.identity.dictHash).not.toBe(without.identity.dictHash);
  });
});
