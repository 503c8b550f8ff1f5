"""The default new-retail rubric a cohort starts with: six criteria, five described levels each.

Staff edit it per cohort on the rubric page; these texts are only the starting point.
"""

DEFAULT_CRITERIA = [
    {
        "name_zh": "产品知识",
        "name_en": "Product knowledge",
        "levels_zh": [
            "说不出主要产品的卖点，需要同事代答。",
            "了解部分产品，常见问题需要查资料。",
            "能准确介绍主推产品及其主要参数。",
            "熟悉全系产品，能对比竞品并回答追问。",
            "能结合生态链为顾客搭配方案，并带动同事学习。",
        ],
        "levels_en": [
            "Cannot state the key selling points of the main products; colleagues answer for them.",
            "Knows some products; needs to look up common questions.",
            "Presents the featured products and their main specifications accurately.",
            "Knows the whole range, compares it with competitors and handles follow-up questions.",
            "Builds ecosystem bundles for customers and helps colleagues learn.",
        ],
    },
    {
        "name_zh": "顾客服务",
        "name_en": "Customer service",
        "levels_zh": [
            "很少主动接待顾客，或态度冷淡。",
            "能接待顾客，但不善于了解需求。",
            "主动礼貌地接待，能了解并回应顾客需求。",
            "能处理较难的顾客和售后问题，顾客满意。",
            "顾客点名表扬，能妥善化解投诉。",
        ],
        "levels_en": [
            "Rarely approaches customers, or is unwelcoming.",
            "Greets customers but does not find out what they need.",
            "Greets customers politely, finds out and answers their needs.",
            "Handles difficult customers and after-sales questions to their satisfaction.",
            "Praised by customers by name; resolves complaints well.",
        ],
    },
    {
        "name_zh": "销售技巧",
        "name_en": "Sales skills",
        "levels_zh": [
            "尚未尝试促成交易。",
            "能介绍产品，但很少促成成交。",
            "能按门店流程完成销售，包括开单与收银。",
            "善于推荐配件和服务，客单价高于平均。",
            "销售表现达到门店正式员工水平。",
        ],
        "levels_en": [
            "Has not yet tried to close a sale.",
            "Presents products but seldom closes a sale.",
            "Completes a sale by the store's process, order and payment included.",
            "Suggests accessories and services well; above-average basket size.",
            "Sells at the level of the store's permanent staff.",
        ],
    },
    {
        "name_zh": "团队合作",
        "name_en": "Teamwork",
        "levels_zh": [
            "很少与同事配合，需要反复提醒。",
            "能完成分配的任务，但较少沟通。",
            "与同事配合良好，主动沟通交接。",
            "主动补位，帮助同事完成高峰时段的工作。",
            "在团队中起带头作用，提出改进建议。",
        ],
        "levels_en": [
            "Seldom works with colleagues; needs repeated reminders.",
            "Does the tasks given but communicates little.",
            "Works well with colleagues and hands over clearly.",
            "Steps in to help colleagues at busy times.",
            "Leads by example in the team and proposes improvements.",
        ],
    },
    {
        "name_zh": "职业素养与守时",
        "name_en": "Professionalism and punctuality",
        "levels_zh": [
            "多次迟到或着装、言行不符合门店规范。",
            "偶有迟到，需要提醒门店规范。",
            "准时到岗，着装与言行符合门店规范。",
            "始终准时可靠，遵守流程并注意细节。",
            "堪称表率，能提醒他人遵守规范。",
        ],
        "levels_en": [
            "Late several times, or dress and manner not to the store's standard.",
            "Occasionally late; needs reminders of the store's standards.",
            "On time; dress and manner meet the store's standards.",
            "Always punctual and reliable; follows procedures with care.",
            "A model to others; reminds colleagues of the standards.",
        ],
    },
    {
        "name_zh": "学习态度",
        "name_en": "Learning attitude",
        "levels_zh": [
            "对反馈不感兴趣，重复同样的错误。",
            "接受反馈，但改进较慢。",
            "虚心接受反馈并及时改进。",
            "主动提问和学习，进步明显。",
            "自主学习新产品与新方法，并分享给团队。",
        ],
        "levels_en": [
            "Shows no interest in feedback; repeats the same mistakes.",
            "Accepts feedback but improves slowly.",
            "Takes feedback well and improves promptly.",
            "Asks questions and seeks to learn; clear progress.",
            "Learns new products and methods on their own and shares them with the team.",
        ],
    },
]
