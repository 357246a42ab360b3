"""``manage.py bench_evidence_export --rows 1000000``: time a real export job on seeded reports.

Each run is the worker's own code (``services.exports.export_run``: claim, count, stream the rows
through the format's writer into the job's file, hash it, audit) in a forked child process, so
that its peak memory is its own: the figure is the child's peak resident set size
(``ru_maxrss`` from ``os.wait4``), which counts everything the process held (interpreter,
Django, the gazetteer for partner points, buffers), not only Python allocations. Rows per second
are the rows written over the whole job's wall time. Use a database of its own::

    createdb -h 127.0.0.1 -U postgres bench_evidence
    manage.py bench_evidence_export --database-url postgres://postgres@127.0.0.1:5432/bench_evidence \\
        --rows 1000000 --seed-missing

``--seed-missing`` seeds (``evidence.bench_data``) until the database holds ``--rows`` reports;
the export covers every report in the bench coordinator's scope (the figures say how many).
"""

from __future__ import annotations

import os
import resource
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

DEFAULT_FORMATS = ("csv",)


class Command(BaseCommand):
    help = "Time export jobs (rows/s, peak memory) over the seeded reports."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=1_000_000, help="reports the database should hold")
        parser.add_argument("--database-url", help="use this database instead of DATABASE_URL")
        parser.add_argument("--seed-missing", action="store_true", help="seed reports up to --rows first")
        parser.add_argument(
            "--formats", default=",".join(DEFAULT_FORMATS), help="comma-separated: csv,hxl,json,geojson,xlsx"
        )
        parser.add_argument(
            "--destinations", default="partner,internal", help="comma-separated: partner,internal"
        )
        parser.add_argument("--level", default="reports", choices=["reports", "cases"])
        parser.add_argument("--text", action="store_true", help="also time an internal export with the text")
        parser.add_argument("--keep", action="store_true", help="keep the files (default: delete them)")

    def handle(
        self, *args, rows, database_url, seed_missing, formats, destinations, level, text, keep, **options
    ):
        from testimony.accounts.models import Organisation, User
        from testimony.evidence.bench_data import use_database_url
        from testimony.review.models import Report

        if database_url:
            use_database_url(database_url)
        held = Report.objects.count()
        if held < rows:
            if not seed_missing:
                raise CommandError(f"The database holds {held:,} reports; seed it (or pass --seed-missing).")
            from testimony.evidence.bench_data import analyse, seed_reports
            from testimony.evidence.management.commands.seed_evidence_bench import bench_organisation

            self.stdout.write(f"Seeding {rows - held:,} reports…")
            seed_reports(rows - held, organisation=bench_organisation(), log=self.stdout.write)
            analyse()
        organisation = Organisation.objects.filter(receives_intake=True).first()
        if organisation is None:
            raise CommandError("No intake organisation: run seed_evidence_bench first.")
        user, _created = User.objects.get_or_create(
            username="bench_exporter", defaults={"role": "coordinator", "organisation": organisation}
        )
        runs = [(d, f, False) for d in destinations.split(",") for f in formats.split(",")]
        if text:
            runs.append(("internal", "csv", True))
        out = self.stdout.write
        connections.close_all()
        base = _peak_rss_kib()
        out(
            f"{connections['default'].vendor} ({connections['default'].settings_dict['NAME']}), "
            f"{held:,} reports; level {level}; "
            f"this process before forking: peak {base / 1024:.0f} MB resident."
        )
        for destination, fmt, with_text in runs:
            figures = self._run_in_child(
                user=user, destination=destination, level=level, fmt=fmt, with_text=with_text, keep=keep
            )
            if figures is None:
                out(f"{destination:9} {fmt:8} FAILED (see above)")
                continue
            written, seconds, size, peak_kib, cpu = figures
            out(
                f"{destination:9} {fmt:8}{' +text' if with_text else '      '} {written:>10,} rows "
                f"in {seconds:7.1f} s = {written / seconds:>9,.0f} rows/s; file {size / 2**20:7.1f} MiB; "
                f"peak RSS {peak_kib / 1024:6.0f} MB; CPU {cpu:5.1f} s in this process"
            )

    def _run_in_child(self, *, user, destination, level, fmt, with_text, keep):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: one export, its figures down the pipe, then out
            os.close(read_end)
            code = 1
            try:
                line = _one_export(
                    user=user, destination=destination, level=level, fmt=fmt, with_text=with_text
                )
                if not keep:
                    _delete_file(line[0])
                os.write(write_end, (" ".join(str(value) for value in line[1:]) + "\n").encode())
                code = 0
            except _JobFailed as failed:  # its status and failure code: no data
                sys.stderr.write(f"export failed: {failed}\n")
            except Exception as error:  # the class only (a driver error may quote a row); the parent goes on
                sys.stderr.write(f"export failed: {type(error).__name__}\n")
            finally:
                os._exit(code)
        os.close(write_end)
        with os.fdopen(read_end) as pipe:
            answer = pipe.read().split()
        _pid, status, usage = os.wait4(pid, 0)
        if status != 0 or not answer:
            return None
        written, seconds, size = int(answer[0]), float(answer[1]), int(answer[2])
        return written, seconds, size, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


class _JobFailed(RuntimeError):
    pass


def _one_export(*, user, destination, level, fmt, with_text):
    from testimony.evidence.models import ExportJob
    from testimony.evidence.services.exports import export_run

    # The job row as export_create would make it, without enqueueing it: this process runs it.
    job = ExportJob.objects.create(
        organisation_id=user.organisation_id,
        requested_by=user,
        destination=destination,
        level=level,
        format=fmt,
        parameters={"filters": {}, "include_text": with_text},
    )
    began = time.perf_counter()
    status = export_run(job_id=job.pk)
    seconds = time.perf_counter() - began
    job.refresh_from_db()
    if status != ExportJob.Status.DONE:
        raise _JobFailed(f"job ended {status} ({job.failure_reason})")
    return job, job.rows_done, seconds, job.size


def _delete_file(job) -> None:
    from testimony.evidence.jobs import jobs_expire

    type(job).objects.filter(pk=job.pk).update(expires_at=job.finished_at)
    jobs_expire()


def _peak_rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
