"""The bureau's programmes and their tiers, as data (from the 2022–2024 talent action plan):
the same cohort machinery serves the tiered camps, trainee batches and seminars."""
from __future__ import annotations

PROGRAMMES = (
    {"code": "startup-camp", "name": "创业人才梯度培育计划", "kind": "camp", "department": "employment",
     "description": "每两年优选60名创业企业或团队创始人，以“集中授课+延伸服务”的方式分梯度重点培育；"
                    "培育期满后，对优秀学员给予扶持待遇。",
     "tiers": (
         {"code": "incubation", "name": "创业孵化营", "rank": 1, "default_capacity": 25,
          "description": "初创期：商业模式梳理、政策与融资入门。"},
         {"code": "growth", "name": "创业成长营", "rank": 2, "default_capacity": 20,
          "description": "成长期：团队管理、市场拓展、股权与财税。"},
         {"code": "acceleration", "name": "创业加速营", "rank": 3, "default_capacity": 15,
          "description": "加速期：资本对接、品牌与规模化。"},
     )},
    {"code": "traineeship", "name": "职业见习与大学生社会实践", "kind": "traineeship", "department": "employment",
     "description": "三年覆盖1500名青年的职业见习和大学生社会实践项目。",
     "tiers": ({"code": "batch", "name": "见习批次", "rank": 1, "default_capacity": 50,
                "rules": {"min_attendance": 0.9, "min_score": 60.0, "distinction_score": 90.0,
                          "distinction_top_share": 0.1}},)},
    {"code": "talent-seminar", "name": "人才研修班", "kind": "seminar", "department": "talent_dev",
     "description": "面向领军人才与专业技术人才的专题研修。",
     "tiers": ({"code": "seminar", "name": "专题研修班", "rank": 1, "default_capacity": 40},)},
)
