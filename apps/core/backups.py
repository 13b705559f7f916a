"""Backups and the restore drill (docs/deploy.md §10–11, REL-05): a consistent copy of the database and the
uploaded files with a manifest of every table's row count and checksum, and a drill that restores a copy into a
fresh database and compares it with the manifest.

The manifest and the copy describe the same instant while the system keeps working: on PostgreSQL the manifest is
computed in a repeatable-read transaction whose snapshot ``pg_dump --snapshot`` exports; on SQLite in the read
transaction during which the online backup API copies the pages. A table's checksum is the md5 of its rows' md5s
in sorted order, so neither row order nor storage layout changes it.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connections
from django.utils import timezone
from psycopg import sql

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Difference:
    table: str
    expected: dict | None
    found: dict | None


@dataclass(frozen=True)
class DrillResult:
    tables: int
    rows: int
    media_files: int
    differences: list[Difference]
    media_differences: list[str]

    @property
    def identical(self) -> bool:
        return not self.differences and not self.media_differences


def back_up(directory: Path, *, alias: str = "default", media_root: Path | None = None) -> Path:
    """Write the database, the uploaded files and the manifest into a new folder under ``directory``."""
    connection = connections[alias]
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    target = Path(directory) / f"yingshang-{stamp}"
    target.mkdir(parents=True, exist_ok=False)
    if connection.vendor == "postgresql":
        file, tables = _dump_postgres(pg_params(connection.settings_dict), target / "database.dump")
    else:
        connection.ensure_connection()
        file, tables = _copy_sqlite(connection.connection, target / "database.sqlite3")
    manifest = {
        "created_at": timezone.localtime().isoformat(),
        "vendor": connection.vendor,
        "database": {"file": file.name, "sha256": _sha256(file)},
        "tables": tables,
        "media": _archive_media(Path(media_root or settings.MEDIA_ROOT), target / "media.tar.gz"),
    }
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return target


def restore_drill(backup: Path, *, alias: str = "default", keep: bool = False) -> DrillResult:
    """Restore ``backup`` into a fresh database (and a fresh folder for the files) and compare with its manifest."""
    backup = Path(backup)
    manifest = json.loads((backup / MANIFEST).read_text(encoding="utf-8"))
    file = backup / manifest["database"]["file"]
    if _sha256(file) != manifest["database"]["sha256"]:
        raise ValueError(f"备份文件 {file} 的校验值与清单不符：文件已损坏或被改动")
    if manifest["vendor"] == "postgresql":
        found = _restore_postgres(pg_params(connections[alias].settings_dict), file, keep=keep)
    else:
        found = _restore_sqlite(file)
    media_differences = _check_media(backup / manifest["media"]["file"], manifest["media"]["files"])
    expected = manifest["tables"]
    return DrillResult(
        tables=len(expected),
        rows=sum(figures["rows"] for figures in expected.values()),
        media_files=len(manifest["media"]["files"]),
        differences=[
            Difference(table, expected.get(table), found.get(table))
            for table in sorted(expected.keys() | found.keys())
            if expected.get(table) != found.get(table)
        ],
        media_differences=media_differences,
    )


# PostgreSQL ------------------------------------------------------------------------------------------------------


def pg_params(settings_dict: dict) -> dict:
    params = {"dbname": settings_dict["NAME"], "user": settings_dict["USER"] or None}
    params |= {"host": settings_dict["HOST"] or None, "port": settings_dict["PORT"] or None}
    params["password"] = settings_dict["PASSWORD"] or None
    return {key: value for key, value in params.items() if value is not None}


def _pg_env(params: dict) -> dict:
    names = {"host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD", "dbname": "PGDATABASE"}
    return os.environ | {names[key]: str(value) for key, value in params.items()}


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(
            f"没有找到 {name}：请安装与数据库同版本的 PostgreSQL 客户端（Debian 软件包 postgresql-client）"
        )
    return found


def _dump_postgres(params: dict, file: Path) -> tuple[Path, dict]:
    with psycopg.connect(**params, autocommit=True) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        dump = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
            [_program("pg_dump"), "--format=custom", f"--snapshot={snapshot}", f"--file={file}"],
            env=_pg_env(params),
            stderr=subprocess.PIPE,
        )
        tables = _pg_figures(conn)  # in the same snapshot, while pg_dump reads it
        _, error = dump.communicate()
        conn.execute("ROLLBACK")
    if dump.returncode:
        raise RuntimeError(f"pg_dump 失败：{error.decode(errors='replace').strip()}")
    return file, tables


def _restore_postgres(params: dict, file: Path, *, keep: bool) -> dict:
    fresh = f"{params['dbname']}_drill_{timezone.localtime():%Y%m%d%H%M%S}"[:63]
    with psycopg.connect(**(params | {"dbname": "postgres"}), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(fresh)))
        try:
            restore = subprocess.run(  # noqa: S603 - fixed arguments, no shell
                [
                    _program("pg_restore"),
                    "--single-transaction",
                    "--exit-on-error",
                    "--no-owner",
                    f"--dbname={fresh}",
                    str(file),
                ],
                env=_pg_env(params),
                capture_output=True,
            )
            if restore.returncode:
                raise RuntimeError(f"pg_restore 失败：{restore.stderr.decode(errors='replace').strip()}")
            with psycopg.connect(**(params | {"dbname": fresh})) as conn:
                return _pg_figures(conn)
        finally:
            if not keep:
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(fresh)))


def _pg_figures(conn) -> dict:
    tables = conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    ).fetchall()
    figures = {}
    for (table,) in tables:
        rows, checksum = conn.execute(
            sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(h, '' ORDER BY h), '')) "
                "FROM (SELECT md5(t::text) AS h FROM {} AS t) AS rows"
            ).format(sql.Identifier(table))
        ).fetchone()
        figures[table] = {"rows": rows, "checksum": checksum}
    return figures


# SQLite ----------------------------------------------------------------------------------------------------------


def _copy_sqlite(source: sqlite3.Connection, file: Path) -> tuple[Path, dict]:
    in_transaction = source.in_transaction
    if not in_transaction:
        source.execute("BEGIN")
    try:
        tables = _sqlite_figures(source)
        target = sqlite3.connect(file)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        if not in_transaction:
            source.execute("ROLLBACK")
    return file, tables


def _restore_sqlite(file: Path) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        restored = Path(folder) / "restored.sqlite3"
        shutil.copyfile(file, restored)
        conn = sqlite3.connect(restored)
        try:
            (check,) = conn.execute("PRAGMA integrity_check").fetchone()
            if check != "ok":
                raise RuntimeError(f"恢复的 SQLite 数据库未通过完整性检查：{check}")
            return _sqlite_figures(conn)
        finally:
            conn.close()


def _sqlite_figures(conn: sqlite3.Connection) -> dict:
    tables = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    figures = {}
    for (table,) in tables:
        columns = [row[1] for row in conn.execute(f"PRAGMA table_info({_quote(table)})")]
        # quote() gives each stored value as SQL text, whatever converters the connection applies to its types
        values = ", ".join(f"quote({_quote(column)})" for column in columns)
        rows = conn.execute(f"SELECT {values} FROM {_quote(table)}")  # noqa: S608 - names from the schema
        hashes = sorted(_md5("|".join(row)) for row in rows)
        figures[table] = {"rows": len(hashes), "checksum": _md5("".join(hashes))}
    return figures


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# Uploaded files --------------------------------------------------------------------------------------------------


def _archive_media(root: Path, file: Path) -> dict:
    files = {}
    with tarfile.open(file, "w:gz") as archive:
        for path in sorted(root.rglob("*")) if root.is_dir() else []:
            if path.is_file():
                name = path.relative_to(root).as_posix()
                files[name] = _sha256(path)
                archive.add(path, arcname=name)
    return {"file": file.name, "files": files}


def _check_media(file: Path, expected: dict) -> list[str]:
    """Extract the archive into a fresh folder; name every file missing, changed or unexpected."""
    with tempfile.TemporaryDirectory() as folder, tarfile.open(file) as archive:
        archive.extractall(folder, filter="data")
        found = {
            path.relative_to(folder).as_posix(): _sha256(path) for path in Path(folder).rglob("*") if path.is_file()
        }
    return sorted(name for name in expected.keys() | found.keys() if expected.get(name) != found.get(name))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()
