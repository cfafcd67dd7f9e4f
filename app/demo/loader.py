"""`flask demo`: a believable, reproducible Chinese data set, built through the real services.

Everything that decides seats (capacity, waiting list, approval, per-choice limits, agenda
sessions) goes through `app.registrations.services`, and events through `app.events.services`,
so the demo data obeys the same rules as real data. Only three things bypass the services:
bulk participant accounts are inserted in one statement per thousand rows, the timestamps of
demo registrations are moved into a believable past (see `_warp_times`), and past events get
their check-in scans written directly (see `_attendance`).

Idempotent: departments, staff, the demo participant, participants (by mobile number), series
(by slug) and events (by title) that already exist are left alone, so a second run creates
nothing. Every event is committed on its own, so an interrupted run can simply be repeated.
"""
from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa
from flask import current_app, has_request_context
from werkzeug.security import generate_password_hash

from app.accounts import services as accounts
from app.accounts.models import Department, User, UserRole
from app.demo import data
from app.demo.competitions import load_competition
from app.events import services as events
from app.events.models import Event, EventSession, EventStatus, Question, QuestionKind, Series
from app.extensions import db
from app.notifications.models import OutboxMessage
from app.registrations import services as registrations
from app.registrations.models import Registration, RegistrationHistory, RegStatus, SessionBooking
from app.timeutil import LOCAL_TZ, local_today, utcnow
from app.urls import public_base_url

DEMO_PASSWORD = "Demo#2026"

# login, password, role, name, departments (codes) — README.md lists these.
STAFF = (
    ("admin@minhang.example", "Admin#2026", "admin", "陈立群", ()),
    ("organiser@minhang.example", "Organiser#2026", "organiser", "王思远", ("talent_center",)),
    ("haiju@minhang.example", "Organiser#2026", "organiser", "林嘉怡", ("high_service", "talent_dev")),
    ("jiuye@minhang.example", "Organiser#2026", "organiser", "周晓梅", ("employment",)),
    ("skills@minhang.example", "Organiser#2026", "organiser", "赵建国", ("skills", "nkc_base")),
    ("trainer@minhang.example", "Trainer#2026", "trainer", "孙赟", ()),
    ("trainer2@minhang.example", "Trainer#2026", "trainer", "吴俊峰", ()),
    ("trainer3@minhang.example", "Trainer#2026", "trainer", "郑雅文", ()),
    ("judge@minhang.example", "Judge#2026", "judge", "钱喆", ()),
    ("judge2@minhang.example", "Judge#2026", "judge", "许文澜", ()),
    ("judge3@minhang.example", "Judge#2026", "judge", "何建平", ()),
    ("judge4@minhang.example", "Judge#2026", "judge", "吕国栋", ()),
)
DEMO_PARTICIPANT = {"mobile": "13800138000", "name": "李玥", "employer": "上海紫竹芯联微电子有限公司",
                    "email": None}

MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
                   "153", "155", "156", "157", "158", "159", "180", "181", "182", "183", "185", "186",
                   "187", "188", "189")
PERSONAS = (("company", 50), ("student", 18), ("returnee", 8), ("institute", 8), ("technician", 8),
            ("academic", 4), ("public", 4))
BIRTH_REFERENCE_YEAR = 2026
CANCEL_REASONS = ("时间冲突，无法参加", "临时出差", "单位另有安排", "身体不适", "已报名其他场次", "")


# -- the catalogue --------------------------------------------------------------
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


# -- people -----------------------------------------------------------------------
@dataclass
class Person:
    name: str
    mobile: str
    email: str | None
    employer: str | None
    id_number: str | None
    persona: str
    age_days: float


def _id_number(rng: random.Random, age: int) -> str:
    year = BIRTH_REFERENCE_YEAR - age
    born = date(year, 1, 1) + timedelta(days=rng.randrange(365))
    body = f"{rng.choice(data.ID_AREAS)}{born:%Y%m%d}{rng.randrange(1000):03d}"
    total = sum(int(d) * w for d, w in zip(body, accounts.ID_WEIGHTS))
    return body + accounts.ID_CHECK[total % 11]


def make_people(count: int, seed: int, reserved_mobiles=()) -> list[Person]:
    """The same seed gives the same people; a larger count only appends to the list."""
    rng = random.Random(f"{seed}:people")
    surnames = [s for s in data.SURNAMES]
    weights = [s[2] for s in surnames]
    given, rare = list(data.GIVEN.items()), list(data.RARE_GIVEN.items())
    personas, persona_weights = zip(*PERSONAS)
    mobiles, emails = set(reserved_mobiles), set()
    people = []
    for i in range(count):
        surname, surname_py, _ = rng.choices(surnames, weights)[0]
        chars = [rng.choice(given) for _ in range(2 if rng.random() < 0.72 else 1)]
        if i % 9 == 4:  # about one in nine has a rare character
            chars[rng.randrange(len(chars))] = rng.choice(rare)
        name = surname + "".join(c for c, _ in chars)
        given_py = "".join(p for _, p in chars)

        mobile = None
        while mobile is None or mobile in mobiles:
            mobile = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10 ** 8):08d}"
        mobiles.add(mobile)

        persona = rng.choices(personas, persona_weights)[0]
        employer, age = _employer(rng, persona)

        email = None
        if rng.random() < (0.6 if persona in ("student", "academic", "returnee") else 0.4):
            local = rng.choice((f"{surname_py}{given_py}", f"{given_py}.{surname_py}",
                                f"{surname_py}{given_py}{rng.randrange(1, 100)}",
                                f"{surname_py}_{given_py[0]}{(BIRTH_REFERENCE_YEAR - age) % 100:02d}"))
            email = f"{local}@{rng.choice(data.EMAIL_DOMAINS)}"
            while email in emails:
                email = f"{local}{rng.randrange(10, 1000)}@{rng.choice(data.EMAIL_DOMAINS)}"
            emails.add(email)
        id_number = _id_number(rng, age) if rng.random() < 0.35 else None
        people.append(Person(name, mobile, email, employer, id_number, persona, rng.uniform(1, 700)))
    return people


def _employer(rng: random.Random, persona: str) -> tuple[str | None, int]:
    if persona == "student":
        return rng.choice(data.UNIVERSITIES[:2]) + rng.choice(data.STUDENT_SUFFIXES), rng.randint(20, 28)
    if persona == "returnee":
        return (rng.choice(data.COMPANIES) if rng.random() < 0.8 else None), rng.randint(26, 45)
    if persona == "institute":
        return rng.choice(data.INSTITUTES), rng.randint(26, 55)
    if persona == "academic":
        return rng.choice(data.UNIVERSITIES), rng.randint(30, 58)
    if persona == "public":
        return rng.choice(data.PUBLIC_BODIES), rng.randint(25, 55)
    employer = rng.choice(data.COMPANIES) if rng.random() < 0.93 else None
    return employer, rng.randint(22, 55)


# -- loading ------------------------------------------------------------------------
def load_demo(participants: int = 300, seed: int = 2026, echo=print) -> str:
    """Load the demo data set and return a one-paragraph summary.

    The services render mail templates and build ticket links, which needs a request context;
    under `flask demo` there is only an application context, so one is made here.
    """
    if has_request_context():
        return _Loader(participants, seed, echo).run()
    with current_app.test_request_context(base_url=public_base_url()):
        return _Loader(participants, seed, echo).run()


class _Loader:
    def __init__(self, participants: int, seed: int, echo):
        self.count = max(0, int(participants))
        self.seed = seed
        self.echo = echo
        self.now = utcnow()
        self.today = local_today()
        self.staff: dict[str, User] = {}
        self.pool: list[tuple[int, str]] = []  # (user id, persona) of demo participants
        self.demo_user_id: int | None = None
        self.created = {"users": 0, "series": 0, "events": 0, "registrations": 0}

    def run(self) -> str:
        started = time.monotonic()
        accounts.ensure_departments()
        db.session.commit()
        self.departments = {d.code: d.id for d in db.session.scalars(sa.select(Department))}
        self._staff()
        self._demo_participant()
        self._participants()
        series = self._series()
        for index, spec in enumerate(EVENTS, 1):
            self._event(index, spec, series)
        from app.demo.cohorts import load_camp

        load_camp(self.seed, self.staff_ids, self.pool, self.demo_user_id, self.echo)
        from app.demo.studios import load_studios

        load_studios(self.seed, self.staff_ids, self.pool, self.echo)
        load_competition(self.seed, self.staff_ids, self.pool, self.demo_user_id, self.echo)
        summary = self._summary()
        self.echo(f"demo: done in {time.monotonic() - started:.1f}s "
                  f"(new: {self.created['users']} users, {self.created['series']} series, "
                  f"{self.created['events']} events, {self.created['registrations']} registrations)")
        return summary

    # -- accounts -------------------------------------------------------------------
    def _staff(self) -> None:
        admin = None
        for login, password, role, name, departments in STAFF:
            user = db.session.scalar(sa.select(User).where(User.email == login))
            if user is None:
                user = accounts.create_user(login=login, password=password, role=role, name=name,
                                            departments=list(departments), actor=admin)
                user.created_at = self.now - timedelta(days=400)
                self.created["users"] += 1
                self.echo(f"demo: staff {role} {login}")
            if role == "admin" and admin is None:
                admin = user
            self.staff[login] = user
        db.session.commit()
        self.staff_ids = {login: user.id for login, user in self.staff.items()}

    def _actor(self, dept_code: str) -> User:
        """The organiser of the owning department creates its events; the admin otherwise."""
        for login, _, role, _, departments in STAFF:
            if role == "organiser" and dept_code in departments:
                return db.session.get(User, self.staff_ids[login])
        return db.session.get(User, self.staff_ids["admin@minhang.example"])

    def _demo_participant(self) -> None:
        info = DEMO_PARTICIPANT
        user = db.session.scalar(sa.select(User).where(User.mobile == info["mobile"]))
        if user is None:
            user = accounts.sign_up(name=info["name"], password=DEMO_PASSWORD, mobile=info["mobile"],
                                    email=info["email"], employer=info["employer"])
            user.created_at = self.now - timedelta(days=120)
            db.session.commit()
            self.created["users"] += 1
            self.echo(f"demo: participant {info['mobile']}")
        self.demo_user_id = user.id

    def _participants(self) -> None:
        people = make_people(self.count, self.seed, reserved_mobiles={DEMO_PARTICIPANT["mobile"]})
        existing_mobiles, existing_emails = set(), set()
        for chunk in _chunks([p.mobile for p in people], 500):
            existing_mobiles |= set(db.session.scalars(sa.select(User.mobile).where(User.mobile.in_(chunk))))
        for chunk in _chunks([p.email for p in people if p.email], 500):
            existing_emails |= set(db.session.scalars(sa.select(User.email).where(User.email.in_(chunk))))
        new = [p for p in people if p.mobile not in existing_mobiles]
        if new:
            # Demo participants all share the password Demo#2026. Hashing it once and reusing the
            # hash keeps `--participants 10000` fast: scrypt is deliberately slow (tens of ms each).
            shared_hash = generate_password_hash(DEMO_PASSWORD)
            done = 0
            for chunk in _chunks(new, 1000):
                rows = [{"name": p.name, "mobile": p.mobile,
                         "email": p.email if p.email not in existing_emails else None,
                         "password_hash": shared_hash, "employer": p.employer, "id_number": p.id_number,
                         "active": True, "created_at": self.now - timedelta(days=p.age_days)}
                        for p in chunk]
                db.session.execute(sa.insert(User), rows)
                db.session.commit()
                done += len(chunk)
                self.echo(f"demo: participants {done}/{len(new)}")
            self.created["users"] += len(new)
        persona = {p.mobile: p.persona for p in people}
        for chunk in _chunks([p.mobile for p in people], 500):
            for user_id, mobile in db.session.execute(
                    sa.select(User.id, User.mobile).where(User.mobile.in_(chunk))):
                self.pool.append((user_id, persona[mobile]))
        self.pool.sort()

    # -- series and events ------------------------------------------------------------
    def _series(self) -> dict[str, int]:
        admin = db.session.get(User, self.staff_ids["admin@minhang.example"])
        result = {}
        for slug, name, dept, description in SERIES:
            series = db.session.scalar(sa.select(Series).where(Series.slug == slug))
            if series is None:
                series = events.save_series(admin, name=name, slug=slug, description=description,
                                            department=db.session.get(Department, self.departments[dept]))
                series.created_at = self.now - timedelta(days=60)
                self.created["series"] += 1
            result[slug] = series.id
        db.session.commit()
        return result

    def _at(self, day: int, hhmm: str) -> datetime:
        hour, minute = map(int, hhmm.split(":"))
        d = self.today + timedelta(days=day)
        return datetime(d.year, d.month, d.day, hour, minute, tzinfo=LOCAL_TZ).astimezone(timezone.utc)

    def _event(self, index: int, spec: E, series: dict[str, int]) -> None:
        if db.session.scalar(sa.select(Event.id).where(Event.title == spec.title)) is not None:
            return
        started = time.monotonic()
        rng = random.Random(f"{self.seed}:event:{spec.title}")
        actor = self._actor(spec.dept)
        starts, ends = self._at(spec.day, spec.start), self._at(spec.end_day or spec.day, spec.end)
        opens = self._at(spec.day - spec.opens_before, "09:00")
        closes = self._at(spec.day - spec.closes_before, "12:00") if spec.closes_before else None
        if spec.closes_before == 0:
            closes = starts
        registering = spec.state != "draft" and opens <= self.now
        past = registering and self.now >= (closes or ends)
        # Registration of a past event happened while it was open: build it in the near future,
        # take the registrations, then move it (and them) back to where it belongs.
        shift = timedelta(days=(self.today - (starts.astimezone(LOCAL_TZ).date())).days + 3) \
            if past else timedelta(0)

        capacity, wanted = self._size(spec)
        window_start = self.now
        series_id = series.get(spec.series)
        # A brand series gathers events of several departments; only the series' own organisers
        # (or an admin) put an event on it, so the admin does it for the other departments.
        joins = series_id if series_id and events.can_manage_series(actor, db.session.get(Series, series_id)) \
            else None
        event = events.create_event(
            actor, title=spec.title, series_id=joins, kind=spec.kind,
            department_id=self.departments[spec.dept], venue=spec.venue, address=spec.address,
            starts_at=starts + shift, ends_at=ends + shift, description=spec.description,
            capacity=capacity, requires_approval=spec.approval,
            registration_opens_at=None if past else opens, registration_closes_at=None if past else closes)
        if series_id and not joins:
            events.update_event(db.session.get(User, self.staff_ids["admin@minhang.example"]), event,
                                series_id=series_id)
        first_day = starts.astimezone(LOCAL_TZ).date() - self.today
        for s in spec.sessions:
            session_cap = None if s.capacity is None else min(s.capacity, max(4, wanted // 4))
            events.save_session(actor, event, title=s.title, room=s.room, speaker=s.speaker,
                                starts_at=self._at(first_day.days + s.day, s.start) + shift,
                                ends_at=self._at(first_day.days + s.day, s.end) + shift,
                                capacity=session_cap)
        for q in spec.questions:
            events.save_question(actor, event, label=q.label, kind=q.kind, required=q.required,
                                 help_text=q.help_text,
                                 choices=events.parse_choices(q.choices) if q.choices else None)
        if spec.state != "draft":
            events.publish_event(actor, event)
        db.session.flush()

        made = 0
        if registering:
            loading_from = utcnow()
            made = self._register_all(rng, spec, event, actor, wanted)
            db.session.flush()
            loading_to = utcnow()
            if past:
                event.starts_at, event.ends_at = starts, ends
                event.registration_opens_at, event.registration_closes_at = opens, closes
                for session in event.sessions:
                    session.starts_at -= shift
                    session.ends_at -= shift
            reg_to = min(closes or starts, self.now) - timedelta(minutes=20)
            reg_from = min(opens + timedelta(hours=1), reg_to - timedelta(hours=2))
            _warp_times(event.id, loading_from, loading_to, reg_from, reg_to)
            window_start = reg_from
        published = window_start - timedelta(days=1, hours=rng.randint(0, 6))
        event.created_at = published - timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 8))
        event.published_at = published if spec.state != "draft" else None
        event.updated_at = published if spec.state != "draft" else event.created_at
        db.session.flush()
        if spec.state == "cancelled":
            events.cancel_event(actor, event, spec.cancel_reason)
        if past and spec.state == "published":
            _attendance(rng, event)
        db.session.commit()
        self.created["events"] += 1
        self.created["registrations"] += made
        when = "past" if past else ("draft" if spec.state == "draft" else
                                    "registration not open yet" if not registering else "upcoming")
        self.echo(f"demo: [{index}/{len(EVENTS)}] {spec.title} — {when}, {made} registrations "
                  f"({time.monotonic() - started:.1f}s)")

    def _size(self, spec: E) -> tuple[int | None, int]:
        """Capacity and number of registrants, scaled to the number of participants."""
        n = len(self.pool)
        if spec.full:
            capacity = min(spec.capacity, max(4, int(n * 0.3)))
            return capacity, min(n, capacity + max(3, math.ceil(capacity * 0.15)))
        if spec.approval:
            return spec.capacity, min(n, int(spec.capacity * 1.3), max(6, int(n * spec.share)))
        if spec.capacity:
            return spec.capacity, min(n, int(spec.capacity * spec.fill), int(n * spec.share))
        return None, min(n, int(n * spec.share))

    def _pick(self, rng: random.Random, spec: E, wanted: int) -> list[int]:
        preferred = [uid for uid, persona in self.pool if persona in spec.prefer]
        others = [uid for uid, persona in self.pool if persona not in spec.prefer]
        rng.shuffle(preferred)
        rng.shuffle(others)
        take = min(len(preferred), int(wanted * 0.7))
        chosen = preferred[:take] + others[:wanted - take]
        if len(chosen) < wanted:
            chosen += preferred[take:take + wanted - len(chosen)]
        rng.shuffle(chosen)
        return chosen

    def _register_all(self, rng: random.Random, spec: E, event: Event, actor: User, wanted: int) -> int:
        chosen = self._pick(rng, spec, wanted)
        if spec.demo == "confirmed":
            chosen.insert(0, self.demo_user_id)
        users = _load_users(chosen + ([self.demo_user_id] if spec.demo == "waitlisted" else []))
        taken: dict[tuple[int, str], int] = {}
        made = []
        for i, user_id in enumerate(chosen, 1):
            answers = self._answers(rng, spec, event, taken)
            sessions = self._sessions(rng, spec, event)
            made.append(registrations.register(users[user_id], event, answers, sessions))
            if i % 1000 == 0:
                self.echo(f"demo:   {spec.title}: {i}/{len(chosen)}")

        if spec.approval:  # the organiser has worked through the oldest applications
            approved = made[:len(made) // 2]
            rejected = made[len(approved):len(approved) + min(2, (len(made) - len(approved)) // 3)]
            if approved:
                registrations.approve(actor, approved)
            if rejected:
                registrations.reject(actor, rejected,
                                     reason="本期名额优先邀请已在闵行创业的海外人才，欢迎关注后续活动。")

        confirmed = [r for r in made
                     if r.status == RegStatus.CONFIRMED.value and r.user_id != self.demo_user_id]
        cancels = round(len(confirmed) * spec.cancel_share)
        if spec.full:  # cancellations let the waiting list in, but the event stays full
            waiting = sum(1 for r in made if r.status == RegStatus.WAITLISTED.value)
            cancels = min(cancels, max(0, waiting - 1))
        for registration in rng.sample(confirmed, cancels):
            registrations.cancel(users[registration.user_id], registration, reason=rng.choice(CANCEL_REASONS))

        if spec.demo == "waitlisted":
            made.append(registrations.register(users[self.demo_user_id], event,
                                               self._answers(rng, spec, event, taken), None))
        return len(made)

    def _answers(self, rng: random.Random, spec: E, event: Event, taken: dict) -> dict:
        answers = {}
        for q, question in zip(spec.questions, event.questions):
            if not q.required and rng.random() > q.rate:
                continue
            kind = QuestionKind(q.kind)
            if kind == QuestionKind.SINGLE:
                labels = question.choice_labels
                weights = list(q.weights) or [1] * len(labels)
                limits = question.limited_choices
                for j, label in enumerate(labels):  # a choice that ran out is no longer offered
                    if label in limits and taken.get((question.id, label), 0) >= limits[label]:
                        weights[j] = 0
                value = rng.choices(labels, weights)[0]
                taken[(question.id, value)] = taken.get((question.id, value), 0) + 1
            elif kind == QuestionKind.MULTIPLE:
                labels = question.choice_labels
                value = rng.sample(labels, rng.randint(1, min(3, len(labels))))
            elif kind in (QuestionKind.TEXT, QuestionKind.LONG_TEXT):
                value = rng.choice(q.pool)
            elif kind == QuestionKind.NUMBER:
                value = rng.randrange(q.low, q.high + 1, q.step)
            else:  # a date around the event
                value = (self.today + timedelta(days=spec.day + rng.randint(q.low, q.high))).isoformat()
            answers[str(question.id)] = value
        return answers

    @staticmethod
    def _sessions(rng: random.Random, spec: E, event: Event) -> list[int] | None:
        if not spec.sessions:
            return None
        by_title = {s.title: s.id for s in event.sessions}
        picked = [by_title[s.title] for s in spec.sessions if rng.random() < s.pick]
        return picked or None  # no pick means the whole agenda

    # -- summary ------------------------------------------------------------------------
    def _summary(self) -> str:
        def count(query):
            return db.session.scalar(query) or 0

        users = count(sa.select(sa.func.count()).select_from(User))
        staff = count(sa.select(sa.func.count(sa.distinct(UserRole.user_id))))
        series = count(sa.select(sa.func.count()).select_from(Series))
        by_status = dict(db.session.execute(
            sa.select(Event.status, sa.func.count()).group_by(Event.status)).all())
        past = count(sa.select(sa.func.count()).select_from(Event).where(
            Event.status == EventStatus.PUBLISHED.value, Event.ends_at < self.now))
        sessions = count(sa.select(sa.func.count()).select_from(EventSession))
        questions = count(sa.select(sa.func.count()).select_from(Question))
        regs = dict(db.session.execute(
            sa.select(Registration.status, sa.func.count()).group_by(Registration.status)).all())
        outbox = count(sa.select(sa.func.count()).select_from(OutboxMessage))
        from app.checkin.models import Scan

        scans = count(sa.select(sa.func.count()).select_from(Scan))
        published = by_status.get(EventStatus.PUBLISHED.value, 0)
        reg_text = ", ".join(f"{s.value} {regs.get(s.value, 0)}" for s in RegStatus)
        return (f"Demo data: {users} users ({staff} staff, {users - staff} participants); "
                f"{series} series; {sum(by_status.values())} events ({published} published: {past} past, "
                f"{published - past} upcoming; {by_status.get(EventStatus.DRAFT.value, 0)} draft; "
                f"{by_status.get(EventStatus.CANCELLED.value, 0)} cancelled) with {sessions} agenda sessions "
                f"and {questions} questions; {sum(regs.values())} registrations ({reg_text}); "
                f"{scans} check-in scans; {outbox} notifications in the outbox.")


DOORS = ("北门 · 3f9a1c", "南门 · 7b20de", "服务台 · c41e05")


def _attendance(rng: random.Random, event: Event) -> None:
    """Scans of a past event: most confirmed people arrive around the start, a few scan twice,
    and those holding a seat attend most sessions. Written straight into the scan table, as
    the check-in service only accepts scans made at the time they happen."""
    from app.checkin import services as checkin
    from app.checkin.models import Scan, ScanResult

    rows = []

    def add(checkpoint, registration_id, at, result=ScanResult.OK):
        at = min(at, event.ends_at)
        rows.append({"checkpoint_id": checkpoint.id, "registration_id": registration_id, "direction": "in",
                     "result": result.value, "scanned_at": at, "received_at": at + timedelta(seconds=1),
                     "device": rng.choice(DOORS), "detail": {}})

    main, *sessions = checkin.ensure_checkpoints(event)
    arrived = {}
    for registration_id in sorted(checkin.expected_ids(main)):
        if rng.random() < 0.86:
            minutes = max(-60.0, min(40.0, rng.gauss(-12, 14)))
            arrived[registration_id] = event.starts_at + timedelta(minutes=minutes)
            add(main, registration_id, arrived[registration_id])
            if rng.random() < 0.04:  # shown the ticket again at another door
                add(main, registration_id, arrived[registration_id] + timedelta(minutes=rng.randint(1, 30)),
                    ScanResult.ALREADY_CHECKED_IN)
    for checkpoint in sessions:
        start = checkpoint.session.starts_at
        for registration_id in sorted(checkin.expected_ids(checkpoint) & arrived.keys()):
            if rng.random() < 0.8:
                add(checkpoint, registration_id, max(arrived[registration_id],
                                                     start + timedelta(minutes=rng.gauss(-6, 5))))
    if rows:
        db.session.execute(sa.insert(Scan), rows)


def _warp_times(event_id: int, load_from: datetime, load_to: datetime, to_from: datetime,
                to_to: datetime) -> None:
    """Spread what the loader did in a few seconds over the event's registration period.

    The map is monotonic (affine), so every order the services relied on — the waiting-list
    queue, approval order, history — is kept exactly.
    """
    span = max((load_to - load_from).total_seconds(), 1e-3)
    scale = (to_to - to_from).total_seconds() / span

    def warp(value: datetime) -> datetime:
        return to_from + timedelta(seconds=(value - load_from).total_seconds() * scale)

    for r in db.session.scalars(sa.select(Registration).where(Registration.event_id == event_id)):
        r.created_at, r.queued_at, r.status_changed_at = warp(r.created_at), warp(r.queued_at), \
            warp(r.status_changed_at)
    for h in db.session.scalars(sa.select(RegistrationHistory).join(Registration)
                                .where(Registration.event_id == event_id)):
        h.at = warp(h.at)
    for b in db.session.scalars(sa.select(SessionBooking).join(Registration)
                                .where(Registration.event_id == event_id)):
        b.queued_at = warp(b.queued_at)
    # The loader is the only writer, so the mail queued meanwhile is this event's.
    for m in db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.created_at >= load_from,
                                                               OutboxMessage.created_at <= load_to)):
        m.created_at = warp(m.created_at)
    db.session.flush()


def _load_users(ids) -> dict[int, User]:
    users = {}
    for chunk in _chunks(sorted(set(ids)), 500):
        for user in db.session.scalars(sa.select(User).where(User.id.in_(chunk))):
            users[user.id] = user
    return users


def _chunks(items, size):
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i:i + size]
