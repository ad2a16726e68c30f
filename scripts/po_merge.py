"""A git merge driver for gettext catalogues: the union of both sides' messages, so that two branches that each add
strings never conflict over a .po file.

Set up once per clone (README.md, "Languages"):
    git config merge.po.name "gettext catalogue union"
    git config merge.po.driver ".venv/bin/python scripts/po_merge.py %O %A %B"
(.gitattributes already routes `*.po` to it.) A message both sides translated differently keeps ours unless only
theirs changed it since the common ancestor. Messages are never dropped here: `makemessages --no-obsolete` does that.
"""

from __future__ import annotations

import sys

import polib


def key(entry: polib.POEntry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


def merge(base_path: str, ours_path: str, theirs_path: str) -> None:
    base = {key(e): e for e in polib.pofile(base_path)}
    ours = polib.pofile(ours_path)
    mine = {key(e): e for e in ours}
    for entry in polib.pofile(theirs_path):
        current = mine.get(key(entry))
        if current is None:
            ours.append(entry)
            continue
        ancestor = base.get(key(entry))
        only_theirs_changed = ancestor is not None and ancestor.msgstr == current.msgstr
        if entry.msgstr != current.msgstr and (only_theirs_changed or not current.msgstr):
            current.msgstr = entry.msgstr
            current.msgstr_plural = entry.msgstr_plural
            current.flags = list(entry.flags)
    ours.save(ours_path)


if __name__ == "__main__":
    merge(*sys.argv[1:4])
