"""Every string has its Chinese, and the compiled catalogue matches the source."""

import gettext
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def test_every_message_is_translated_into_chinese():
    po = polib.pofile(str(LOCALE / "zh_Hans/LC_MESSAGES/django.po"))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_the_compiled_catalogue_matches_the_source(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES/django.po"))
    with open(LOCALE / language / "LC_MESSAGES/django.mo", "rb") as handle:
        mo = gettext.GNUTranslations(handle)
    for entry in po.translated_entries():
        if entry.msgid_plural and entry.msgctxt:
            found = mo.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1)
            assert found == entry.msgstr_plural[0]
        elif entry.msgid_plural:
            assert mo.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
        elif entry.msgctxt:
            assert mo.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr, entry.msgid
        else:
            assert mo.gettext(entry.msgid) == entry.msgstr, entry.msgid


def test_the_source_has_no_string_missing_from_the_catalogue():
    """makemessages would add nothing: run `make messages` after adding strings."""
    import subprocess
    import sys

    root = LOCALE.parent
    po_path = LOCALE / "zh_Hans/LC_MESSAGES/django.po"
    known = {e.msgid for e in polib.pofile(str(po_path))}
    result = subprocess.run(
        [sys.executable, "-c", _EXTRACT],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    found = {line for line in result.stdout.split("\x00") if line}
    assert found - known == set()


# Reads msgids the way makemessages would, without needing xgettext on the machine.
_EXTRACT = r"""
import ast, pathlib, re, sys
from django.template.base import Lexer, TokenType
ids = set()
for path in pathlib.Path('.').glob('*/**/*.py'):
    if path.parts[0] in {'.venv', 'var', 'tests', 'bench'} or 'migrations' in path.parts:
        continue
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, 'id', '') in {'_', 'gettext', 'gettext_lazy', 'ngettext'}:
            if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                ids.add(node.args[0].value)
for path in pathlib.Path('templates').glob('**/*.html'):
    for token in Lexer(path.read_text()).tokenize():
        if token.token_type == TokenType.BLOCK:
            m = re.match(r'''(?:translate|trans)\s+(["'])(.*?)\1''', token.contents)
            if m:
                ids.add(m.group(2))
sys.stdout.write('\x00'.join(sorted(ids)))
"""
