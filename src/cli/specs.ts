/** What each command accepts, with the Chinese texts `--help` shows. */
import { DEFAULT_SEGMENTER } from '../analysis/index.js';
import type { CommandSpec, OptionSpec } from './args.js';

export const DEFAULT_INDEX_DIR = 'index-data';
export const DEFAULT_CORPUS_DIR = 'corpus';
export const DEFAULT_PORT = 3000;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_ENGINE_PORT = 9306;

const indexOption: OptionSpec = {
  name: 'index',
  kind: { type: 'string' },
  valueName: 'DIR',
  description: '索引目录',
  defaultText: `${DEFAULT_INDEX_DIR}/`,
};
const corpusOption: OptionSpec = {
  name: 'corpus',
  kind: { type: 'string' },
  valueName: 'DIR',
  description: '文章目录（递归读取 .md / .markdown / .html；有 dict.txt 时作为用户词典）',
  defaultText: `索引建立时的文章目录，尚无索引时 ${DEFAULT_CORPUS_DIR}/`,
};
const jsonOption = (what: string): OptionSpec => ({
  name: 'json',
  kind: { type: 'boolean' },
  description: `以 JSON 输出${what}到标准输出`,
});
const segmenterOption: OptionSpec = {
  name: 'segmenter',
  kind: { type: 'choice', choices: ['nodejieba', 'node-rs'] },
  valueName: 'NAME',
  description: '分词器：node-rs（@node-rs/jieba，加载与分词更快）或 nodejieba',
  defaultText: `${DEFAULT_SEGMENTER}（已有索引时沿用其分词器）`,
};
const workersOption: OptionSpec = {
  name: 'workers',
  kind: { type: 'integer', min: 1, max: 256 },
  valueName: 'N',
  description: '解析与分词的工作线程数',
  defaultText: 'CPU 核数',
};
const processesOption: OptionSpec = {
  name: 'processes',
  kind: { type: 'integer', min: 1, max: 64 },
  valueName: 'N',
  description: '处理请求的进程数：请求分到 N 个 CPU 核上，每个进程各载入一份索引（内存约为 N 倍）',
  defaultText: '1',
};
const engineOption: OptionSpec = {
  name: 'engine',
  kind: { type: 'string' },
  valueName: 'URL',
  description: 'SphinxQL 引擎（Manticore / Sphinx）地址 sphinxql://主机:端口[/表名]，见 zhsearch help engine',
  defaultText: '环境变量 ZHSEARCH_ENGINE，否则不用引擎',
};
/** How a Hexo blog is published: its site, public address, drafts and hidden files. */
const blogOptions: OptionSpec[] = [
  {
    name: 'site',
    kind: { type: 'string' },
    valueName: 'DIR',
    description: 'Hexo 站点目录（含 _config.yml）：按它的 permalink、root、timezone 给出文章在博客上的链接；不给 --corpus 时索引 DIR/source/_posts',
    defaultText: '--corpus 为 <站点>/source/_posts 时自动识别',
  },
  {
    name: 'base-url',
    kind: { type: 'string' },
    valueName: 'URL',
    description: '文章链接的公开前缀（如 https://blog.example.com/），代替站点的 root',
    defaultText: '站内路径（/2021/09/15/标题/）',
  },
  { name: 'drafts', kind: { type: 'boolean' }, description: '同时索引 source/_drafts 中的草稿和 published: false 的文章（同 hexo --draft）' },
  { name: 'include-hidden', kind: { type: 'boolean' }, description: '同时索引以 . 开头（Hexo 站点中还有以 _ 开头）的文件和文件夹' },
];

const portOption: OptionSpec = {
  name: 'port',
  kind: { type: 'integer', min: 0, max: 65535 },
  valueName: 'N',
  description: '监听端口（0 表示随机空闲端口）',
  defaultText: `环境变量 PORT，否则 ${DEFAULT_PORT}`,
};
const hostOption: OptionSpec = {
  name: 'host',
  kind: { type: 'string' },
  valueName: 'HOST',
  description: '监听地址',
  defaultText: DEFAULT_HOST,
};

const basePathOption: OptionSpec = {
  name: 'base-path',
  kind: { type: 'string' },
  valueName: 'PATH',
  description: '网页、脚本和接口的路径前缀，用于放在反向代理的子路径下（如 /search/）',
  defaultText: '/',
};
const corsOriginOption: OptionSpec = {
  name: 'cors-origin',
  kind: { type: 'string' },
  valueName: 'ORIGIN',
  description: '允许跨域调用接口的网站来源（如 https://blog.example.com），博客与搜索服务不同源时需要',
  defaultText: '不允许任何跨域请求',
  repeatable: true,
};
const frameAncestorsOption: OptionSpec = {
  name: 'frame-ancestors',
  kind: { type: 'string' },
  valueName: 'ORIGIN',
  description: '允许用 iframe 嵌入本服务网页的网站来源',
  defaultText: '禁止被嵌入',
  repeatable: true,
};
const siteOptions = [basePathOption, corsOriginOption, frameAncestorsOption];
const watchOption: OptionSpec = {
  name: 'watch',
  kind: { type: 'boolean' },
  description: '先增量更新索引，然后监视 --corpus 目录：文章保存、新增或删除后自动增量更新索引，服务随即切换到新索引',
};

export const reindexSpec: CommandSpec = {
  name: 'reindex',
  summary: '建立或增量更新索引',
  positionals: [],
  options: [
    corpusOption,
    indexOption,
    ...blogOptions,
    { name: 'full', kind: { type: 'boolean' }, description: '忽略现有索引（及其站点设置），全部重新解析和分词' },
    segmenterOption,
    workersOption,
    { name: 'wait', kind: { type: 'boolean' }, description: '同一索引目录正由另一个进程写入时排队等待（默认立即退出并说明是哪个进程）' },
    engineOption,
    jsonOption('汇总'),
  ],
  details: [
    'Hexo 博客：文章目录是 <站点>/source/_posts（或用 --site 指定站点）时，读取 _config.yml 的 url、root、permalink、permalink_defaults、pretty_urls、timezone、new_post_name、filename_case，每篇文章的链接就是 Hexo 生成的页面地址；front-matter 的 permalink、abbrlink 同样生效。',
    '与 Hexo 一致，published: false 的文章、source/_drafts 中的草稿、以 _ 或 . 开头的文件和文件夹不发布，汇总中记为“未发布”（不算错误，--json 列出）；以 . 开头的隐藏文件在任何文章目录中都不索引。',
    '没有时区的时间按站点的 timezone（默认 Asia/Shanghai）理解，日期带时区偏移返回（2022-03-01T07:30:00+08:00）。',
    '索引记住站点设置；之后不带这些选项的 reindex 沿用它们，设置或 _config.yml 改变时自动全量重建。',
    '有 --engine 时，在更新本地索引之后把文章写入引擎的各分片（按文章 id 的哈希分配）：内容哈希未变的文章不再发送，改动的替换，删除的从所在分片删除；某个分片不可用时报错并指明分片，其余分片照常更新，分片恢复后重新运行即可补齐。',
    '默认增量更新：按内容哈希（sha256）比较文件与现有索引，未改动的文件不再解析和分词，改动和新增的文件重新分析，已删除的文件从索引中移除。',
    '现有索引若由不同的分词器或词典建立，会自动改为全量重建。',
    '终端下显示进度条（文件数、MB/s、剩余时间）；非终端（CI、管道）时每隔几秒在标准错误输出一行进度。',
    '同一索引目录同时只能有一个写入者（索引目录下的 LOCK 文件记录其 pid 和开始时间；进程已退出的锁会被安全接管）。',
    '退出码：0 索引已写入（即使有跳过的文件）或已是最新；1 没有可索引的文章、索引无法写入或正由另一个进程写入；2 参数错误；130 被 Ctrl-C 中断（原索引保持不变）。',
  ],
  examples: [
    { command: 'zhsearch reindex', description: '增量更新 corpus/ 的索引' },
    { command: 'zhsearch reindex --corpus ~/blog/source/_posts --full', description: '全量重建 Hexo 博客文章的索引' },
    { command: 'zhsearch reindex --site ~/blog --base-url https://blog.example.com/', description: '索引 Hexo 博客，结果链接到博客的公开地址' },
    { command: 'zhsearch reindex --segmenter node-rs --workers 4 --json', description: '用 @node-rs/jieba、4 个线程，输出 JSON 汇总' },
  ],
};

export const searchSpec: CommandSpec = {
  name: 'search',
  summary: '在终端里搜索',
  positionals: [{ name: '查询', description: '查询语句（空查询返回最新文章）', required: true }],
  options: [
    { name: 'size', kind: { type: 'integer', min: 1, max: 100 }, valueName: 'N', description: '每页结果数', defaultText: '10' },
    { name: 'page', kind: { type: 'integer', min: 1, max: 100000 }, valueName: 'N', description: '页码（从 1 开始）', defaultText: '1' },
    { name: 'category', kind: { type: 'string' }, valueName: '分类', description: '只看该分类' },
    { name: 'tag', kind: { type: 'string' }, valueName: '标签', description: '只看该标签' },
    { name: 'author', kind: { type: 'string' }, valueName: '作者', description: '只看该作者' },
    { name: 'from', kind: { type: 'date' }, valueName: '日期', description: '起始日期（含），YYYY、YYYY-MM 或 YYYY-MM-DD' },
    { name: 'to', kind: { type: 'date' }, valueName: '日期', description: '截止日期（含），格式同 --from' },
    {
      name: 'sort',
      kind: { type: 'choice', choices: ['relevance', 'date'] },
      valueName: '顺序',
      description: 'relevance（相关度）或 date（日期，新的在前）',
      defaultText: 'relevance',
    },
    indexOption,
    corpusOption,
    engineOption,
    jsonOption('与 /api/search 相同的结果对象'),
  ],
  details: [
    '查询语法：多个词（都出现的排在前面）、"精确短语"、-排除词、OR、category: / tag: / author: 过滤、date:2021-01..2021-12 日期范围。',
    '以 - 开头的查询（只有排除词，如 -手机）直接写即可；以 - 加英文字母开头的（如 -java）请写在 -- 之后：zhsearch search -- -java。',
    '终端下匹配的词以颜色高亮；输出不是终端（管道、文件）或设置了 NO_COLOR 时用 [ ] 标出匹配的词，不含颜色控制符。',
    '查询用的分词器与索引时相同（读取索引清单）；用户词典取 --corpus 目录下的 dict.txt。',
  ],
  examples: [
    { command: 'zhsearch search 新基础设施', description: '搜索“新基础设施”' },
    { command: 'zhsearch search "\\"产业互联网\\" -游戏" --size 5', description: '精确短语并排除“游戏”，只看前 5 条' },
    { command: 'zhsearch search 手机 --category 新媒体 --from 2021-09 --sort date', description: '新媒体分类下 2021 年 9 月以来的文章，按日期排序' },
    { command: 'zhsearch search 元宇宙 --json', description: '输出 JSON，与 /api/search 相同' },
  ],
};

export const serveSpec: CommandSpec = {
  name: 'serve',
  summary: '启动搜索网页和 JSON API',
  positionals: [],
  options: [portOption, hostOption, indexOption, corpusOption, watchOption, workersOption, processesOption, ...blogOptions, ...siteOptions, engineOption],
  details: [
    '网页在 http://<HOST>:<PORT>/，接口在 /api/search、/api/suggest、/api/stats 等；有 --base-path 时都在该前缀之下。',
    '嵌入式搜索框：在博客模板里加入 <script src="http://<HOST>:<PORT>/embed.js" defer></script>；博客与搜索服务不同源时用 --cors-origin 允许博客的来源。',
    '查询用的分词器与索引时相同（读取索引清单）；用户词典取 --corpus 目录下的 dict.txt。',
    '重新建立索引后，正在运行的服务会自动切换到新的索引，无需重启。',
  ],
  examples: [
    { command: 'zhsearch serve', description: '在 http://127.0.0.1:3000/ 提供搜索' },
    { command: 'zhsearch serve --port 8080 --host 0.0.0.0', description: '在所有网卡的 8080 端口提供搜索' },
    { command: 'zhsearch serve --watch --corpus ~/blog/source/_posts', description: '写作时使用：保存文章后几秒内即可搜到' },
    { command: 'zhsearch serve --base-path /search/', description: '放在反向代理的 /search/ 之下（代理把 /search/ 原样转发到本服务）' },
    {
      command: 'zhsearch serve --cors-origin https://blog.example.com --cors-origin http://localhost:4000',
      description: '允许博客（及本地 hexo server）的页面调用搜索接口',
    },
  ],
};

export const statsSpec: CommandSpec = {
  name: 'stats',
  summary: '查看索引统计',
  positionals: [],
  options: [
    indexOption,
    corpusOption,
    engineOption,
    jsonOption('统计（articles 为文章数）'),
    { name: 'new-words', kind: { type: 'boolean' }, description: '列出候选新词（文章里常连在一起的相邻词）及出现次数和篇数' },
  ],
  details: [
    '显示文章数、词项数、各文件大小、分词器、索引版本（generation）和建立时间。',
    '有 --engine（或环境变量 ZHSEARCH_ENGINE）时显示引擎的统计：文章数、原文大小、分词器，以及每个分片的大小（连不上的分片会注明）；引擎不统计词项数。',
    '--new-words 列出索引时发现的固定搭配（如 加沙 + 地带 → 加沙地带），它们已作为一个关键词使用；',
    '把需要的词按“词 词频 词性”写进用户词典 dict.txt（如 加沙地带 1000 n），再运行 zhsearch reindex，分词时就会把它当作一个词。',
  ],
  examples: [
    { command: 'zhsearch stats', description: '查看 index-data/ 的统计' },
    { command: 'zhsearch stats --index /tmp/idx --json', description: '以 JSON 输出另一个索引的统计' },
    { command: 'zhsearch stats --new-words | head -30', description: '出现最多的 30 个候选新词' },
    { command: 'zhsearch stats --engine sphinxql://127.0.0.1:9306/zhsearch', description: '查看引擎中的文章数和各分片大小' },
  ],
};

export const startSpec: CommandSpec = {
  name: 'start',
  summary: '需要时先增量索引 corpus/，再启动服务（npm start）',
  positionals: [],
  options: [corpusOption, indexOption, ...blogOptions, portOption, hostOption, segmenterOption, workersOption, processesOption, watchOption, ...siteOptions],
  details: ['索引缺失或与文章不一致时先增量更新索引（与 reindex 相同），然后启动服务并打印网址。'],
  examples: [
    { command: 'npm start', description: '索引 corpus/ 并在 http://127.0.0.1:3000/ 提供搜索' },
    { command: 'PORT=8080 zhsearch start --corpus ~/blog/source/_posts', description: '索引自己的博客并在 8080 端口提供搜索' },
  ],
};

export const watchSpec: CommandSpec = {
  name: 'watch',
  summary: '监视文章目录，改动后自动增量更新索引',
  positionals: [],
  options: [corpusOption, indexOption, ...blogOptions, segmenterOption, workersOption],
  details: [
    '先增量更新一次索引，然后监视 --corpus 目录（递归）：文章文件或 dict.txt 保存、新增、删除后，稍候约 0.2 秒合并连续的改动，再增量更新索引，每次输出一行结果。',
    '正在运行的 zhsearch serve 会自动切换到新索引；也可以直接用 zhsearch serve --watch，一个进程同时提供搜索和监视。',
    '某次更新失败（如文章目录暂时为空）时原索引保持不变，继续监视。',
    'Hexo 博客：同时监视 _config.yml，加 --drafts 时还监视 source/_drafts；--site、--base-url、--drafts 与 reindex 相同，请与建立索引时保持一致。',
  ],
  examples: [
    { command: 'zhsearch watch --corpus ~/blog/source/_posts', description: '写作时让索引跟上文章的改动' },
  ],
};

export const engineSpec: CommandSpec = {
  name: 'engine',
  summary: '生成 SphinxQL 引擎（Sphinx / Manticore）的分片配置',
  positionals: [{ name: '动作', description: 'init：写入 searchd 配置文件', required: true }],
  options: [
    { name: 'shards', kind: { type: 'integer', min: 1, max: 64 }, valueName: 'N', description: '分片数（每个分片一个 searchd 进程）', defaultText: '2' },
    { name: 'dir', kind: { type: 'string' }, valueName: 'DIR', description: '写入配置、数据和日志的目录（必填）' },
    { name: 'port', kind: { type: 'integer', min: 1, max: 65535 }, valueName: 'P', description: '分布式表的 SphinxQL 端口；分片 i 用 P+i，分片的节点间端口用 P+N+i', defaultText: String(DEFAULT_ENGINE_PORT) },
  ],
  details: [
    '在 DIR 中写入 shard1.conf … shardN.conf、dist.conf 和 stopwords.txt，打印启动与停止命令以及 --engine 使用的地址。',
    '分布式表把每个查询并行发给所有分片（连接超时 1 秒、查询超时 5 秒）；某个分片不可用时结果标为 partial 并列出缺少的分片。',
    '多台服务器时，各分片的 SphinxQL 地址写在引擎地址中：sphinxql://主机:端口/zhsearch?shards=分片1主机:端口,分片2主机:端口（见 README）。',
  ],
  examples: [
    { command: 'zhsearch engine init --shards 2 --dir ./engine --port 9306', description: '两个分片，分布式表在 127.0.0.1:9306' },
  ],
};

export const exportSpec: CommandSpec = {
  name: 'export',
  summary: '导出静态搜索（网页 + 索引分块），无需服务器',
  positionals: [],
  options: [
    { name: 'out', kind: { type: 'string' }, valueName: 'DIR', description: '输出目录（必填）：index.html、脚本和 zhsearch/ 数据分块' },
    { ...corpusOption, description: '文章目录：给出时先增量更新其索引再导出；其 dict.txt 为用户词典' },
    indexOption,
    workersOption,
    jsonOption('导出汇总'),
  ],
  details: [
    '导出的目录可放在任何静态网站托管（GitHub Pages、Netlify、对象存储）的任意子路径下，打开 index.html?q=查询 即可搜索。',
    '搜索在读者的浏览器里运行，分词、繁简转换、排序与服务器相同；每次查询只下载查询词所在的分块，文件名含内容哈希，可永久缓存。',
    '只给 --index 时直接导出该索引；给 --corpus 时先像 reindex 一样增量更新索引。',
  ],
  examples: [
    { command: 'zhsearch export --corpus ~/blog/source/_posts --out ~/blog/public/search', description: '索引博客文章并导出到 public/search/' },
    { command: 'zhsearch export --index index-data --out dist-search', description: '导出现有索引' },
  ],
};

export const helpSpec: CommandSpec = {
  name: 'help',
  summary: '显示帮助',
  positionals: [{ name: '命令', description: '要查看帮助的命令', required: false }],
  options: [],
  details: [],
  examples: [{ command: 'zhsearch help reindex', description: '查看 reindex 的用法' }],
};

export const commandSpecs: readonly CommandSpec[] = [reindexSpec, searchSpec, serveSpec, statsSpec, startSpec, watchSpec, engineSpec, exportSpec, helpSpec];
