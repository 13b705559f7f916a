"""Plausible but fictional Chinese names, phone numbers and addresses, drawn from a seeded generator."""

import random

# The commonest surnames, roughly in order of frequency (the first ones are drawn more often).
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
SURNAME_WEIGHTS = tuple(1 / (rank + 8) for rank in range(len(SURNAMES)))

# Given-name characters by the sex they usually suggest; the first 30 of each also stand alone (王伟, 李娜).
MALE_CHARACTERS = (
    "伟强磊军洋勇杰涛明超刚辉鑫宇浩凯健俊帆旭博斌波峰亮鹏飞毅昊平文志建国海东成宏然立新振兴德荣福安康永华林睿泽轩航晨"
)
FEMALE_CHARACTERS = "芳娜敏静丽艳娟霞英萍红欣怡雪琳颖婷慧倩兰莉梅凤丹蕾璐瑶悦晶洁秀桂玉佳思嘉涵晓春雨云华平宁月燕琴"
SINGLE_NAME_CHARACTERS = 30

MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139",
    "150", "151", "152", "153", "155", "156", "157", "158", "159",
    "180", "181", "182", "183", "185", "186", "187", "188", "189",
    "191", "193", "195", "198", "199",
)  # fmt: skip

#: the city's (fictional) telephone area code
AREA_CODE = "0999"

ROADS = (
    "人民路", "解放路", "建设路", "中山路", "新华路", "文化路", "迎宾大道", "世纪大道", "科技路", "湖滨路",
    "光明路", "和平路", "长江路", "黄河路", "朝阳路", "振兴路", "团结路", "滨河路", "青年路", "府前街",
    "学府路", "创业大道", "兴业路", "发展大道",
)  # fmt: skip


class Fake:
    """Names, numbers and addresses from one seeded generator; mobile numbers never repeat."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._mobiles: set[str] = set()

    def person_name(self) -> str:
        """A surname and one or two given-name characters (two in most modern names)."""
        surname = self.rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0]
        characters = MALE_CHARACTERS if self.rng.random() < 0.55 else FEMALE_CHARACTERS
        if self.rng.random() < 0.25:
            return surname + self.rng.choice(characters[:SINGLE_NAME_CHARACTERS])
        return surname + "".join(self.rng.sample(characters, 2))

    def mobile(self) -> str:
        """An 11-digit mobile number starting 13/15/18/19, unique within this generator."""
        while True:
            number = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self._mobiles:
                self._mobiles.add(number)
                return number

    def office_phone(self) -> str:
        """A landline in the city's area code, e.g. 0999-86123456."""
        return f"{AREA_CODE}-{self.rng.choice('68')}{self.rng.randrange(10**7):07d}"

    def address(self, area: str) -> str:
        """A street address inside ``area`` (e.g. 示范市东城区人民路 128 号)."""
        return f"{area}{self.rng.choice(ROADS)}{self.rng.randint(1, 399)}号"
