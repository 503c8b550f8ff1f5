"""The demo programme: one open cohort, five courses, Shenzhen stores, mentors and people."""

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import Language, Role, User
from courses.models import Course
from notifications.services import reminders_plan_daily

from .models import Cohort, District, Mentor, Store

COURSES = [
    ("NR101", "新零售基础", "New Retail Fundamentals"),
    ("NR102", "消费者洞察与客户体验", "Consumer Insight and Customer Experience"),
    ("NR103", "门店运营与商品陈列", "Store Operations and Merchandising"),
    ("NR104", "全渠道营销与销售", "Omnichannel Marketing and Sales"),
    ("NR105", "智能产品与生态链", "Smart Products and the Device Ecosystem"),
]

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


def _person(email, full_name, role, password_hash, **extra) -> User:
    user, _ = User.objects.update_or_create(
        email=email,
        defaults={
            "full_name": full_name,
            "role": role,
            "password": password_hash,
            "is_active": True,
            **extra,
        },
    )
    return user


@transaction.atomic
def build_demo(password: str) -> list[tuple[str, str]]:
    """Create or update the demo data; returns (role label, e-mail) of the demo sign-ins."""
    today = timezone.localdate()
    # One hash for every demo account: hashing 50 passwords separately takes tens of seconds.
    password = make_password(password)
    for order, (code, zh, en) in enumerate(COURSES, start=1):
        Course.objects.update_or_create(code=code, defaults={"title_zh": zh, "title_en": en, "order": order})

    Cohort.objects.update_or_create(
        code="2027-spring",
        defaults={
            "name_zh": "2027年春季班",
            "name_en": "Spring 2027 cohort",
            "status": Cohort.Status.OPEN,
            "applications_open_on": today - timedelta(days=10),
            "applications_close_on": today + timedelta(days=25),
            "target_size": 40,
        },
    )

    stores = []
    for i, (code, name_zh, name_en, district, addr_zh, addr_en) in enumerate(STORES):
        store, _ = Store.objects.update_or_create(
            code=code,
            defaults={
                "name_zh": name_zh,
                "name_en": name_en,
                "district": district,
                "address_zh": addr_zh,
                "address_en": addr_en,
                "phone": f"0755-8{i:03d}{(i * 37) % 10000:04d}",
                "opening_hours": "10:00–22:00",
                "is_active": True,
                "is_training_store": i != 11,
            },
        )
        stores.append(store)

    sign_ins = []
    for i, name in enumerate(MENTORS):
        store = stores[i % len(stores)]
        user = _person(f"mentor{i + 1:02d}@xiaomi-demo.cn", name, Role.MENTOR, password)
        # Most certifications are valid; one has lapsed and one lapses soon, so the HR page has work.
        expires = today + timedelta(days=[400, 300, 30, -5][i % 4] if i < 4 else 365 + i)
        Mentor.objects.update_or_create(
            user=user,
            defaults={
                "store": store,
                "certified_on": expires - timedelta(days=730),
                "certification_expires_on": expires,
                "capacity": 2 + i % 2,
            },
        )
        if i == 0:
            sign_ins.append((Role.MENTOR.label, user.email))

    people = [
        ("staff@sztu-demo.cn", "李老师", Role.STAFF, {"english_name": "Ms Li"}),
        ("career@sztu-demo.cn", "陈主任", Role.STAFF, {}),
        ("hr@xiaomi-demo.cn", "张经理", Role.HR, {"english_name": "Grace Zhang"}),
        ("admin@sztu-demo.cn", "系统管理员", Role.ADMIN, {"is_staff": True, "is_superuser": True}),
    ]
    for email, name, role, extra in people:
        user = _person(email, name, role, password, **extra)
        if email != "career@sztu-demo.cn":
            sign_ins.append((role.label, user.email))

    for i, (name, english) in enumerate(STUDENTS):
        domain = MAIL_DOMAINS[i % len(MAIL_DOMAINS)]
        user = _person(
            f"2023{i + 1:05d}@{domain}" if domain != "stu.sztu.edu.cn" else f"student{i + 1:02d}@{domain}",
            name,
            Role.STUDENT,
            password,
            english_name=english,
            language=Language.EN if english and i % 2 else Language.ZH_HANS,
            phone=f"13{(i * 7919) % 1000000000:09d}",
        )
        if i == 0:
            sign_ins.insert(0, (Role.STUDENT.label, user.email))
    # Plan today's reminders and digests now, so the demo's worker has mail to send at once.
    reminders_plan_daily()
    return sign_ins
