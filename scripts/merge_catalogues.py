"""After `make messages`, fill empty or fuzzy entries of each catalogue from other versions of
it (e.g. both sides of a merge): `python scripts/merge_catalogues.py LANG FILE.po [FILE.po ...]`.
Prints what is still untranslated."""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    language, *others = sys.argv[1:]
    known = {}
    for other in others:
        for entry in polib.pofile(other).translated_entries():
            known[(entry.msgctxt, entry.msgid)] = entry
    path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(path))
    for entry in catalogue:
        if entry.obsolete or (entry.translated() and "fuzzy" not in entry.flags):
            continue
        found = known.get((entry.msgctxt, entry.msgid))
        if found is None:
            continue
        entry.msgstr = found.msgstr
        entry.msgstr_plural = dict(found.msgstr_plural)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgctxt = entry.previous_msgid_plural = None
    catalogue.save()
    for entry in catalogue.untranslated_entries() + catalogue.fuzzy_entries():
        print(language, "untranslated:", entry.msgctxt or "", entry.msgid)


if __name__ == "__main__":
    main()
