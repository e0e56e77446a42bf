/**
 * Default stop words, normalised (Simplified, lowercase). Function words only: particles, pronouns,
 * conjunctions, prepositions, auxiliaries. Kept out on purpose, because they are names in this domain:
 * `it` (IT 之家), `who` (WHO), `us` (US).
 */
export const DEFAULT_CHINESE_STOP_WORDS: readonly string[] = [
  '的', '了', '着', '过', '是', '在', '和', '与', '及', '或', '而', '也', '都', '就', '又', '还', '被', '把',
  '让', '给', '对', '从', '向', '于', '以', '之', '其', '这', '那', '这个', '那个', '这些', '那些', '这样',
  '那样', '这里', '那里', '这种', '那种', '这是', '那是', '我', '你', '他', '她', '它', '我们', '你们', '他们',
  '她们', '它们', '自己', '咱们', '您', '啊', '吗', '呢', '吧', '呀', '哦', '嘛', '么', '啦', '哈', '嗯', '的话',
  '因为', '所以', '但是', '但', '然而', '而且', '并且', '如果', '虽然', '即使', '不过', '因此', '于是', '然后',
  '以及', '或者', '还是', '还有', '只是', '而是', '不是', '就是', '也是', '都是', '并', '则', '即', '便', '等',
  '等等', '个', '一个', '一种', '一些', '有些', '什么', '怎么', '怎样', '为什么', '如何', '哪', '哪里', '哪些',
  '谁', '很', '非常', '更', '最', '太', '已经', '曾经', '正在', '将', '会', '能', '可以', '可能', '应该', '要',
  '没有', '有', '不', '没', '这么', '那么', '如此', '其中', '其他', '其它', '另外', '此外', '同时', '与此同时',
  '通过', '根据', '按照', '关于', '对于', '由于', '为了', '随着', '除了', '比如', '例如', '得', '地', '所', '该',
  '每', '各', '某', '此', '为', '上', '中', '下', '来', '去', '到', '说', '又是', '一', '这一', '一下',
];

export const DEFAULT_ENGLISH_STOP_WORDS: readonly string[] = [
  'a', 'an', 'the', 'and', 'or', 'but', 'if', 'then', 'else', 'of', 'to', 'in', 'on', 'at', 'by', 'for', 'with',
  'from', 'as', 'is', 'are', 'was', 'were', 'be', 'been', 'being', 'am', 'its', 'this', 'that', 'these',
  'those', 'i', 'you', 'he', 'she', 'we', 'they', 'me', 'him', 'her', 'them', 'my', 'your', 'his', 'our',
  'their', 'not', 'no', 'do', 'does', 'did', 'so', 'than', 'too', 'very', 'can', 'will', 'just', 'there', 'here',
  'what', 'which', 'whom', 'when', 'where', 'why', 'how', 'all', 'any', 'both', 'each', 'few', 'more', 'most',
  'other', 'some', 'such', 'only', 'own', 'same', 'into', 'over', 'under', 'about', 'after', 'before', 'again',
  'once', 'should', 'would', 'could', 'has', 'have', 'had', 'up', 'down', 'out', 'off', 'also', 'via',
];

export const DEFAULT_STOP_WORDS: readonly string[] = [...DEFAULT_CHINESE_STOP_WORDS, ...DEFAULT_ENGLISH_STOP_WORDS];
