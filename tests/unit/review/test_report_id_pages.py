"""Keyset pages of report ids for the maintenance commands (recompute_regions, reindex_reports)."""

from testimony.review.selectors import report_id_pages


def test_pages_cover_every_report_once_in_order(report_factory):
    ids = [report_factory().pk for _ in range(5)]

    pages = list(report_id_pages(size=2))

    assert [len(page) for page in pages] == [2, 2, 1]
    assert [pk for page in pages for pk in page] == sorted(ids)


def test_a_report_added_during_the_walk_is_read_at_most_once(report_factory):
    before = [report_factory().pk for _ in range(3)]
    walked = []
    for page in report_id_pages(size=2):
        walked.extend(page)
        if len(walked) == 2:
            # Ids are random: a report added now sorts ahead of the cursor (then it is read, once)
            # or behind it (then it is not); either way nothing is read twice or skipped.
            added = report_factory().pk
    assert len(walked) == len(set(walked))
    assert set(before) <= set(walked)
    assert (added in walked) == (added > walked[1])
    assert walked == sorted(walked)


def test_no_reports_no_pages(db):
    assert list(report_id_pages(size=10)) == []
