"""The demo programme's people, stores and texts (Shenzhen stores, Chinese names, mail domains)."""

from internships.models import District

STORES = [
    # code, Chinese name, English name, district, Chinese address, English address
    (
        "sz-futian-cocopark",
        "小米之家 深圳福田COCO Park店",
        "Xiaomi Store Futian COCO Park",
        District.FUTIAN,
        "深圳市福田区福华三路268号COCO Park B1层",
        "B1, COCO Park, 268 Fuhua 3rd Rd, Futian",
    ),
    (
        "sz-futian-huaqiang",
        "小米之家 深圳华强北店",
        "Xiaomi Store Huaqiangbei",
        District.FUTIAN,
        "深圳市福田区华强北路1019号",
        "1019 Huaqiang North Rd, Futian",
    ),
    (
        "sz-nanshan-coastal",
        "小米之家 深圳南山海岸城店",
        "Xiaomi Store Nanshan Coastal City",
        District.NANSHAN,
        "深圳市南山区文心五路33号海岸城2层",
        "2F, Coastal City, 33 Wenxin 5th Rd, Nanshan",
    ),
    (
        "sz-baoan-uniwalk",
        "小米之家 深圳宝安壹方城店",
        "Xiaomi Store Bao'an Uniwalk",
        District.BAOAN,
        "深圳市宝安区新湖路99号壹方城L1层",
        "L1, Uniwalk, 99 Xinhu Rd, Bao'an",
    ),
    (
        "sz-luohu-mixc",
        "小米之家 深圳罗湖万象城店",
        "Xiaomi Store Luohu MixC",
        District.LUOHU,
        "深圳市罗湖区宝安南路1881号万象城B1层",
        "B1, MixC, 1881 Bao'an South Rd, Luohu",
    ),
    (
        "sz-luohu-dongmen",
        "小米之家 深圳东门店",
        "Xiaomi Store Dongmen",
        District.LUOHU,
        "深圳市罗湖区解放路东门步行街",
        "Dongmen Pedestrian Street, Jiefang Rd, Luohu",
    ),
    (
        "sz-baoan-xixiang",
        "小米之家 深圳宝安西乡店",
        "Xiaomi Store Bao'an Xixiang",
        District.BAOAN,
        "深圳市宝安区西乡大道298号",
        "298 Xixiang Ave, Bao'an",
    ),
    (
        "sz-longgang-wanda",
        "小米之家 深圳龙岗万达广场店",
        "Xiaomi Store Longgang Wanda Plaza",
        District.LONGGANG,
        "深圳市龙岗区龙岗大道8033号万达广场1层",
        "1F, Wanda Plaza, 8033 Longgang Ave, Longgang",
    ),
    (
        "sz-longgang-dayun",
        "小米之家 深圳大运店",
        "Xiaomi Store Dayun",
        District.LONGGANG,
        "深圳市龙岗区龙飞大道大运天地",
        "Dayun Tiandi, Longfei Ave, Longgang",
    ),
    (
        "sz-longhua-hongshan",
        "小米之家 深圳龙华红山6979店",
        "Xiaomi Store Longhua Hongshan 6979",
        District.LONGHUA,
        "深圳市龙华区民治大道红山6979",
        "Hongshan 6979, Minzhi Ave, Longhua",
    ),
    (
        "sz-guangming-mall",
        "小米之家 深圳光明大仟里店",
        "Xiaomi Store Guangming Daqianli",
        District.GUANGMING,
        "深圳市光明区光明大街大仟里购物中心",
        "Daqianli Mall, Guangming St, Guangming",
    ),
    (
        "sz-pingshan-center",
        "小米之家 深圳坪山益田假日世界店",
        "Xiaomi Store Pingshan Holiday World",
        District.PINGSHAN,
        "深圳市坪山区坪山大道益田假日世界",
        "Yitian Holiday World, Pingshan Ave, Pingshan",
    ),
]

MENTORS = [
    "陈志强",
    "林晓燕",
    "黄伟",
    "张丽娜",
    "刘洋",
    "周静",
    "吴俊杰",
    "郑秀英",
    "王磊",
    "李婷",
    "赵鹏",
    "孙佳怡",
    "杨帆",
    "何敏",
    "罗建华",
    "谢雨欣",
]

STUDENTS = [
    ("王小明", "Xiaoming Wang"),
    ("李思雨", ""),
    ("张浩然", "Howard Zhang"),
    ("刘欣怡", ""),
    ("陈子轩", ""),
    ("杨梓涵", "Hannah Yang"),
    ("黄俊熙", ""),
    ("赵雨桐", ""),
    ("周宇航", ""),
    ("吴诗琪", "Cindy Wu"),
    ("徐嘉豪", ""),
    ("孙语嫣", ""),
    ("胡博文", ""),
    ("朱可馨", ""),
    ("高梓睿", ""),
    ("林雅琪", "Kiki Lin"),
    ("何俊宇", ""),
    ("郭若曦", ""),
    ("马浩宇", ""),
    ("罗一诺", ""),
    ("梁子豪", "Jason Liang"),
    ("宋佳琪", ""),
    ("郑天佑", ""),
    ("谢欣然", ""),
    ("韩明轩", ""),
    ("唐紫涵", ""),
    ("冯宇轩", ""),
    ("于思彤", ""),
    ("董文博", ""),
    ("萧雨萱", ""),
]

MAIL_DOMAINS = ["qq.com", "163.com", "126.com", "foxmail.com", "stu.sztu.edu.cn"]


ENROLLED_STUDENTS = 12  # the Autumn 2026 cohort, taking the courses now
NOT_YET_APPLIED = 22  # students from here on have not applied to the open cohort
MAJORS = ["市场营销", "电子商务", "工商管理", "物流管理", "国际经济与贸易"]
DEMO_CV = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/MediaBox[0 0 595 842]/Parent 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
MOTIVATION = (
    "我在小米之家做过兼职，发现门店把线上会员和线下体验结合得很好。希望通过这个项目系统学习新零售的门店运营和客户体验，"
    "也希望毕业后能加入小米，把学到的数据分析能力用在门店经营上。"
)

# The Spring 2026 cohort: graduates of the whole programme, with results and certificates.
GRADUATES = [
    ("陈思远", "Siyuan Chen"),
    ("林嘉怡", ""),
    ("黄子豪", "Howard Huang"),
    ("吴雨晴", ""),
    ("邓浩然", ""),
    ("曾婉婷", "Tina Zeng"),
    ("许文静", ""),
]
# The levels each graduate's mentor gave (the same every week, the final one a step up where
# possible), in the order of the graduates' e-mails: three distinctions, two merits, a pass and
# one who did not pass.
GRADUATE_LEVELS = [5, 5, 4, 3, 2, 1, 3]

REFLECTION = {
    "learned": "这一周我学会了向顾客介绍小米手机和智能家居产品的主要卖点，也熟悉了门店的开单和收银流程。",
    "difficult": "周末顾客很多，我一开始不知道先接待哪一位；遇到售后问题时也需要请导师帮忙解答。",
    "goal": "下周我希望能独立完成一次完整的销售，并且主动向顾客推荐合适的配件和延保服务。",
}
EVALUATION_COMMENTS = {
    5: "主动、热情，顾客评价很好，已经能独立完成销售。",
    4: "进步明显，产品知识扎实，高峰时段还需要更从容。",
    3: "能按流程接待顾客，需要更主动地了解顾客需求。",
    2: "态度认真，但产品知识和销售技巧还需要加强。",
    1: "多次迟到，对反馈不够重视，需要明显改进。",
}
MENTOR_REPLY = "写得很具体！下周高峰时段先招呼每位顾客，再按顺序接待，有问题随时问我。"

# The graduates' recommendations to Xiaomi (demo.recommendations), by the graduate's e-mail.
# The one passing graduate who has not given the hiring consent (staff can ask them for it):
NO_HIRING_CONSENT = "202200003@126.com"
RECOMMENDATION_JUSTIFICATIONS = {
    "202200001@qq.com": "三周门店实习全部获得导师“优秀”评价，能独立完成整单销售，顾客满意度高，导师明确推荐录用。",
    "202200002@163.com": "五门课程测验均为满分，门店实习中主动学习智能家居产品，高峰时段接待从容，导师推荐录用。",
    "202200004@foxmail.com": "实习期间进步明显，产品知识扎实，做事踏实可靠，适合门店销售岗位。",
    "202200006@qq.com": "态度认真，出勤良好，愿意从门店基础岗位做起，希望获得面试机会。",
    "alumni05@stu.sztu.edu.cn": "沟通能力好，能按流程接待顾客，对新零售运营有兴趣，推荐参加面试。",
}
INTERVIEW_PLACE = "小米深圳分公司 南山区科兴科学园B栋（人力资源部）"
