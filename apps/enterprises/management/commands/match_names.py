"""python manage.py match_names FILE.tsv — the app's own matcher on pairs of names, one verdict per line."""

import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.enterprises.matching.compare import GROUP_THRESHOLD, SAME_THRESHOLD, compare_names
from apps.enterprises.matching.reasons import describe


class Command(BaseCommand):
    help = (
        "读取两列名称（UTF-8，制表符分隔；文件名为 - 时读标准输入），逐行输出判断（same 同一企业 / group 同一集团 / "
        "different 不同企业）、得分和理由，与系统查重所用的比对完全相同。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="TSV 文件：每行两个企业名称，以制表符分隔")
        parser.add_argument("--same-threshold", type=float, default=SAME_THRESHOLD, help="判为同一企业的最低得分")
        parser.add_argument("--group-threshold", type=float, default=GROUP_THRESHOLD, help="判为同一集团的最低得分")
        parser.add_argument("--no-reasons", action="store_true", help="不输出理由列")

    def handle(self, *args, file: str, same_threshold: float, group_threshold: float, no_reasons: bool, **options):
        for number, line in enumerate(self._lines(file), start=1):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            columns = line.split("\t")
            if len(columns) < 2:
                raise CommandError(f"第 {number} 行应有两列（以制表符分隔），实际只有 {len(columns)} 列。")
            result = compare_names(
                columns[0], columns[1], same_threshold=same_threshold, group_threshold=group_threshold
            )
            fields = [result.verdict.value, f"{result.score:.3f}"]
            if not no_reasons:
                fields.append("；".join(describe(reason) for reason in result.reasons))
            self.stdout.write("\t".join(fields))

    def _lines(self, file: str):
        if file == "-":
            yield from sys.stdin
            return
        try:
            with open(file, encoding="utf-8-sig") as lines:
                yield from lines
        except FileNotFoundError as error:
            raise CommandError(f"找不到文件 {file}。") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{file} 不是 UTF-8 编码的文本文件。") from error
