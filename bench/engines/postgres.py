"""PostgreSQL full-text search: a private server started under a temp folder, `russian`/`english`
configurations, a GIN index over a stored tsvector, OR queries ranked by ts_rank_cd."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import time

from .base import Engine, plain_words


def _bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


class PostgresEngine(Engine):
    name = "postgres"
    has_snippets = True

    @classmethod
    def unavailable(cls) -> str | None:
        if not _bin("initdb") or not _bin("pg_ctl"):
            return "no PostgreSQL server binaries (apt-get install postgresql)"
        try:
            import psycopg  # noqa: F401
        except ImportError:
            return "pip install 'psycopg[binary]'"
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                return "running as root without a 'postgres' user to run the server as"
        return None

    def _as_owner(self, args: list[str]) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args

    def build(self, docs: list[dict]) -> None:
        import psycopg

        data = self.workdir / "data"
        if os.geteuid() == 0:
            shutil.chown(self.workdir, "postgres")
        subprocess.run(self._as_owner([_bin("initdb"), "-D", str(data), "-A", "trust", "-U", "bench",
                                       "--encoding=UTF8", "--locale=C.UTF-8"]), check=True, capture_output=True)
        options = f"-c listen_addresses='' -k {self.workdir} -c shared_buffers=256MB -c fsync=off"
        subprocess.run(self._as_owner([_bin("pg_ctl"), "-D", str(data), "-o", options, "-l",
                                       str(self.workdir / "log"), "-w", "start"]), check=True, capture_output=True)
        self.data = data
        for _ in range(50):
            try:
                self.db = psycopg.connect(host=str(self.workdir), user="bench", dbname="postgres", autocommit=True)
                break
            except psycopg.OperationalError:
                time.sleep(0.1)
        self.config = "russian" if self.lang == "ru" else "english"
        self.db.execute("CREATE TABLE docs (id text PRIMARY KEY, title text, body text, tsv tsvector)")
        with self.db.cursor() as cursor, cursor.copy("COPY docs (id, title, body) FROM STDIN") as copy:
            for d in docs:
                copy.write_row((d["id"], d["title"], d["text"]))
        self.db.execute(f"UPDATE docs SET tsv = setweight(to_tsvector('{self.config}', title), 'A') || "
                        f"to_tsvector('{self.config}', body)")
        self.db.execute("CREATE INDEX docs_tsv ON docs USING gin (tsv)")
        self.db.execute("VACUUM ANALYZE docs")

    def _tsquery(self, query: str) -> str:
        return " | ".join(plain_words(query))

    def search(self, query: str, k: int) -> list[str]:
        tsquery = self._tsquery(query)
        if not tsquery:
            return []
        rows = self.db.execute(
            f"SELECT id FROM docs, to_tsquery('{self.config}', %s) q WHERE tsv @@ q "
            "ORDER BY ts_rank_cd(tsv, q) DESC LIMIT %s", (tsquery, k)).fetchall()
        return [row[0] for row in rows]

    def search_page(self, query: str, k: int = 10) -> list[tuple[str, str]]:
        tsquery = self._tsquery(query)
        if not tsquery:
            return []
        rows = self.db.execute(
            f"SELECT id, ts_headline('{self.config}', body, q, 'StartSel=<mark>, StopSel=</mark>') FROM "
            f"(SELECT id, body, q FROM docs, to_tsquery('{self.config}', %s) q WHERE tsv @@ q "
            "ORDER BY ts_rank_cd(tsv, q) DESC LIMIT %s) top", (tsquery, k)).fetchall()
        return [(row[0], row[1]) for row in rows]

    def size_bytes(self) -> int:
        return int(self.db.execute("SELECT pg_total_relation_size('docs')").fetchone()[0])

    def close(self) -> None:
        try:
            self.db.close()
        except Exception:
            pass
        subprocess.run(self._as_owner([_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]),
                       capture_output=True)
        super().close()
