"""The demo's catalogue of series and events: what each event is, when, where, how big, which
questions it asks and agenda it has, and how demo people answer and pick. Data only; the loading
is in `app.demo.events_and_registrations`."""
from __future__ import annotations

from dataclasses import dataclass

CANCEL_REASONS = ("时间冲突，无法参加", "临时出差", "单位另有安排", "身体不适", "已报名其他场次", "")


@dataclass(frozen=True)
class Q:
    """A registration question and how demo people answer it."""

    label: str
    kind: str
    required: bool = False
    choices: str = ""           # one per line, `label | limit` as organisers type it
    weights: tuple = ()         # for single choices
    pool: tuple = ()            # text answers
    low: int = 0                # number range / date offsets (days from the event)
    high: int = 0
    step: int = 1
    rate: float = 0.8           # how often an optional question is answered
    help_text: str = ""


@dataclass(frozen=True)
class S:
    """An agenda session; `day` counts from the event's first day."""

    title: str
    day: int
    start: str
    end: str
    room: str = ""
    speaker: str = ""
    capacity: int | None = None  # a nominal limit, scaled down for small data sets
    pick: float = 0.5            # chance that a registrant picks this session


@dataclass(frozen=True)
class E:
    title: str
    series: str | None
    kind: str
    dept: str
    venue: str
    address: str
    day: int                     # days from today (Asia/Shanghai)
    start: str
    end: str
    end_day: int | None = None   # for events of several days
    capacity: int | None = None
    share: float = 0.1           # fraction of participants who register
    fill: float = 0.8            # fraction of the capacity taken, for events that do not fill up
    full: bool = False           # sells out and keeps a waiting list
    approval: bool = False
    opens_before: int = 21       # registration opens this many days before the start
    closes_before: int | None = None  # ... and closes this many days before (None: at the end)
    sessions: tuple = ()
    questions: tuple = ()
    state: str = "published"     # or "draft", "cancelled"
    cancel_reason: str = ""
    cancel_share: float = 0.03   # registrants who later cancel themselves
    prefer: tuple = ()           # personas this event attracts most
    demo: str | None = None      # the demo participant's registration: "confirmed" / "waitlisted"
    description: str = ""


SERIES = (
    ("talent-week-2026", "2026人才闵行周", "talent_center",
     "“人才闵行周”是闵行区人才品牌活动，集中开展人才论坛、政策发布、专场招聘和人力资源服务对接，"
     "打造人才引进的新高地、擦亮人才服务的新名片。"),
    ("haiju-yingcai", "海聚英才·智汇闵行", "high_service",
     "面向海外高层次人才和留学人员，开展项目路演、创业大赛、闭门交流和来闵交流营，"
     "以才引才，集聚海内外一流人才。"),
    ("campus-2026", "闵而好才·行者常至 2026校园引才", "talent_center",
     "联合高校共建“闵而好才·行者常至”引才合作站，春、秋校招旺季开展专业行业校招活动，"
     "线上定向邀约合作院校参与直播带岗。"),
    ("policy-2026", "2026人才政策宣讲", "talent_dev",
     "春申金字塔人才计划、人才安居、落户与“一口受理”等人才政策的专场宣讲与解读。"),
    ("skills-2026", "2026技能人才培育", "skills",
     "高技能人才座谈、技能大师工作室“传帮带”、以赛代训与创业人才梯度培育。"),
)

INDUSTRIES = "人工智能\n集成电路\n生物医药\n高端装备\n数字经济\n人力资源服务\n教育科研\n其他"
TOPICS = "人才引进落户\n人才安居补贴\n职称评审\n创新创业扶持\n子女入学\n医疗保障"
DEGREES = "大专\n本科\n硕士\n博士"
JOB_TITLES = ("研发工程师", "高级工程师", "产品经理", "人力资源经理", "技术总监", "博士后研究员", "副教授",
              "项目主管", "创始人兼CEO", "招聘专员", "主治医师", "数据分析师", "设计总监", "研究员")
COUNTRIES = ("美国", "英国", "德国", "日本", "新加坡", "澳大利亚", "加拿大", "法国", "荷兰", "中国香港",
             "瑞士", "韩国")
BIOS = (
    "在美国从事半导体器件研发八年，现回国创业，项目聚焦车规级功率芯片。",
    "英国帝国理工学院博士，研究方向为医学影像人工智能，已在紫竹高新区注册公司。",
    "曾任德国某汽车零部件企业研发经理，希望了解闵行留学人员创业扶持政策。",
    "新加坡国立大学硕士，目前在虹桥商务区从事跨境数字贸易，关注人才落户与子女入学。",
    "日本东京大学博士后，从事氢能催化材料研究，计划在马桥设立研发中心。",
    "澳大利亚留学归国，现任某生物医药企业首席科学家，希望对接区内临床资源。",
    "加拿大滑铁卢大学计算机硕士，做工业软件，团队十二人，寻求场地与首轮融资对接。",
)
POLICY_QUESTIONS = (
    "硕士应届毕业生落户闵行需要准备哪些材料？",
    "人才安居补贴能否与公积金贷款同时享受？",
    "在紫竹高新区工作但社保由集团在外区缴纳，能否申请安居补贴？",
    "配偶随迁落户的办理流程和时限是怎样的？",
    "租房补贴按月发放还是一次性发放？",
    "中级职称加本科学历能否申请人才引进落户？",
    "春申金字塔人才的认定结果多久公布？",
)
TRADES = ("数控车工", "电工", "焊工", "钳工", "养老护理员", "汽车维修工", "工业机器人系统运维员", "中式烹调师",
          "育婴员", "电子竞技员", "集成电路工程技术人员", "化学检验员")
SCHOOLS = ("上海交通大学", "华东师范大学", "复旦大学", "同济大学", "上海大学", "华东理工大学", "东华大学",
           "上海理工大学", "上海师范大学", "上海应用技术大学", "南京大学", "浙江大学")
PROJECTS = ("闵芯智造", "紫竹云医", "春申智能", "南科绿能", "马桥机器人", "颛桥航电", "江川海工", "七宝数据",
            "虹桥跨境", "古美康养", "莘庄精工", "吴泾新材")

V_HONGQIAO = ("中国上海人力资源服务产业园虹桥园 国际会议厅", "上海市闵行区申长路988弄")
V_CENTRE = ("闵行区人才服务中心 一楼报告厅", "上海市闵行区沪闵路6258号")
V_SJTU = ("上海交通大学闵行校区 学生服务中心", "上海市闵行区东川路800号")
V_SJTU_HALL = ("上海交通大学闵行校区 学术活动中心", "上海市闵行区东川路800号")
V_ECNU = ("华东师范大学闵行校区 学生活动中心", "上海市闵行区东川路500号")
V_ZIZHU = ("紫竹高新区 紫竹国际大厦 会议中心", "上海市闵行区东川路555号")
V_LIUCHUANG = ("闵行留学人员创业园 路演厅", "上海市闵行区莘庄工业区申富路")
V_XINZHUANG = ("莘庄工业区企业服务中心 三楼会议室", "上海市闵行区莘庄工业区")
V_NKC = ("南科创实训基地 创业培训教室", "上海市闵行区江川路街道")
V_EMPLOY = ("闵行区就业促进中心 招聘大厅", "上海市闵行区莘庄镇")
V_ONLINE = ("线上直播（微信视频号“乐业闵行”）", "")

TALENT_WEEK_SESSIONS = (
    S("开幕式暨春申金字塔人才计划成果发布", 0, "09:30", "11:30", "主会场", "区人社局领导、人才代表", pick=0.8),
    S("人工智能与集成电路人才专场论坛", 0, "14:00", "17:00", "分会场A", "紫竹高新区企业代表", pick=0.5),
    S("海外人才创新创业圆桌", 1, "14:00", "16:30", "分会场B", "留学人员联谊会", pick=0.35),
    S("生物医药人才发展工作坊", 2, "09:30", "11:30", "工作坊教室（限额）", "浦江高科技园企业代表",
      capacity=60, pick=0.5),
    S("人力资源服务机构供需对接会", 3, "14:00", "17:00", "分会场A", "虹桥园入驻机构", pick=0.3),
    S("闭幕式暨“春申人才服务码”上线仪式", 4, "15:00", "17:00", "主会场", pick=0.5),
)

EVENTS: tuple[E, ...] = (
    # -- 2026人才闵行周 ---------------------------------------------------------
    E("2026人才闵行周·主题周", "talent-week-2026", "forum", "talent_center", *V_HONGQIAO,
      day=21, start="09:00", end="17:30", end_day=25, capacity=500, share=0.5, fill=0.9,
      opens_before=30,
      sessions=TALENT_WEEK_SESSIONS, demo="confirmed", cancel_share=0.02,
      questions=(
          Q("所在行业", "single", required=True, choices=INDUSTRIES, weights=(5, 4, 4, 3, 4, 2, 2, 1)),
          Q("开幕日午餐", "single", required=True, choices="需要午餐 | 80\n不需要", weights=(3, 2),
            help_text="午餐名额有限，先到先得"),
          Q("关注议题", "multiple", choices=TOPICS),
          Q("职务/职称", "text", pool=JOB_TITLES, rate=0.6),
      ),
      description="为期五天的人才主题周：开幕式与春申金字塔人才计划成果发布，人工智能、集成电路、"
                  "生物医药人才论坛与工作坊，人力资源服务机构对接会。可按议程选择参加的场次。"),
    E("人才闵行周·人力资源服务产业园高峰论坛", "talent-week-2026", "forum", "talent_dev", *V_HONGQIAO,
      day=22, start="13:30", end="17:00", capacity=300, share=0.25, fill=0.6, opens_before=30,
      questions=(Q("所在单位类型", "single", required=True,
                   choices="人力资源服务机构\n用人单位\n高校及科研院所\n其他"),),
      description="在中国上海人力资源服务产业园虹桥园举办，聚焦全球人力资源配置服务能力与产业集聚。"),
    E("人才闵行周·重点企业人才专场招聘会", "talent-week-2026", "job_fair", "employment", *V_EMPLOY,
      day=23, start="09:00", end="16:00", share=0.35, prefer=("student", "company"), opens_before=30,
      questions=(
          Q("求职意向岗位类别", "multiple", required=True,
            choices="研发/技术\n生产/制造\n销售/市场\n职能/管理\n医疗/健康\n教育/培训"),
          Q("最高学历", "single", required=True, choices=DEGREES, weights=(2, 6, 4, 1)),
          Q("期望月薪（元）", "number", low=8000, high=40000, step=500, rate=0.7),
      ),
      description="区内重点企业、春申金字塔重点企业现场招聘，覆盖研发、制造、医疗、教育等岗位。"),
    E("人才闵行周·顶尖科学论坛（交大·华师大联合）", "talent-week-2026", "forum", "talent_dev",
      *V_SJTU_HALL, day=24, start="09:00", end="12:00", capacity=120, full=True, opens_before=30,
      prefer=("academic", "institute"), cancel_share=0.02,
      questions=(Q("职务/职称", "text", required=True, pool=JOB_TITLES),),
      description="联合上海交通大学、华东师范大学共同打造的顶尖科学论坛，促进产学研交流合作。"),
    # -- 海聚英才·智汇闵行 --------------------------------------------------------
    E("海聚英才·海外高层次人才项目路演", "haiju-yingcai", "forum", "high_service", *V_LIUCHUANG,
      day=-45, start="14:00", end="17:30", capacity=150, share=0.2, fill=0.8, prefer=("returnee",),
      questions=(Q("海外学习/工作国家或地区", "text", required=True, pool=COUNTRIES),
                 Q("项目领域", "single", required=True, choices=INDUSTRIES)),
      description="海外高层次人才创业项目路演，投资机构与园区现场点评对接。"),
    E("海聚英才·留学人员创业大赛决赛观摩", "haiju-yingcai", "competition", "high_service", *V_ZIZHU,
      day=-15, start="13:30", end="17:30", capacity=80, full=True, prefer=("returnee", "company"),
      description="留学人员创业大赛决赛现场，十强项目同台竞技，欢迎观摩。"),
    E("海聚英才·海外引才大使闭门交流会", "haiju-yingcai", "salon", "high_service", *V_LIUCHUANG,
      day=16, start="14:00", end="16:30", capacity=30, share=0.12, approval=True, prefer=("returnee",),
      questions=(
          Q("最高学历", "single", required=True, choices=DEGREES, weights=(0, 1, 4, 4)),
          Q("留学国家/地区", "text", required=True, pool=COUNTRIES),
          Q("回国年份", "number", required=True, low=2008, high=2026),
          Q("个人简介", "long_text", required=True, pool=BIOS, help_text="200字以内，供审核参考"),
          Q("预计到访留创园日期", "date", low=3, high=30, rate=0.5),
      ),
      description="邀请海外引才大使、海(境)外创业导师与留学人员闭门交流。名额有限，报名需审核。"),
    E("海聚英才·留创园“创业补给站”开放日", "haiju-yingcai", "salon", "high_service", *V_ZIZHU,
      day=9, start="14:00", end="17:00", capacity=60, share=0.15, fill=0.5, prefer=("returnee",),
      description="联合紫竹创投开放“创业补给站”，提供商洽对接空间与人社创服资源。"),
    E("海聚英才·海外优秀青年人才来闵交流营", "haiju-yingcai", "training", "high_service", *V_ZIZHU,
      day=60, start="09:00", end="17:00", end_day=62, capacity=50, opens_before=30,
      description="海外优秀青年人才来闵交流：走访园区、企业与高校，了解闵行人才政策。报名将于活动前30天开放。"),
    # -- 闵而好才·行者常至 --------------------------------------------------------
    E("闵而好才·行者常至 上海交通大学专场招聘会", "campus-2026", "campus_recruiting", "talent_center",
      *V_SJTU, day=-25, start="13:00", end="17:00", share=0.3, prefer=("student",),
      questions=(Q("毕业院校", "text", required=True, pool=SCHOOLS),
                 Q("学历层次", "single", required=True, choices="本科\n硕士\n博士", weights=(5, 4, 1))),
      description="引才合作站校园专场，闵行重点企业进校园，现场投递、现场面试。"),
    E("闵而好才·行者常至 华东师范大学专场招聘会", "campus-2026", "campus_recruiting", "talent_center",
      *V_ECNU, day=11, start="13:00", end="17:00", capacity=200, full=True, prefer=("student",),
      questions=(Q("毕业院校", "text", required=True, pool=SCHOOLS),
                 Q("学历层次", "single", required=True, choices="本科\n硕士\n博士", weights=(5, 4, 1))),
      description="华东师范大学引才合作站专场，企业宣讲与现场面试。场地有限，额满候补。"),
    E("闵而好才·行者常至 直播带岗·紫竹高新区专场（线上）", "campus-2026", "campus_recruiting",
      "talent_center", *V_ONLINE, day=4, start="19:00", end="21:00", share=0.2, prefer=("student",),
      closes_before=0, cancel_share=0.0,
      questions=(Q("感兴趣的企业类型", "multiple", choices="集成电路\n人工智能\n数字创意\n生物医药"),),
      description="线上直播带岗，紫竹高新区企业HR在线讲解岗位、答疑。报名后获取直播提醒。"),
    E("闵而好才·行者常至 引才合作站签约暨新一季校园招聘启动仪式", "campus-2026", "forum", "talent_center", *V_SJTU,
      day=75, start="14:00", end="16:00", capacity=300, state="draft",
      description="（筹备中）与合作院校签约引才合作站，发布新一季校园招聘计划。"),
    # -- 人才政策宣讲 -----------------------------------------------------------
    E("春申金字塔人才计划政策宣讲会（莘庄工业区专场）", "policy-2026", "policy_briefing", "talent_dev",
      *V_XINZHUANG, day=-18, start="14:00", end="16:00", capacity=100, share=0.3, fill=0.85,
      demo="confirmed", closes_before=1,
      questions=(Q("想咨询的问题", "long_text", pool=POLICY_QUESTIONS, rate=0.4),),
      description="解读春申金字塔人才计划认定标准、重点企业申报与人才服务专窗。"),
    E("人才安居补贴与落户政策解读会", "policy-2026", "policy_briefing", "talent_dev", *V_CENTRE,
      day=6, start="14:00", end="16:00", capacity=80, full=True, demo="waitlisted", cancel_share=0.05,
      questions=(Q("人才类别", "single", required=True,
                   choices="应届毕业生\n留学回国人员\n春申金字塔人才\n其他人才"),
                 Q("想咨询的问题", "long_text", pool=POLICY_QUESTIONS, rate=0.5)),
      description="人才安居补贴申请条件、落户办理流程解读，现场答疑。额满后可报名候补，有人取消时自动递补。"),
    E("人才服务“一口受理”与春申人才服务码使用说明会", "policy-2026", "policy_briefing", "talent_center",
      *V_CENTRE, day=0, start="14:00", end="16:00", capacity=120, share=0.2, fill=0.7,
      description="介绍“一网通办”春申人才服务码：政策一网查询、需求一口受理、服务一码集成。"),
    E("留学人员落户政策专场宣讲", "policy-2026", "policy_briefing", "high_service", *V_LIUCHUANG,
      day=30, start="10:00", end="11:30", capacity=100, share=0.08, fill=0.6, prefer=("returnee",),
      opens_before=40,
      state="cancelled", cancel_reason="因场地调整，本场宣讲取消，新的时间将另行通知。",
      description="留学人员落户条件、材料与办理时限专场宣讲。"),
    # -- 技能人才 ---------------------------------------------------------------
    E("2026年闵行区高技能人才座谈会", "skills-2026", "symposium", "skills", *V_CENTRE,
      day=13, start="09:30", end="11:30", capacity=40, share=0.1, fill=0.9, prefer=("technician",),
      questions=(Q("职业（工种）", "text", required=True, pool=TRADES),
                 Q("技能等级", "single", required=True, choices="高级工\n技师\n高级技师\n特级技师\n首席技师",
                   weights=(4, 4, 3, 1, 1))),
      description="高技能人才座谈，听取技能人才对区级技能补贴目录与培训平台建设的意见建议。"),
    E("技能大师工作室开放日·“传帮带”经验交流", "skills-2026", "salon", "skills",
      "上海莘科精密机械有限公司 技能大师工作室", "上海市闵行区莘庄工业区",
      day=-7, start="13:30", end="16:30", capacity=50, share=0.1, fill=0.8, prefer=("technician",),
      description="区级技能大师工作室开放日，大师现场演示绝技绝活，交流带徒经验。"),
    E("以赛代训·闵行区职业技能竞赛（养老护理员）赛前说明会", "skills-2026", "lecture", "skills", *V_CENTRE,
      day=26, start="14:00", end="15:30", capacity=150, share=0.08, fill=0.7, prefer=("technician",),
      opens_before=30,
      questions=(Q("所在单位类型", "single", required=True,
                   choices="养老机构\n医疗机构\n社区服务中心\n院校学生"),
                 Q("从业年限", "number", required=True, low=0, high=25)),
      description="赛程、评分标准与报名材料说明，以赛代训、以赛促学。"),
    E("南科创实训基地 创业孵化营招募说明会", "skills-2026", "lecture", "nkc_base", *V_NKC,
      day=8, start="14:00", end="16:00", capacity=80, share=0.15, fill=0.75, prefer=("company", "returnee"),
      questions=(Q("创业阶段", "single", required=True,
                   choices="创意阶段（未注册）\n注册1年以内\n注册1-3年\n注册3年以上"),
                 Q("企业/项目名称", "text", pool=PROJECTS, rate=0.7),
                 Q("团队人数", "number", low=1, high=30, rate=0.7)),
      description="创业孵化营、成长营、加速营分梯度培育，每两年优选60名创业者。说明招募条件与课程安排。"),
    E("青年见习基地企业对接会", None, "job_fair", "employment", *V_EMPLOY,
      day=-3, start="09:30", end="15:30", share=0.15, prefer=("student",),
      questions=(Q("见习意向", "single", required=True, choices="全职见习\n暑期社会实践"),),
      description="青年见习基地与大学生社会实践岗位对接，现场签约见习协议。"),
)
