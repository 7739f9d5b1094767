"""The roll import's reader thread: the batches in order, its errors after them, never more than
two batches held, and a caller that stops early stops it."""

import time

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from volunteers.services.imports import _ReadAhead


def test_it_yields_the_items_in_order_then_raises_what_the_reader_met():
    def items():
        yield from range(5)
        raise ValueError("damaged at row 6")

    got = []
    with pytest.raises(ValueError, match="damaged"), _ReadAhead(items()) as ahead:
        got.extend(ahead)
    assert got == [0, 1, 2, 3, 4]


def test_it_reads_at_most_one_item_ahead_of_the_caller():
    read = []

    def items():
        for n in range(10):
            read.append(n)
            yield n

    with _ReadAhead(items()) as ahead:
        for n in ahead:
            time.sleep(0.05)  # time for the reader to run ahead as far as it may
            assert max(read) <= n + 1


def test_a_caller_that_stops_early_stops_the_reader():
    with _ReadAhead(iter(range(1000))) as ahead:
        for _n in ahead:
            break
    assert not ahead.thread.is_alive()


def test_the_reader_writes_its_messages_in_the_caller_s_language():
    def items():
        yield _("The file is empty.")

    with translation.override("en"), _ReadAhead(items()) as ahead:
        (message,) = list(ahead)
    assert message == "The file is empty."  # the portal's default language is Chinese
