"""Invented people for the demo: names, phones and ID numbers that pass their checks but
belong to nobody."""

import random
from datetime import date, timedelta

__all__ = ["fake_name", "fake_phone", "fake_id_number", "fake_address"]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰春梅海燕文博"
STREETS = ["府前大街", "钢都大街", "艾山路", "汶源大街", "颜庄路", "里辛路", "棋山大街", "新兴路"]

_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"


def fake_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def fake_phone(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"


def fake_id_number(rng: random.Random) -> str:
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55))
    body = f"370117{born:%Y%m%d}{rng.randrange(1000):03d}"
    total = sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True))
    return body + _CHECK[total % 11]


def fake_address(rng: random.Random) -> str:
    return f"钢城区{rng.choice(STREETS)}{rng.randrange(1, 300)}号{rng.randrange(1, 20)}号楼"
