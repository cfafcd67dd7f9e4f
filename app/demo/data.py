"""Word lists for the demo data set: Chinese names (with pinyin for e-mail addresses), employers.

Companies are invented but shaped like the firms of Minhang's parks (紫竹高新区, 莘庄工业区,
闵行经济技术开发区, 漕河泾开发区浦江高科技园, 马桥人工智能创新试验区, 虹桥商务区); universities,
hospitals and schools are the public institutions of the district.
"""
from __future__ import annotations

# (surname, pinyin, relative weight); Shanghai surnames such as 顾 陆 沈 钱 倪 are a little heavier.
SURNAMES: tuple[tuple[str, str, int], ...] = (
    ("王", "wang", 70), ("李", "li", 68), ("张", "zhang", 66), ("刘", "liu", 52), ("陈", "chen", 50),
    ("杨", "yang", 32), ("黄", "huang", 24), ("赵", "zhao", 22), ("吴", "wu", 22), ("周", "zhou", 22),
    ("徐", "xu", 20), ("孙", "sun", 16), ("马", "ma", 15), ("朱", "zhu", 15), ("胡", "hu", 14),
    ("郭", "guo", 14), ("何", "he", 12), ("林", "lin", 12), ("高", "gao", 12), ("罗", "luo", 11),
    ("郑", "zheng", 11), ("梁", "liang", 10), ("谢", "xie", 9), ("宋", "song", 9), ("唐", "tang", 9),
    ("许", "xu", 8), ("韩", "han", 8), ("冯", "feng", 8), ("邓", "deng", 8), ("曹", "cao", 8),
    ("彭", "peng", 7), ("曾", "zeng", 7), ("肖", "xiao", 7), ("田", "tian", 6), ("董", "dong", 6),
    ("潘", "pan", 6), ("袁", "yuan", 6), ("蔡", "cai", 6), ("蒋", "jiang", 6), ("余", "yu", 6),
    ("于", "yu", 5), ("杜", "du", 5), ("叶", "ye", 5), ("程", "cheng", 5), ("魏", "wei", 5),
    ("苏", "su", 5), ("吕", "lv", 4), ("丁", "ding", 4), ("任", "ren", 4), ("沈", "shen", 8),
    ("姚", "yao", 4), ("卢", "lu", 4), ("钟", "zhong", 4), ("姜", "jiang", 4), ("崔", "cui", 3),
    ("谭", "tan", 3), ("陆", "lu", 7), ("范", "fan", 3), ("汪", "wang", 3), ("廖", "liao", 3),
    ("石", "shi", 3), ("金", "jin", 4), ("夏", "xia", 3), ("傅", "fu", 3), ("方", "fang", 3),
    ("邹", "zou", 3), ("熊", "xiong", 3), ("白", "bai", 3), ("孟", "meng", 3), ("秦", "qin", 3),
    ("邱", "qiu", 3), ("侯", "hou", 3), ("江", "jiang", 3), ("尹", "yin", 2), ("薛", "xue", 2),
    ("闫", "yan", 2), ("段", "duan", 2), ("雷", "lei", 2), ("龙", "long", 2), ("史", "shi", 2),
    ("陶", "tao", 2), ("贺", "he", 2), ("顾", "gu", 8), ("毛", "mao", 2), ("龚", "gong", 2),
    ("邵", "shao", 2), ("钱", "qian", 5), ("严", "yan", 2), ("戴", "dai", 2), ("倪", "ni", 3),
    ("瞿", "qu", 1), ("郁", "yu", 1), ("奚", "xi", 1), ("诸", "zhu", 1), ("糜", "mi", 1),
    ("欧阳", "ouyang", 1), ("司马", "sima", 1), ("上官", "shangguan", 1), ("诸葛", "zhuge", 1),
)

# Characters of given names with their pinyin.
GIVEN: dict[str, str] = {
    "伟": "wei", "芳": "fang", "娜": "na", "敏": "min", "静": "jing", "丽": "li", "强": "qiang",
    "磊": "lei", "军": "jun", "洋": "yang", "勇": "yong", "艳": "yan", "杰": "jie", "娟": "juan",
    "涛": "tao", "明": "ming", "超": "chao", "秀": "xiu", "霞": "xia", "平": "ping", "刚": "gang",
    "英": "ying", "华": "hua", "文": "wen", "辉": "hui", "晨": "chen", "宇": "yu", "浩": "hao",
    "然": "ran", "子": "zi", "轩": "xuan", "博": "bo", "思": "si", "雨": "yu", "欣": "xin",
    "怡": "yi", "佳": "jia", "琪": "qi", "嘉": "jia", "梓": "zi", "涵": "han", "一": "yi",
    "诺": "nuo", "昊": "hao", "天": "tian", "泽": "ze", "睿": "rui", "晓": "xiao", "婷": "ting",
    "雪": "xue", "琳": "lin", "鹏": "peng", "飞": "fei", "斌": "bin", "志": "zhi", "国": "guo",
    "建": "jian", "海": "hai", "燕": "yan", "春": "chun", "红": "hong", "亮": "liang", "俊": "jun",
    "凯": "kai", "悦": "yue", "瑶": "yao", "颖": "ying", "慧": "hui", "倩": "qian", "蕾": "lei",
    "楠": "nan", "鑫": "xin", "毅": "yi", "哲": "zhe", "成": "cheng", "彬": "bin", "翔": "xiang",
    "宁": "ning", "安": "an", "清": "qing", "远": "yuan", "航": "hang", "铭": "ming", "骏": "jun",
    "逸": "yi", "萱": "xuan", "若": "ruo", "汐": "xi", "沐": "mu", "辰": "chen", "奕": "yi",
    "帆": "fan", "乐": "le", "岚": "lan", "薇": "wei", "蓉": "rong", "茜": "qian", "璐": "lu",
    "珊": "shan", "丹": "dan", "立": "li", "群": "qun", "卫": "wei", "东": "dong", "新": "xin",
    "永": "yong", "德": "de", "荣": "rong", "正": "zheng", "振": "zhen", "旭": "xu", "峰": "feng",
    "嵩": "song", "晴": "qing", "露": "lu", "凡": "fan", "琦": "qi", "锦": "jin", "瀚": "han",
}

# Rarer characters real Chinese names use, which fonts, sorting and search must cope with.
RARE_GIVEN: dict[str, str] = {
    "玥": "yue", "喆": "zhe", "堃": "kun", "赟": "yun", "珺": "jun", "翀": "chong", "昶": "chang",
    "婕": "jie", "璟": "jing", "祎": "yi", "彧": "yu", "淼": "miao", "琛": "chen", "昀": "yun",
    "珏": "jue", "骞": "qian", "炜": "wei", "犇": "ben",
}

# Reserved for documentation (RFC 2606), so a demo outbox can never mail a real person.
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")

COMPANIES = (
    "上海紫竹芯联微电子有限公司",
    "上海紫竹智联软件有限公司",
    "上海紫竹数字创意港运营有限公司",
    "紫竹高新区·上海睿视人工智能科技有限公司",
    "上海莘科精密机械有限公司",
    "上海莘庄工业区新能源装备有限公司",
    "上海闵开新能源汽车部件有限公司",
    "上海闵行经济技术开发区智能电网设备有限公司",
    "上海浦江高科生物医药有限公司",
    "上海浦江康元医疗器械有限公司",
    "上海马桥智能机器人有限公司",
    "上海马桥智算数据科技有限公司",
    "上海吴泾新材料科技有限公司",
    "上海颛桥航空电子设备有限公司",
    "上海七宝云数据科技有限公司",
    "上海江川海洋工程装备有限公司",
    "上海梅陇医疗器械有限公司",
    "上海虹桥人力资源服务有限公司",
    "上海虹桥跨境数字贸易有限公司",
    "上海闵行人工智能产业发展有限公司",
    "上海南部科创孵化器管理有限公司",
    "上海春申集成电路设计有限公司",
    "上海华漕氢能科技有限公司",
    "上海古美智慧养老服务有限公司",
    "上海新虹桥文化传媒有限公司",
)

UNIVERSITIES = (
    "上海交通大学闵行校区",
    "华东师范大学闵行校区",
    "上海交通大学",
    "华东师范大学",
)

INSTITUTES = (
    "上海航天技术研究院",
    "上海紫竹新兴产业技术研究院",
    "闵行区智能制造创新研究院（筹）",
    "上海南部科创中心产业技术研究所",
    "上海交通大学闵行区博士后创新实践基地",
)

PUBLIC_BODIES = (
    "上海市第五人民医院",
    "闵行区中心医院",
    "上海市闵行中学",
    "华东师范大学第二附属中学闵行紫竹校区",
    "闵行区江川路街道社区事务受理服务中心",
)

STUDENT_SUFFIXES = ("（在读硕士）", "（在读博士）", "（2026届本科）", "（2026届硕士）")

# Resident ID number area codes: mostly Shanghai (闵行 310112 first), some from the Yangtze delta
# and the provinces graduates commonly come from.
ID_AREAS = ("310112", "310112", "310112", "310104", "310115", "310110", "320583", "330106",
            "340104", "410105", "420111", "510107", "370202", "430104", "360102")
